// Plugin files the host found but will not load (one inside a plugin's data folder, a symbolic link),
// each with the host's reason, which says what to do: nothing under plugins_dir vanishes without a word.
import { useHost } from '../stores/panel-context';

export function RefusedFiles() {
  const refused = useHost((s) => s.refusedFiles);
  const pluginsDir = useHost((s) => s.pluginsDir);
  if (refused.length === 0) return null;
  const shown = (file: string) => (pluginsDir && file.startsWith(pluginsDir) ? file.slice(pluginsDir.length).replace(/^[\\/]/, '') : file);
  return (
    <section className="refused-files" aria-labelledby="refused-files-title">
      <h3 id="refused-files-title">{refused.length === 1 ? '1 plugin file not loaded' : `${refused.length} plugin files not loaded`}</h3>
      <ul>
        {refused.map((r) => (
          <li key={r.file}>
            <div className="refused-head">
              <code title={r.file}>{shown(r.file)}</code>
              {r.dataFolderOf && <span className="refused-owner">in the data folder of {r.dataFolderOf}</span>}
            </div>
            <p className="small">{r.reason}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
