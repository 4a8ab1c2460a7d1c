// infrarust.toml as the host sees it: a parse error (with line and column; the last good configuration
// stays in force) and the warnings about values it had to replace or ignore.
import { useHost } from '../stores/panel-context';

export function ConfigProblems() {
  const config = useHost((s) => s.config);
  if (!config || (!config.error && config.warnings.length === 0)) return null;
  const { error, warnings } = config;
  return (
    <section className="config-problems" aria-label="Configuration problems">
      {error && (
        <div className="config-error" role="alert">
          <h2>infrarust.toml does not parse</h2>
          <p>
            {error.line !== null ? (
              <>
                Line {error.line}
                {error.column !== null ? `, column ${error.column}` : ''}:{' '}
              </>
            ) : null}
            {error.message}
          </p>
          <p className="muted">
            The last good configuration stays in force until the file is fixed; the panel will not write to it meanwhile. <code>{error.file}</code>
          </p>
        </div>
      )}
      {warnings.length > 0 && (
        <details className="config-warnings">
          <summary>
            {warnings.length === 1 ? '1 configuration warning' : `${warnings.length} configuration warnings`}
          </summary>
          <ul>
            {warnings.map((w, i) => (
              <li key={i}>{w.message}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
