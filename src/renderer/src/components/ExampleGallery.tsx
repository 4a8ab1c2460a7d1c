// Shown on an empty plugins folder: the example plugins the app ships, each installable with one click.
// An install goes through the uploads store, so it is checked, shown and confirmed exactly like a drop.
import { useEffect, useState } from 'react';
import { CAPABILITY_DESCRIPTIONS, isOptIn } from '../../../shared/capabilities';
import type { ExamplePluginView } from '../../../shared/control-api';
import { usePanel, useUploads } from '../stores/panel-context';
import { isFinished } from '../stores/uploads-store';

/**
 * What a one-click install cannot do for a provider: which provider the proxy uses is the admin's choice in
 * infrarust.toml (installing one never replaces the built-in ban list or permissions by itself).
 */
function providerSetup(e: ExamplePluginView): string | null {
  if (e.capabilities.includes('ban-provider')) {
    return `To use it, also set [ban] provider = "${e.id}" in infrarust.toml and tick ban-provider on its card: until then the built-in ban list decides and this plugin stays stopped.`;
  }
  if (e.capabilities.includes('permission-provider')) {
    return `To use it, also set [permissions] provider = "${e.id}" in infrarust.toml and tick permission-provider on its card.`;
  }
  return null;
}

export function ExampleGallery() {
  const { api, uploads } = usePanel();
  const pending = useUploads((s) => s.uploads);
  const busy = new Set(pending.filter((u) => !isFinished(u)).map((u) => u.name));
  const [examples, setExamples] = useState<ExamplePluginView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.examplePlugins().then(
      (list) => live && setExamples(list),
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
  }, [api]);

  if (error) return <p className="muted">The example plugins could not be listed: {error}</p>;
  if (!examples || examples.length === 0) return null;
  return (
    <section className="gallery" aria-labelledby="gallery-title">
      <h3 id="gallery-title">Try an example plugin</h3>
      <p className="muted">Shipped with the app. Opt-in capabilities are ticked on the plugin's card once it is installed.</p>
      <ul className="gallery-list">
        {examples.map((e) => (
          <li key={e.file} className="gallery-item" aria-label={e.name}>
            <div className="gallery-head">
              <h4>{e.name}</h4>
              <span className="muted">v{e.version}</span>
            </div>
            <p className="description">{e.description}</p>
            <ul className="gallery-caps" aria-label={`Capabilities ${e.name} asks for`}>
              {e.capabilities.map((cap) => (
                <li key={cap} className={`badge${isOptIn(cap) ? ' badge-opt-in' : ''}`} title={CAPABILITY_DESCRIPTIONS[cap]}>
                  {cap}
                  {isOptIn(cap) ? ' (opt-in)' : ''}
                </li>
              ))}
            </ul>
            {providerSetup(e) && (
              <p className="gallery-setup" aria-label={`What else ${e.name} needs`}>
                {providerSetup(e)}
              </p>
            )}
            <button
              type="button"
              className="primary"
              aria-label={`Install ${e.name}`}
              disabled={busy.has(e.file)}
              onClick={() => void uploads.getState().installExample(e)}
            >
              Install
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
