// The WAT 0.3.0 codec filter (fixture codec-pass-030, hand-written WebAssembly: no JS engine) in the whole
// host, on a real decoded connection: the plugin enables only when register-codec-filter answered ok, its
// filter runs in the plugin's codec store (a store started, batch calls counted), and every packet the backend
// sends reaches the client, in order, with no fallback to pass-through. The bench measures the same fixture.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../src/main/host/host';
import { wireText } from '../src/main/proxy/text-nbt';
import { until } from './support/minecraft-peers';
import { joinPlay, startPlayBackend, type PlayBackend } from './support/play-peers';
import { tempHost, type TempHost } from './support/temp-host';

const VERSION = '1.21.4';
const ID = 'codec_pass_030';

describe('host: a WAT 0.3.0 pass-through codec filter on a decoded connection', () => {
  let tmp: TempHost;
  let host: Host;
  let game: PlayBackend;
  let port: number;
  const logs: string[] = [];

  beforeAll(async () => {
    tmp = await tempHost();
    game = await startPlayBackend('Game', VERSION);
    await tmp.addPlugin('codec-pass-030');
    ({ host, port } = await tmp.run({
      servers: { game: `domains = ["game.test"]\naddresses = ["127.0.0.1:${game.port}"]\nproxy_mode = "offline"\n` },
      config: `bind = "127.0.0.1:0"\n\n[plugins.${ID}]\npermissions = ["codec-filter"]\n`,
      listen: (h) => h.plugins.on('log', (l) => l.pluginId === ID && logs.push(`${l.level} ${l.message}`)),
    }));
  });

  afterAll(async () => {
    await tmp?.cleanup();
    game?.close();
  });

  it('registers its filter through the 0.3.0 codec registry', () => {
    const plugin = host.plugins.get(ID);
    expect(plugin?.state, plugin?.reason ?? undefined).toBe('enabled');
    expect(logs).toContain('info codec_pass_030 enabled');
    expect(host.plugins.codecs.order()).toEqual(['wat_pass_030']);
  });

  it('passes every packet of a connection through its codec store, unchanged and in order', async () => {
    const callsBefore = host.plugins.pluginMetrics(ID).calls;
    const ana = await joinPlay(port, 'game.test', 'ana', game);
    const sent = Array.from({ length: 200 }, (_, i) => `wat pass ${i}`);
    for (const text of sent) {
      game.players.get('ana')!.write('system_chat', { content: wireText(JSON.stringify({ text }), true), isActionBar: false });
    }
    await until('the last message', () => ana.messages.some((m) => m.includes('wat pass 199')));
    const arrived = ana.messages.flatMap((m) => /wat pass (\d+)/.exec(m)?.[1] ?? []).map(Number);
    expect(arrived).toEqual(sent.map((_, i) => i));
    // The frames went through the guest: a codec store started and answered batches, no side fell back.
    expect(host.plugins.codecStores.starts.length).toBeGreaterThanOrEqual(1);
    expect(host.plugins.pluginMetrics(ID).calls).toBeGreaterThan(callsBefore);
    expect(host.plugins.codecs.fallbacksOf(ID)).toEqual([]);
    expect(ana.ended).toBe(false);
    await ana.leave();
  });
});
