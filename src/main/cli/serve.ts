// `infrarust-desktop serve`: runs the host until SIGINT/SIGTERM, logging one line per plugin state change.
import { ConfigLoadError, Host } from '../host/host';

export async function runServe(opts: { cwd: string; config?: string; data?: string }): Promise<number> {
  const log = (line: string): void => void process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  let host: Host;
  try {
    host = Host.create({ cwd: opts.cwd, configFile: opts.config });
  } catch (err) {
    if (err instanceof ConfigLoadError) {
      process.stderr.write(`config error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  host.plugins.on('state', (v) => {
    if (v.state !== 'loading') log(`plugin ${v.id}: ${v.state}${v.reason ? ` — ${v.reason}` : ''}`);
  });
  host.plugins.on('log', (l) => log(`[${l.pluginId}] ${l.level}: ${l.message}`));
  host.on('config', ({ error }) => log(error ? `infrarust.toml: ${error.message} (line ${error.line}, column ${error.column}); keeping the last good configuration` : 'infrarust.toml reloaded'));
  await host.run();
  log(`host running (${host.plugins.list().length} plugins); Ctrl-C to stop`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log('stopping');
  await host.stop();
  return 0;
}
