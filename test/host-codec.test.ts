// Codec filters in the whole host with real minecraft-protocol peers and native plugins: the calling order
// follows priority and before/after (a cycle is refused with an error naming it); a filter's injections
// reach the client around the frame; a filter that traps makes its side pass through unchanged while the
// player stays connected.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../src/main/host/host';
import { systemMessage } from '../src/main/proxy/player-packets';
import { codecFor } from '../src/main/proxy/decoded-protocol';
import { until } from './support/minecraft-peers';
import { joinPlay, startPlayBackend, type PlayBackend } from './support/play-peers';
import { tempHost, type TempHost } from './support/temp-host';
import { wireText } from '../src/main/proxy/text-nbt';

const VERSION = '1.21.4';
const codec = codecFor(769)!;
const SYSTEM_CHAT = codec.id('play', 'toClient', 'system_chat')!;
const encoded = (text: string) => {
  const p = systemMessage(codec, JSON.stringify({ text }));
  return Array.from(p.subarray(1)); // without the one-byte id
};

// "stamp" (priority 4) injects a message after every chat that says "ping"; "shout" (priority 0, but
// after "stamp") would otherwise run first; "loop-a"/"loop-b" close a cycle and the second is refused.
const FILTERS = `
export default (host) => {
  const reg = host['codec-registry'];
  const calls = (globalThis.__codecCalls ??= []);
  const instances = new Map();
  let next = 1;
  const PONG = ${JSON.stringify(encoded('pong (injected)'))};
  return {
    metadata: () => ({ id: 'filters', name: 'Filters', version: '1', authors: [], description: undefined, dependencies: [] }),
    onEnable() {
      reg.registerCodecFilter({ id: 'stamp', priority: 4, after: [], before: [] }, 1n);
      reg.registerCodecFilter({ id: 'shout', priority: 0, after: ['stamp'], before: [] }, 2n);
      reg.registerCodecFilter({ id: 'loop-a', priority: 2, after: ['loop-b'], before: [] }, 3n);
      reg.registerCodecFilter({ id: 'loop-b', priority: 2, after: ['loop-a'], before: [] }, 3n);
    },
    codecCreate(factory, init) {
      const id = next++;
      instances.set(id, { factory: Number(factory), side: init.side });
      calls.push(['create', Number(factory), init.side]);
      return id;
    },
    codecFilter(id, packetId, data) {
      const inst = instances.get(id);
      if (inst.side !== 'server-side' || packetId !== ${SYSTEM_CHAT}) return { tag: 'pass' };
      calls.push(['filter', inst.factory]);
      const text = Buffer.from(data).toString('latin1');
      if (inst.factory === 1 && text.includes('ping')) return { tag: 'pass-modified', val: { packet: undefined, injectBefore: [], injectAfter: [{ packetId: ${SYSTEM_CHAT}, data: Uint8Array.from(PONG) }] } };
      return { tag: 'pass' };
    },
    codecOnStateChange(id, state) { calls.push(['state', instances.get(id)?.side, state]); },
    codecOnClose(id) { calls.push(['close', instances.get(id)?.side]); },
  };
};`;

// A filter whose plugin throws on "boom": the plugin is poisoned and the side passes through.
const TRAPPER = `
export default (host) => ({
  metadata: () => ({ id: 'trapper', name: 'Trapper', version: '1', authors: [], description: undefined, dependencies: [] }),
  onEnable() { host['codec-registry'].registerCodecFilter({ id: 'trap', priority: 1, after: [], before: [] }, 9n); },
  codecCreate: () => 1,
  codecFilter(id, packetId, data) {
    if (Buffer.from(data).toString('latin1').includes('boom')) throw new Error('filter exploded');
    return { tag: 'pass' };
  },
});`;

type Call = [string, ...unknown[]];
const calls = (): Call[] => ((globalThis as { __codecCalls?: Call[] }).__codecCalls ??= []);

function say(backend: PlayBackend, username: string, text: string): void {
  backend.players.get(username)!.write('system_chat', { content: wireText(JSON.stringify({ text }), true), isActionBar: false });
}

describe('host: codec filters on a decoded connection', () => {
  let tmp: TempHost;
  let host: Host;
  let game: PlayBackend;
  let port: number;
  const pluginLogs: string[] = [];

  beforeAll(async () => {
    tmp = await tempHost();
    game = await startPlayBackend('Game', VERSION);
    await writeFile(join(tmp.dir, 'filters.mjs'), FILTERS);
    await writeFile(join(tmp.dir, 'trapper.mjs'), TRAPPER);
    ({ host, port } = await tmp.run({
      servers: { game: `domains = ["game.test"]\naddresses = ["127.0.0.1:${game.port}"]\nproxy_mode = "offline"\n` },
      config: 'bind = "127.0.0.1:0"\n\n[plugins.filters]\npath = "./filters.mjs"\n\n[plugins.trapper]\npath = "./trapper.mjs"\n',
      listen: (h) => h.plugins.on('log', (l) => pluginLogs.push(l.message)),
    }));
  });

  afterAll(async () => {
    await tmp?.cleanup();
    game?.close();
  });

  it('orders filters by priority and constraints and refuses a cycle with a clear error', () => {
    expect(host.plugins.codecs.order()).toEqual(['trap', 'loop-a', 'stamp', 'shout']);
    expect(pluginLogs).toContain('codec filter "loop-b" refused: its before/after constraints form a cycle (loop-a → loop-b)');
  });

  it("injects a filter's packets after the frame, and a trapping filter leaves its side passing through with the player connected", async () => {
    const ana = await joinPlay(port, 'game.test', 'ana', game);
    say(game, 'ana', 'ping');
    await until('the injected pong after ping', () => ana.messages.some((m) => m.includes('pong (injected)')));
    const order = ana.messages.map((m) => (m.includes('pong') ? 'pong' : m.includes('ping') ? 'ping' : 'other'));
    expect(order.indexOf('ping')).toBeLessThan(order.indexOf('pong'));
    expect(calls()).toContainEqual(['create', 1, 'server-side']);
    expect(calls()).toContainEqual(['create', 1, 'client-side']);
    // loop-a (3) then stamp (1) then shout (2): shout has the first priority but must come after stamp.
    const filtered = calls().filter((c) => c[0] === 'filter').map((c) => c[1]);
    expect(filtered.slice(0, 3)).toEqual([3, 1, 2]);

    say(game, 'ana', 'boom');
    await until('trapper poisoned', () => host.plugins.get('trapper')!.state === 'poisoned');
    say(game, 'ana', 'ping again');
    await until('later chat still arrives', () => ana.messages.some((m) => m.includes('ping again')));
    expect(ana.messages.some((m) => m.includes('boom'))).toBe(true);
    // The side fell back to pass-through: no more injection after "ping again".
    expect(ana.messages.filter((m) => m.includes('pong (injected)'))).toHaveLength(1);
    expect(ana.ended).toBe(false);
    await ana.leave();
    // Three filters of this plugin on each side, each instance closed once.
    await until('on-close for every instance', () => calls().filter((c) => c[0] === 'close').length === 6);
    expect(calls().filter((c) => c[0] === 'close' && c[1] === 'client-side')).toHaveLength(3);
    expect(calls()).toContainEqual(['state', 'server-side', 'play']);
  });
});
