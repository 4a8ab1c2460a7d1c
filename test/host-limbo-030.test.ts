// 0.3.0 limbo in the whole host, with a real 0.3.0 guest (test/fixtures/js030/codec-limbo.js, QuickJS)
// and real minecraft-protocol peers: a server's limbo_handlers hold the player until a command completes
// the acquired handle (complete refuses a new hold with invalid-argument and keeps the hold; the handle is
// cancelled after; a stale handle's complete is a no-op), hold-with-timeout's host-owned timer lets the
// player go, limbo-enter / limbo-exit reach the plugin, and a fault in limbo-on-player-enter denies that
// player and every player its lost instance held with "Limbo handler unavailable".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../src/main/host/host';
import { until } from './support/minecraft-peers';
import { playClient, startPlayBackend, type PlayBackend } from './support/play-peers';
import { tempHost, type TempHost } from './support/temp-host';

const VERSION = '1.21.4';

describe('host: 0.3.0 limbo handlers holding real players', () => {
  let tmp: TempHost;
  let host: Host;
  let game: PlayBackend;
  let port: number;
  const logs: string[] = [];

  beforeAll(async () => {
    tmp = await tempHost();
    game = await startPlayBackend('Game', VERSION);
    await tmp.addPlugin('codec-limbo-030', 'codec-limbo.wasm');
    ({ host, port } = await tmp.run({
      servers: { gate: `domains = ["gate.test"]\naddresses = ["127.0.0.1:${game.port}"]\nproxy_mode = "offline"\nlimbo_handlers = ["gate"]\n` },
      config: 'bind = "127.0.0.1:0"\n\n[plugins.codec_limbo]\npermissions = ["limbo"]\n',
      listen: (h) => {
        h.plugins.on('log', (l) => l.pluginId === 'codec_limbo' && logs.push(l.message));
        if (process.env.CT_DEBUG) h.on('log', (l) => console.log(JSON.stringify(l)));
      },
    }));
  });

  afterAll(async () => {
    await tmp?.cleanup();
    game?.close();
  });

  it('holds the player until the acquired handle completes; complete refuses a new hold and keeps it', async () => {
    const ann = playClient(port, 'gate.test', 'ann', VERSION);
    await until('ann held', () => logs.includes('limbo enter ann initial-connection'));
    await until('limbo-enter delivered', () => logs.includes('limbo-enter ann gate initial-connection'));
    expect(game.players.has('ann')).toBe(false);
    await host.plugins.runCommand('ct release ann');
    expect(logs).toContain('complete hold err invalid-argument');
    expect(logs).toContain('cancelled before false');
    expect(logs).toContain('complete accept ok');
    expect(logs).toContain('complete stale ok');
    await until('ann on the game server', () => game.players.has('ann'));
    expect(logs).toContain('cancelled after true');
    await until('limbo-exit delivered', () => logs.includes('limbo-exit ann released gate'));
    expect(logs).toContain('limbo session-end released');
    expect(ann.kicked).toBeUndefined();
    await ann.leave();
  });

  it("lets a hold-with-timeout go when the host's timer fires", async () => {
    const waiter = playClient(port, 'gate.test', 'waiter', VERSION);
    await until('waiter on the game server', () => game.players.has('waiter'));
    await until('limbo-exit timed-out', () => logs.includes('limbo-exit waiter timed-out gate'));
    expect(logs).toContain('limbo session-end timed-out');
    await waiter.leave();
  });

  it('denies the player whose limbo-on-player-enter faults, and the players the lost instance held', async () => {
    const held = playClient(port, 'gate.test', 'held', VERSION);
    await until('held in limbo', () => logs.includes('limbo enter held initial-connection'));
    const faulty = playClient(port, 'gate.test', 'faulty', VERSION);
    await until('faulty denied', () => faulty.ended);
    expect(faulty.kicked).toContain('Limbo handler unavailable');
    await until('held denied', () => held.ended);
    expect(held.kicked).toContain('Limbo handler unavailable');
    expect(game.players.has('faulty') || game.players.has('held')).toBe(false);
    // The plugin recovers in a fresh instance and registers its handler again.
    await until('recovered', () => logs.includes('enable recovered') && host.plugins.get('codec_limbo')!.state === 'enabled');
    const again = playClient(port, 'gate.test', 'again', VERSION);
    await until('held by the fresh instance', () => logs.includes('limbo enter again initial-connection'));
    await host.plugins.runCommand('ct release again');
    await until('again on the game server', () => game.players.has('again'));
    await again.leave();
  });
});
