// The sandbox proven from the guest side: each hostile fixture ends in an exact state and cause,
// and a well-behaved plugin beside it keeps answering.
import { lstat, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GuestEvent } from '../contract/guest-types';
import type { PluginLogLine } from '../../shared/plugin-state';
import type { PluginManager } from '../plugins/plugin-manager';
import { tempHost, type TempHost } from '../../../test/support/temp-host';

let host: TempHost;
afterEach(async () => host?.cleanup());

const byId = (m: PluginManager, id: string) => m.list().find((p) => p.id === id)!;
const FAST = '[wasm]\ncall_timeout_ms = 300\nenable_timeout_ms = 400\n';

const profile = { uuid: '00000000-0000-3000-8000-000000000000', username: 'denied_user', properties: [] };
const preLogin: GuestEvent = { tag: 'pre-login', val: { profile, remoteAddr: '127.0.0.1:5000', protocolVersion: 767, serverDomain: 'a.localhost' } };
const ping: GuestEvent = {
  tag: 'proxy-ping',
  val: { remoteAddr: '127.0.0.1:5000', response: { description: '{"text":"base"}', maxPlayers: 10, onlinePlayers: 0, protocolVersion: 767, versionName: '1.21.1', favicon: undefined } },
};

async function loaded(fixtures: Parameters<TempHost['addPlugin']>[0][], config = ''): Promise<{ m: PluginManager; logs: PluginLogLine[] }> {
  host = await tempHost();
  for (const f of fixtures) await host.addPlugin(f);
  await host.writeConfig(config);
  const m = host.manager();
  const logs: PluginLogLine[] = [];
  m.on('log', (l) => logs.push(l));
  await m.loadAll();
  return { m, logs };
}

describe('CPU deadline', () => {
  it('stops a spin in on-enable and poisons the plugin with a CPU-deadline cause', async () => {
    const { m } = await loaded(['cpu-spin-enable', 'events-echo'], FAST);
    expect(byId(m, 'cpu_spin_enable')).toMatchObject({ state: 'poisoned', poisonCause: 'cpu-deadline' });
    expect(byId(m, 'cpu_spin_enable').reason).toMatch(/onEnable ran past its 400 ms deadline/);
    expect(byId(m, 'events_echo').state).toBe('enabled');
  });

  it('stops a spin in an event handler while other plugins keep receiving events', async () => {
    const { m } = await loaded(['cpu-spin-event', 'events-echo'], FAST);
    expect(byId(m, 'cpu_spin_event').state).toBe('enabled');
    let spinDone = false;
    const spinning = m.events.dispatch(ping).finally(() => (spinDone = true));
    // While the spinner burns its budget, pre-login (which it did not subscribe to) flows as usual: the first
    // answer arrives while the ping is still held by the spinner.
    for (let i = 0; i < 10; i++) {
      const outcomes = await m.events.dispatch(preLogin);
      if (i === 0) expect(spinDone).toBe(false);
      expect(outcomes).toEqual([{ pluginId: 'events_echo', outcome: { tag: 'pre-login', val: { tag: 'denied', val: '{"text":"Denied by events_echo"}' } } }]);
    }
    const pingOutcomes = await spinning;
    // events_echo (priority 200) answered before the spinner (255) was stopped.
    expect(pingOutcomes.map((o) => o.pluginId)).toEqual(['events_echo']);
    expect(byId(m, 'cpu_spin_event')).toMatchObject({ state: 'poisoned', poisonCause: 'cpu-deadline' });
    expect(byId(m, 'cpu_spin_event').reason).toMatch(/handleEvent ran past its 300 ms deadline/);
    expect(m.pluginMetrics('cpu_spin_event').deadlineHits).toBe(1);
    const echo = m.pluginMetrics('events_echo');
    expect(echo.calls).toBeGreaterThanOrEqual(11);
    expect(echo.p99Ms).toBeGreaterThan(0);
    expect(echo.memoryCapBytes).toBe(64 * 1024 * 1024);
    expect(echo.memoryBytes).toBeGreaterThan(0);
    // Poisoned: no event reaches it again (a call would spin to the deadline a second time).
    expect((await m.events.dispatch(ping)).map((o) => o.pluginId)).toEqual(['events_echo']);
    expect(m.pluginMetrics('cpu_spin_event').deadlineHits).toBe(1);
    expect(byId(m, 'cpu_spin_event').state).toBe('poisoned');
  });
});

describe('memory cap', () => {
  it('refuses growth past 64 MiB inside the guest and poisons it with a memory cause', async () => {
    const { m, logs } = await loaded(['memory-bomb', 'minimal']);
    const grown = logs.find((l) => l.pluginId === 'memory_bomb' && l.message.startsWith('grow refused at'))!;
    const mib = Number(/at (\d+) MiB/.exec(grown.message)![1]);
    expect(mib).toBeLessThanOrEqual(64);
    expect(mib).toBeGreaterThan(48);
    expect(byId(m, 'memory_bomb')).toMatchObject({ state: 'poisoned', poisonCause: 'memory' });
    expect(byId(m, 'memory_bomb').reason).toMatch(/of the 64 MiB cap/);
    expect(byId(m, 'minimal').state).toBe('enabled');
  });

  it('honours memory_limit_mb', async () => {
    const { m, logs } = await loaded(['memory-bomb'], '[wasm]\nmemory_limit_mb = 16\n');
    const grown = logs.find((l) => l.message.startsWith('grow refused at'))!;
    expect(Number(/at (\d+) MiB/.exec(grown.message)![1])).toBeLessThanOrEqual(16);
    expect(byId(m, 'memory_bomb')).toMatchObject({ state: 'poisoned', poisonCause: 'memory' });
  });
});

describe('filesystem', () => {
  it('gives the guest only its data folder as /: every escape is refused, no link is left behind', async () => {
    const { m, logs } = await loaded(['sandbox-probe'], '');
    await writeFile(join(host.dir, 'secret.txt'), 'host secret');
    expect(byId(m, 'sandbox_probe').state).toBe('enabled');
    const probes = Object.fromEntries(
      logs.filter((l) => l.message.startsWith('probe ')).map((l) => {
        const [, name, result] = /^probe ([\w-]+): (.*)$/.exec(l.message)!;
        return [name, result];
      }),
    );
    for (const escape of ['list-parent', 'open-etc-passwd', 'open-dotdot-passwd', 'open-root-dotdot-hostname', 'symlink-escape', 'follow-symlink', 'hardlink-outside']) {
      expect(probes[escape!], escape).toMatch(/^denied/);
    }
    expect(probes['write-inside']).toBe('ok');
    expect(probes.env).toBe('0');
    expect(probes.args).toBe('0');
    // What it writes to stdout is its log.
    expect(logs.some((l) => l.pluginId === 'sandbox_probe' && l.message === 'stdout line')).toBe(true);
    const dataDir = join(host.pluginsDir, 'sandbox_probe');
    expect(await readFile(join(dataDir, 'inside.txt'), 'utf8')).toBeTruthy();
    for (const name of await readdir(dataDir)) expect((await lstat(join(dataDir, name))).isSymbolicLink()).toBe(false);
  });
});

describe('network', () => {
  it('fails a plugin importing wasi:sockets, naming the network capability even when it is granted', async () => {
    const { m } = await loaded(['net-importer', 'minimal'], '[plugins.net_importer]\npermissions = ["network"]\n');
    const p = m.list().find((v) => v.file.endsWith('net-importer.wasm'))!;
    expect(p.state).toBe('failed');
    expect(p.reason).toMatch(/wasi:sockets.*`network`.*no network access.*even when `network` is granted/);
    expect(byId(m, 'minimal').state).toBe('enabled');
  });
});

describe('isolation', () => {
  it('rate-limits a log flood and says how many lines were dropped', async () => {
    const { m, logs } = await loaded(['log-flood'], '[wasm]\nlog_lines_per_second = 50\n');
    expect(byId(m, 'log_flood').state).toBe('enabled');
    const floods = logs.filter((l) => l.message === 'flood').length;
    expect(floods).toBeLessThan(1000);
    const dropped = logs.filter((l) => /log lines dropped \(limit 50\/s\)/.test(l.message)).map((l) => Number(/^(\d+)/.exec(l.message)![1]));
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.reduce((a, b) => a + b, 0) + floods).toBe(100_000);
    expect(m.pluginMetrics('log_flood').logLinesDropped).toBe(100_000 - floods);
  });

  it('a trap inside an event callback poisons only that plugin; the others keep their events', async () => {
    const { m } = await loaded(['trap-on-event', 'events-echo']);
    const outcomes = await m.events.dispatch(preLogin);
    expect(outcomes.map((o) => o.pluginId)).toEqual(['events_echo']);
    expect(byId(m, 'trap_on_event')).toMatchObject({ state: 'poisoned', poisonCause: 'trap' });
    expect(m.events.hasListeners('pre-login')).toBe(true);
    expect((await m.events.dispatch(preLogin)).map((o) => o.pluginId)).toEqual(['events_echo']);
    expect(byId(m, 'events_echo').state).toBe('enabled');
  });

  it('an outcome the host cannot decode poisons that plugin; the event still completes for the others', async () => {
    const { m } = await loaded(['malformed-outcome', 'events-echo']);
    const outcomes = await m.events.dispatch(preLogin);
    expect(outcomes.map((o) => o.pluginId)).toEqual(['events_echo']);
    expect(byId(m, 'malformed_outcome')).toMatchObject({ state: 'poisoned', poisonCause: 'trap' });
    expect(byId(m, 'malformed_outcome').reason).toMatch(/discriminant|variant|invalid/i);
  });

  it('a reload after poisoning gives a working slot again', async () => {
    const { m } = await loaded(['trap-on-event']);
    await m.events.dispatch(preLogin);
    expect(byId(m, 'trap_on_event').state).toBe('poisoned');
    await m.reload('trap_on_event');
    expect(byId(m, 'trap_on_event').state).toBe('enabled');
  });
});
