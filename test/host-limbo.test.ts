// Limbo in the whole host, with real minecraft-protocol clients and backends and native plugins as the
// handlers: a server's limbo_handlers hold a player in the proxy's own world (a title, then a scheduled task
// completes the session through an acquired handle and the player lands on the backend); a failing handler
// passes the player to the next one; hold-with-timeout applies its outcome; chat and commands in limbo reach
// the handler; a kicked player is sent to limbo by a plugin; and every session-end reason is reported.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/main/fs/atomic-write';
import { Host } from '../src/main/host/host';
import { until } from './support/minecraft-peers';
import { joinPlay, playClient, startPlayBackend, type PlayBackend } from './support/play-peers';
import { tempHost, type TempHost } from './support/temp-host';

const VERSION = '1.21.4';

// Handlers: gate (title, hold, completed from a scheduled task), slow (hold-with-timeout → redirect to
// game), chatty (records chat and commands; "/leave" denies), back (kicked players: redirect to lobby).
const GATE = `
export default (host) => {
  const limbo = host.limbo;
  const S = limbo.LimboSession, H = limbo.LimboSessionHandle;
  const log = (globalThis.__limbo ??= []);
  const handlers = { 1: 'gate', 2: 'slow', 3: 'chatty', 4: 'back' };
  const pending = new Map();
  let nextTask = 100;
  return {
    metadata: () => ({ id: 'gate', name: 'Gate', version: '1', authors: [], description: undefined, dependencies: [] }),
    onEnable() {
      for (const [id, name] of Object.entries(handlers)) limbo.registerLimboHandler(name, BigInt(id));
      host['event-bus'].subscribe('kicked-from-server', 128);
      host['event-bus'].subscribe('player-choose-initial-server', 128);
    },
    handleEvent(listener, ev) {
      if (ev.tag === 'kicked-from-server' && ev.val.server === 'game') return { tag: 'kicked-from-server', val: { tag: 'send-to-limbo', val: ['back'] } };
      if (ev.tag === 'player-choose-initial-server' && ev.val.initialServer === 'pick') return { tag: 'player-choose-initial-server', val: { tag: 'send-to-limbo', val: ['back'] } };
      return { tag: 'none' };
    },
    limboOnPlayerEnter(handler, session) {
      const name = handlers[Number(handler)];
      const ctx = S.entryContext(session.id);
      log.push(['enter', name, S.profile(session.id).username, ctx]);
      if (name === 'gate') {
        S.sendTitle(session.id, { title: '{"text":"Please wait"}', subtitle: '{"text":"gate"}', fadeInTicks: 0, stayTicks: 40, fadeOutTicks: 0 });
        const handle = S.acquireHandle(session.id);
        const task = BigInt(nextTask++);
        pending.set(task, handle);
        host.scheduler.delay(300n, task);
        return { tag: 'hold' };
      }
      if (name === 'slow') return { tag: 'hold-with-timeout', val: { afterMs: 200n, onTimeout: { tag: 'redirect', val: 'game' } } };
      if (name === 'chatty') {
        S.sendMessage(session.id, '{"text":"say something"}');
        return { tag: 'hold' };
      }
      if (name === 'back') return { tag: 'redirect', val: 'lobby' };
      return { tag: 'accept' };
    },
    onScheduledTask(task) {
      const handle = pending.get(task);
      pending.delete(task);
      log.push(['task', H.cancelled(handle.id)]);
      H.complete(handle.id, { tag: 'accept' });
      log.push(['completed', H.cancelled(handle.id)]);
      H.complete(handle.id, { tag: 'deny', val: '{"text":"too late"}' }); // a no-op: the session ended
    },
    limboOnChat(handler, session, message) {
      log.push(['chat', handlers[Number(handler)], message]);
      S.sendActionBar(session.id, JSON.stringify({ text: 'heard: ' + message }));
    },
    limboOnCommand(handler, session, command, args) {
      log.push(['command', handlers[Number(handler)], command, args]);
      if (command === 'leave') S.complete(session.id, { tag: 'deny', val: '{"text":"bye from limbo"}' });
    },
    limboOnDisconnect(handler, player) {
      log.push(['disconnect', handlers[Number(handler)]]);
    },
    limboOnSessionEnd(handler, player, reason) {
      log.push(['end', handlers[Number(handler)], reason]);
    },
  };
};`;

// A handler whose plugin throws: the player goes on to the next handler.
const BROKEN = `
export default (host) => ({
  metadata: () => ({ id: 'broken', name: 'Broken', version: '1', authors: [], description: undefined, dependencies: [] }),
  onEnable() { host.limbo.registerLimboHandler('broken', 1n); },
  limboOnPlayerEnter() { throw new Error('handler exploded'); },
});`;

type Entry = [string, ...unknown[]];
const log = (): Entry[] => ((globalThis as { __limbo?: Entry[] }).__limbo ??= []);
const ends = (name: string) => log().filter((e) => e[0] === 'end' && e[1] === name).map((e) => e[2]);

describe('host: limbo handlers holding real players', () => {
  let tmp: TempHost;
  let host: Host;
  let lobby: PlayBackend;
  let game: PlayBackend;
  let port: number;

  beforeAll(async () => {
    tmp = await tempHost();
    [lobby, game] = await Promise.all([startPlayBackend('Lobby', VERSION), startPlayBackend('Game', VERSION)]);
    const servers = join(tmp.dir, 'servers');
    await mkdir(servers);
    const server = (id: string, port: number, extra = '') =>
      writeFileAtomic(join(servers, `${id}.toml`), `domains = ["${id}.test"]\naddresses = ["127.0.0.1:${port}"]\nproxy_mode = "offline"\n${extra}`);
    await server('lobby', lobby.port, 'limbo_handlers = ["broken", "gate"]\n');
    await server('game', game.port);
    await server('slow', lobby.port, 'limbo_handlers = ["slow"]\n');
    await server('chat', lobby.port, 'limbo_handlers = ["chatty"]\n');
    await server('pick', game.port);
    await writeFile(join(tmp.dir, 'gate.mjs'), GATE);
    await writeFile(join(tmp.dir, 'broken.mjs'), BROKEN);
    await tmp.writeConfig('bind = "127.0.0.1:0"\n\n[plugins.gate]\npath = "./gate.mjs"\n\n[plugins.broken]\npath = "./broken.mjs"\n');
    host = await Host.start({ cwd: tmp.dir });
    port = Number(host.proxyStatus().address!.split(':').pop());
  });

  afterAll(async () => {
    await host?.stop();
    lobby?.close();
    game?.close();
    await tmp?.cleanup();
  });

  it('skips a failing handler, shows the title of the holding one, and lands the player on the backend once a scheduled task completes the session', async () => {
    const ann = playClient(port, 'lobby.test', 'Ann', VERSION);
    await until('the title in limbo', () => ann.titles.some((t) => t.includes('Please wait')));
    expect(lobby.players.has('Ann')).toBe(false);
    expect(host.plugins.get('broken')!.state).toBe('poisoned');
    await until('on the lobby', () => lobby.players.has('Ann') && ann.joins >= 2);
    expect(log()).toContainEqual(['enter', 'gate', 'Ann', { tag: 'initial-connection', val: 'lobby' }]);
    expect(log()).toContainEqual(['task', false]);
    expect(log()).toContainEqual(['completed', true]);
    expect(ends('gate')).toEqual(['released']);
    expect(ann.kicked).toBeUndefined();
    await ann.leave();
  });

  it('applies the outcome of a hold with timeout', async () => {
    const bo = playClient(port, 'slow.test', 'Bo', VERSION);
    await until('on game after the timeout', () => game.players.has('Bo'));
    expect(ends('slow')).toEqual(['timed-out']);
    await bo.leave();
  });

  it('delivers chat and commands in limbo to the handler, which denies from a command', async () => {
    const cy = playClient(port, 'chat.test', 'Cy', VERSION);
    await until('in limbo', () => cy.messages.some((m) => m.includes('say something')));
    cy.chat('hello limbo');
    await until('chat heard', () => cy.actionBars.some((m) => m.includes('heard: hello limbo')));
    cy.client.write('chat_command', { command: 'leave now', timestamp: BigInt(Date.now()), salt: 0n, argumentSignatures: [], messageCount: 0, acknowledged: Buffer.alloc(3), checksum: 0 });
    await until('denied', () => cy.ended);
    expect(cy.kicked).toContain('bye from limbo');
    expect(log()).toContainEqual(['chat', 'chatty', 'hello limbo']);
    expect(log()).toContainEqual(['command', 'chatty', 'leave', ['now']]);
    expect(ends('chatty')).toEqual(['kicked']);
  });

  it('sends a kicked player to limbo, whose handler redirects them', async () => {
    const di = await joinPlay(port, 'game.test', 'Di', game);
    game.kick('Di', 'go away');
    await until('on the lobby', () => lobby.players.has('Di'));
    expect(log()).toContainEqual(['enter', 'back', 'Di', { tag: 'kicked-from-server', val: ['game', expect.stringContaining('go away')] }]);
    expect(ends('back')).toContain('redirected');
    expect(di.ended).toBe(false);
    await di.leave();
  });

  it('sends a joining player to limbo from player-choose-initial-server', async () => {
    const hal = playClient(port, 'pick.test', 'Hal', VERSION);
    await until('on the lobby', () => lobby.players.has('Hal'));
    expect(log()).toContainEqual(['enter', 'back', 'Hal', { tag: 'plugin-redirect', val: 'pick' }]);
    expect(game.players.has('Hal')).toBe(false);
    await hal.leave();
  });

  it('drops a client that stops answering keep-alives in limbo (15 s), telling the handler', async () => {
    const gus = playClient(port, 'chat.test', 'Gus', VERSION);
    await until('in limbo', () => gus.messages.some((m) => m.includes('say something')));
    // minecraft-protocol answers keep-alives by itself: this client stops.
    gus.client.removeAllListeners('keep_alive');
    await until('dropped', () => gus.ended, 30_000);
    expect(gus.kicked).toContain('disconnect.timeout');
    await until('reported', () => log().some((e) => e[0] === 'disconnect' && e[1] === 'chatty'));
  }, 40_000);

  it('tells the handler when a held player leaves, and ends the sessions still held at shutdown', async () => {
    const ed = playClient(port, 'chat.test', 'Ed', VERSION);
    await until('in limbo', () => ed.messages.some((m) => m.includes('say something')));
    await ed.leave();
    await until('disconnect reported', () => ends('chatty').filter((r) => r === 'disconnected').length === 2);

    const fi = playClient(port, 'chat.test', 'Fi', VERSION);
    await until('in limbo', () => fi.messages.some((m) => m.includes('say something')));
    expect([...host.proxy!.limbo.holders().values()]).toEqual(['chatty']);
    // The panel's players list shows who holds the player.
    expect(host.players().find((p) => p.username === 'Fi')?.limbo).toEqual({ handler: 'chatty', plugin: 'gate' });
    await host.stop();
    expect(ends('chatty')).toContain('shutdown');
  });
});
