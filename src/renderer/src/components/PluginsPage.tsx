// The plugins folder: drop zone, uploads in progress, and one card per plugin (the example gallery while
// there are none).
import { useMemo } from 'react';
import { useHost, usePlugins } from '../stores/panel-context';
import { DropZone } from './DropZone';
import { ExampleGallery } from './ExampleGallery';
import { PluginCard } from './PluginCard';
import { RefusedFiles } from './RefusedFiles';
import { UploadList } from './UploadList';

export function PluginsPage() {
  const byFile = usePlugins((s) => s.byFile);
  const loaded = useHost((s) => s.loaded);
  const plugins = useMemo(() => Object.values(byFile).sort((a, b) => a.file.localeCompare(b.file)), [byFile]);
  return (
    <section className="plugins" aria-labelledby="plugins-title">
      <div className="section-head">
        <h2 id="plugins-title">Plugins</h2>
        <span className="muted">{plugins.length === 1 ? '1 plugin' : `${plugins.length} plugins`}</span>
      </div>
      <DropZone>
        <UploadList />
        <RefusedFiles />
        {plugins.length === 0 ? (
          <>
            <p className="empty">{loaded ? 'No plugins yet. Drop a .wasm component above, or install an example below.' : 'Loading…'}</p>
            {loaded && <ExampleGallery />}
          </>
        ) : (
          <ul className="plugin-list">
            {plugins.map((p) => (
              <li key={p.file}>
                <PluginCard plugin={p} />
              </li>
            ))}
          </ul>
        )}
      </DropZone>
    </section>
  );
}
