// `infrarust-desktop check`: loads everything exactly as the host would and reports it.
import { relative } from 'node:path';
import type { PluginView, RefusedPluginFile } from '../../shared/plugin-state';
import { ConfigLoadError, Host } from '../host/host';

export interface CheckReport {
  ok: boolean;
  config: { file: string | null; pluginsDir: string; warnings: string[]; error: string | null };
  plugins: PluginView[];
  /** `.wasm` files discovery refused (a plugin's data folder, a symbolic link): each makes the check fail. */
  refused: RefusedPluginFile[];
}

export async function runCheck(opts: { cwd: string; config?: string }): Promise<CheckReport> {
  let host: Host;
  try {
    host = await Host.start({ cwd: opts.cwd, configFile: opts.config, proxy: false });
  } catch (err) {
    if (!(err instanceof ConfigLoadError)) throw err;
    return { ok: false, config: { file: err.error.file, pluginsDir: '', warnings: [], error: err.message }, plugins: [], refused: [] };
  }
  const plugins = host.plugins.list();
  const refused = host.plugins.refusedFiles();
  await host.stop();
  // Every plugin meant to run must have come up (a disabled one is fine), and no plugin file was refused.
  const ok = refused.length === 0 && plugins.every((p) => p.state === 'enabled' || (p.state === 'disabled' && !p.enabledInConfig));
  const generalWarnings = host.configWarnings.filter((w) => !w.table?.startsWith('plugins.')).map((w) => w.message);
  return { ok, config: { file: host.config.file, pluginsDir: host.config.pluginsDir, warnings: generalWarnings, error: null }, plugins, refused };
}

export function formatCheck(report: CheckReport, cwd: string): string {
  const rel = (p: string): string => relative(cwd, p) || '.';
  const lines: string[] = [];
  if (report.config.error) return `config error: ${report.config.error}`;
  lines.push(`config: ${report.config.file ? rel(report.config.file) : '(none: defaults)'}   plugins_dir: ${rel(report.config.pluginsDir)}`);
  for (const w of report.config.warnings) lines.push(`warning: ${w}`);
  if (report.plugins.length === 0 && report.refused.length === 0) lines.push('no plugins found');
  for (const p of report.plugins) {
    const name = p.metadata ? `${p.metadata.name} ${p.metadata.version}` : '';
    lines.push(`${p.id}  ${p.state}${p.poisonCause ? ` (${p.poisonCause})` : ''}  ${rel(p.file)}  ${name}`.trimEnd());
    if (p.reason && p.state !== 'enabled') lines.push(`    reason: ${p.reason}`);
    for (const w of p.warnings) lines.push(`    warning: ${w}`);
    if (p.granted.length) lines.push(`    granted: ${p.granted.join(', ')}`);
  }
  for (const r of report.refused) lines.push(`refused  ${rel(r.file)}`, `    reason: ${r.reason}`);
  const counts = new Map<string, number>();
  for (const p of report.plugins) counts.set(p.state, (counts.get(p.state) ?? 0) + 1);
  if (report.refused.length) counts.set('refused file(s)', report.refused.length);
  lines.push(`${report.plugins.length} plugin(s): ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'none'} — ${report.ok ? 'OK' : 'NOT OK'}`);
  return lines.join('\n');
}
