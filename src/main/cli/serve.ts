// `infrarust-desktop serve`: runs the host (plugins, proxy, headless panel, file watcher) until
// SIGINT/SIGTERM, logging one line per plugin state change.
import { startPanelServer, type PanelServer } from '../control/panel-server';
import { ListenError } from '../net/listen';
import { ensureDataFolder } from '../host/default-data';
import { ConfigLoadError, Host } from '../host/host';

export interface ServeOptions {
  cwd: string;
  config?: string;
  /** Run from this folder, created with an example configuration on first use. */
  data?: string;
}

export async function runServe(opts: ServeOptions): Promise<number> {
  const log = (line: string): void => void process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  // Listening from the start: a signal during start-up still stops the host cleanly, once it is up.
  let requestStop = (): void => undefined;
  const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
  process.once('SIGINT', requestStop);
  process.once('SIGTERM', requestStop);
  const stopListening = () => {
    process.off('SIGINT', requestStop);
    process.off('SIGTERM', requestStop);
  };
  let cwd = opts.cwd;
  if (opts.data) {
    const { resolve } = await import('node:path');
    cwd = resolve(opts.cwd, opts.data);
    for (const created of await ensureDataFolder(cwd)) log(`created ${created}`);
  }
  let host: Host;
  try {
    host = Host.create({ cwd, configFile: opts.config });
  } catch (err) {
    stopListening();
    if (err instanceof ConfigLoadError) {
      process.stderr.write(`config error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  for (const w of host.configWarnings) log(`warning: ${w.message}`);
  host.plugins.on('state', (v) => {
    if (v.state !== 'loading') log(`plugin ${v.id}: ${v.state}${v.reason ? ` — ${v.reason}` : ''}`);
  });
  host.plugins.on('log', (l) => log(`[${l.pluginId}] ${l.level}: ${l.message}`));
  host.on('log', (l) => log(`${l.level}: ${l.message}`));
  host.on('config', ({ error }) =>
    log(error ? `infrarust.toml: ${error.message} (line ${error.line}, column ${error.column}); keeping the last good configuration` : 'infrarust.toml reloaded'),
  );
  let panel: PanelServer | undefined;
  try {
    await host.run();
    const { bind, token, tls } = host.config.panel;
    panel = await startPanelServer(host, { bind, token, tls, log: (level, message) => log(`${level}: ${message}`) });
  } catch (err) {
    // Half-started is worse than stopped: a port we need is taken, so everything we opened closes again.
    stopListening();
    await host.stop();
    if (err instanceof ListenError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  log(`proxy listening on ${host.proxyStatus().address}; ${host.plugins.list().length} plugin(s)`);
  // A configured token never reaches the log; a token made for this run is printed so the panel can be opened.
  log(`panel: ${panel.printableUrl}`);
  await stopRequested;
  stopListening();
  log('stopping');
  await panel.close();
  await host.stop();
  return 0;
}
