// The 0.3.0 host with a real guest (test/fixtures/js030/probe.js, QuickJS): every interface answers with
// its error kinds and capability checks, events carry the current result, a fault recovers in a fresh
// instance, dependencies order the load. And a 0.2.3 plugin beside it keeps its own semantics.
import { afterEach, describe, expect, it } from 'vitest';
import type { PluginLogLine } from '../../../shared/plugin-state';
import type { GuestEvent } from '../../contract/guest-types';
import type { PluginManager } from '../plugin-manager';
import { tempHost, type TempHost } from '../../../../test/support/temp-host';
import { until } from '../../../../test/support/minecraft-peers';

let host: TempHost;
afterEach(async () => host?.cleanup());

function logsOf(m: PluginManager): PluginLogLine[] {
  const lines: PluginLogLine[] = [];
  m.on('log', (l) => lines.push(l));
  return lines;
}

/** The `probe <name> <json>` lines the guest logged, parsed. */
function probes(lines: PluginLogLine[]): Record<string, { ok?: unknown; err?: { kind: string; message: string } }> {
  const out: Record<string, { ok?: unknown; err?: { kind: string; message: string } }> = {};
  for (const l of lines) {
    const m = /^probe (\S+) (.*)$/.exec(l.message);
    if (m && l.pluginId === 'probe_030') out[m[1]!] = JSON.parse(m[2]!);
  }
  return out;
}

const preLogin = (username: string): GuestEvent => ({
  tag: 'pre-login',
  val: { profile: { uuid: '069a79f4-44e9-4726-a5be-fca90e38aaf5', username, properties: [] }, remoteAddr: '127.0.0.1:50000', protocolVersion: 767, serverDomain: 'mc.test' },
});

describe('a 0.3.0 plugin', () => {
  it('is detected as 0.3.0 and every interface answers with its error kinds and capability checks', async () => {
    host = await tempHost();
    await host.addPlugin('probe-030');
    const m = host.manager();
    const lines = logsOf(m);
    await m.loadAll();
    const view = m.get('probe_030')!;
    expect(view.state).toBe('enabled');
    expect(view.contract).toBe('0.3.0');
    expect(lines.find((l) => l.message.startsWith('enable '))?.message).toBe('enable {"tag":"initial"}');
    const p = probes(lines);
    // log, text (arena rules), events
    expect(p['log.max-level']).toEqual({ ok: 'trace' });
    expect(p['text.parse-json']).toEqual({ ok: 'Hello world' });
    expect(JSON.parse(p['text.round-trip']!.ok as string)).toEqual({ text: '', extra: [{ text: 'gold ', color: 'gold' }, { text: 'bold', color: 'gold', bold: true }] });
    expect(p['text.bad-json']!.err!.kind).toBe('invalid-argument');
    expect(p['text.bad-arena']!.err).toMatchObject({ kind: 'invalid-argument', message: expect.stringMatching(/not a later node/) });
    expect(p['text.bad-colour']!.err).toMatchObject({ kind: 'invalid-argument', message: expect.stringMatching(/ultraviolet/) });
    // event-bus: baseline kinds subscribe; chat needs chat-intercept; raw-packet needs raw-packet
    expect(typeof p['event-bus.subscribe']!.ok).toBe('number');
    expect(p['event-bus.subscribe-chat']!.err).toEqual({ kind: 'permission-denied', message: 'missing capability: chat-intercept' });
    expect(p['event-bus.subscribe-raw']!.err).toEqual({ kind: 'permission-denied', message: 'missing capability: raw-packet' });
    expect(p['event-bus.subscribe-packets']!.err!.kind).toBe('permission-denied');
    expect(typeof p['event-bus.subscribe-named']!.ok).toBe('number');
    expect(p['event-bus.unsubscribe-unknown']).toEqual({ ok: false });
    // players: reads, and a write for a player who is not there
    expect(p['players.count']).toEqual({ ok: 0 });
    expect(p['players.list']).toEqual({ ok: [] });
    expect(p['players.get']).toEqual({ ok: null });
    expect(p['players.send-message']!.err!.kind).toBe('player-gone');
    // opt-in capabilities refused at call time, not at link time
    expect(p['server-manager.list']!.err).toEqual({ kind: 'permission-denied', message: 'missing capability: server-manage' });
    expect(p['ban-service.get']!.err).toEqual({ kind: 'permission-denied', message: 'missing capability: ban' });
    expect(p['limbo.register']!.err!.kind).toBe('permission-denied');
    expect(p['codec-registry.register']!.err!.kind).toBe('permission-denied');
    expect(p['messaging.register-channel']!.err).toEqual({ kind: 'permission-denied', message: 'missing capability: plugin-messaging' });
    expect(p['config-service.write']!.err).toEqual({ kind: 'permission-denied', message: 'missing capability: config-write' });
    expect(p['permissions.release']!.err!.kind).toBe('permission-denied');
    expect(p['providers.register-ban-provider']!.err).toEqual({ kind: 'permission-denied', message: 'missing capability: ban-provider' });
    // baseline services
    expect(p['config-service.get-value']).toEqual({ ok: null });
    expect(p['config-service.list-servers']).toEqual({ ok: [] });
    expect(p['command-manager.register']).toEqual({ ok: { name: 'probe', namespaced: 'probe_030:probe', aliases: ['pr'], rejectedAliases: [] } });
    expect(p['command-manager.list-owned']).toEqual({ ok: ['probe'] });
    expect(p['scheduler.delay']).toEqual({ ok: 'number' });
    expect(p['load-balancer.backends']!.err!.kind).toBe('not-found');
    // never gated
    expect(p['proxy-info.details']!.ok).toMatch(/^infrarust-desktop /);
    expect(p['proxy-info.granted']!.ok).toEqual(expect.arrayContaining(['event-bus', 'player-read', 'command']));
    expect(p['plugin-registry.list']!.ok).toEqual([{ id: 'probe_030', state: 'loading', health: { tag: 'stopped' } }]);
    expect(p['permission-nodes.register']).toEqual({ ok: null });
    expect(p['permission-nodes.register-foreign']!.err!.kind).toBe('invalid-argument');
    expect(p['permission-nodes.get']!.ok).toEqual({ node: { name: 'probe_030.use', description: 'use the probe', default: 'true' }, pluginId: 'probe_030' });
    await m.shutdown();
    expect(lines.some((l) => l.message === 'disable "shutdown"')).toBe(true);
  });

  it('granted opt-in capabilities reach the service behind them', async () => {
    host = await tempHost();
    await host.writeConfig('[plugins.probe_030]\npermissions = ["server-manage", "plugin-messaging", "limbo", "ban"]\n');
    await host.addPlugin('probe-030');
    const m = host.manager();
    const lines = logsOf(m);
    await m.loadAll();
    const p = probes(lines);
    expect(p['server-manager.list']).toEqual({ ok: [] });
    expect(p['messaging.register-channel']).toEqual({ ok: null });
    expect(p['limbo.register']).toEqual({ ok: null });
    // No proxy runs in this host: the ban list is unavailable rather than denied.
    expect(p['ban-service.get']!.err!.kind).toBe('unavailable');
  });

  it('[wasm.quotas] bounds what it registers: past a quota it gets limit-exceeded', async () => {
    host = await tempHost();
    await host.writeConfig('[wasm.quotas]\nlisteners = 1\ncommands = 0\npermission_nodes = 0\n');
    await host.addPlugin('probe-030');
    const m = host.manager();
    const lines = logsOf(m);
    await m.loadAll();
    const p = probes(lines);
    expect(typeof p['event-bus.subscribe']!.ok).toBe('number');
    expect(p['event-bus.subscribe-ping']!.err).toEqual({ kind: 'limit-exceeded', message: 'at most 1 listeners' });
    expect(p['command-manager.register']!.err!.kind).toBe('limit-exceeded');
    expect(p['permission-nodes.register']!.err!.kind).toBe('limit-exceeded');
  });

  it('sees the current result earlier handlers left; unchanged keeps it; proxy-ping reads its heavy fields during the call', async () => {
    host = await tempHost();
    await host.addPlugin('probe-030');
    const m = host.manager();
    const lines = logsOf(m);
    await m.loadAll();
    // A second listener of the same plugin, after the first: it sees what the first left.
    const first = await m.events.dispatch(preLogin('denyme'));
    expect(first).toEqual([{ pluginId: 'probe_030', outcome: { tag: 'pre-login', val: { tag: 'denied', val: '{"text":"no entry (0.3)"}' } } }]);
    expect(await m.events.dispatch(preLogin('someone'))).toEqual([]);
    m.events.subscribe('probe_030', 'pre-login', 200);
    const both = await m.events.dispatch(preLogin('denyme'));
    expect(both).toHaveLength(2);
    expect(lines.filter((l) => l.message.startsWith('event pre-login denyme')).map((l) => l.message.split(' ').pop())).toEqual(['current=allowed', 'current=allowed', 'current=denied']);
    const ping = await m.events.dispatch({ tag: 'proxy-ping', val: { remoteAddr: '127.0.0.1:1', response: { description: '{"text":"A Minecraft Server"}', maxPlayers: 20, onlinePlayers: 1, protocolVersion: 767, versionName: '1.21' } } });
    expect(ping[0]!.outcome).toEqual({ tag: 'proxy-ping', val: { description: '{"text":"A Minecraft Server"}', maxPlayers: 20, onlinePlayers: 1, protocolVersion: 767, versionName: 'probe 0.3', favicon: undefined } });
    expect(lines.some((l) => l.message === 'event proxy-ping description="A Minecraft Server"')).toBe(true);
  });

  it('recovers after a fault in a fresh instance told why, and runs commands with a 0.3.0 invocation', async () => {
    host = await tempHost();
    await host.addPlugin('probe-030');
    const m = host.manager();
    const lines = logsOf(m);
    await m.loadAll();
    expect(await m.tabComplete('probe ')).toEqual(['crash', 'fire']);
    await m.runCommand('probe crash');
    await until('a recovered instance', () => m.get('probe_030')?.state === 'enabled' && lines.some((l) => l.message.startsWith('enable {"tag":"recovered"')));
    const recovered = JSON.parse(lines.find((l) => l.message.startsWith('enable {"tag":"recovered"'))!.message.slice('enable '.length));
    expect(recovered.val.attempt).toBe(1);
    expect(recovered.val.cause).toMatch(/^the guest trapped: /);
    expect(JSON.parse(lines.find((l) => l.message.startsWith('command '))!.message.slice('command '.length))).toEqual({
      label: 'probe', args: ['crash'], raw: 'probe crash', sender: { tag: 'console' },
    });
    // The fresh instance registered again: its command works.
    expect(await m.runCommand('probe')).toBe(true);
    // An access listener that faults denies while the plugin recovers (§4.4).
    const denied = await m.events.dispatch(preLogin('crashme'));
    expect(denied[0]!.outcome).toEqual({ tag: 'pre-login', val: { tag: 'denied', val: '{"text":"A proxy plugin is unavailable. Please try again later."}' } });
    await until('a second recovery', () => lines.some((l) => l.message.startsWith('enable {"tag":"recovered","val":{"attempt":2')));
  });

  it('a hard dependency orders the load; a missing one keeps the plugin from enabling, naming both', async () => {
    host = await tempHost();
    await host.addPlugin('needs-probe-030', 'a-needs-probe.wasm');
    await host.addPlugin('probe-030', 'z-probe.wasm');
    const m = host.manager();
    const order: string[] = [];
    m.on('state', (v) => v.state === 'enabled' && order.push(v.id));
    await m.loadAll();
    expect(order).toEqual(['probe_030', 'needs_probe']);
    await host.cleanup();

    host = await tempHost();
    await host.addPlugin('needs-probe-030');
    const alone = host.manager();
    await alone.loadAll();
    expect(alone.get('needs_probe')).toMatchObject({ state: 'failed', reason: "plugin 'needs_probe' requires 'probe_030', which is not enabled" });
  });
});

describe('0.2.3 and 0.3.0 side by side in one host', () => {
  it('each plugin keeps its own contract: 0.2.3 is poisoned by a trap, 0.3.0 recovers', async () => {
    host = await tempHost();
    await host.addPlugin('probe-030');
    await host.addPlugin('trap-on-event');
    await host.addPlugin('events-echo');
    const m = host.manager();
    const lines = logsOf(m);
    await m.loadAll();
    const contracts = Object.fromEntries(m.list().map((p) => [p.id, [p.contract, p.state]]));
    expect(contracts.probe_030).toEqual(['0.3.0', 'enabled']);
    expect(Object.values(contracts).filter(([c, s]) => c === '0.2.3' && s === 'enabled').length).toBe(2);
    // One pre-login reaches both contracts, each in its own shape.
    await m.events.dispatch(preLogin('someone'));
    await m.events.dispatch(preLogin('crashme'));
    await until('the 0.3.0 plugin recovered', () => lines.filter((l) => l.message.startsWith('enable {"tag":"recovered"')).length === 1 && m.get('probe_030')?.state === 'enabled');
    const poisoned = m.list().filter((p) => p.contract === '0.2.3' && p.state === 'poisoned');
    expect(poisoned.map((p) => p.poisonCause)).toEqual(['trap']);
    // The 0.3.0 plugin hears of the 0.2.3 one leaving (plugin-disabled, an event only 0.3.0 has).
    await until('plugin-disabled delivered', () => lines.some((l) => l.message === `event plugin-disabled ${poisoned[0]!.id}`));
  });
});
