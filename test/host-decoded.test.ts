// The whole host with a decoding proxy mode: a native plugin greets players with a message and a title
// through player-registry, moves them on a chat command, catches kicks to send them back to the lobby,
// and gets the contract's errors for a passthrough player. Real proxy, real minecraft-protocol peers.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../src/main/host/host';
import { until } from './support/minecraft-peers';
import { joinPlay, startPlayBackend, type PlayBackend } from './support/play-peers';
import { tempHost, type TempHost } from './support/temp-host';

const VERSION = '1.21.4';

const PLUGIN = `
export default (host) => {
  const players = host['player-registry'];
  const results = (globalThis.__decodedResults ??= []);
  return {
    metadata: () => ({ id: 'welcome', name: 'Welcome', version: '1', authors: [], description: undefined, dependencies: [] }),
    onEnable() {
      for (const kind of ['server-connected', 'chat-message', 'kicked-from-server', 'server-switch']) host['event-bus'].subscribe(kind, 128);
    },
    async handleEvent(listener, ev) {
      if (ev.tag === 'server-connected') {
        const { playerId, server } = ev.val;
        results.push(['message', server, await players.Player.sendMessage(playerId, JSON.stringify({ text: 'Welcome to ' + server }))]);
        results.push(['title', server, await players.Player.sendTitle(playerId, { title: '{"text":"Hello!"}', subtitle: '{"text":"enjoy"}', fadeInTicks: 2, stayTicks: 20, fadeOutTicks: 2 })]);
      }
      if (ev.tag === 'chat-message' && ev.val.message === '!game') {
        results.push(['switch', await players.Player.switchServer(ev.val.playerId, 'game')]);
        return { tag: 'chat-message', val: { tag: 'deny', val: '{"text":"moving you"}' } };
      }
      if (ev.tag === 'kicked-from-server' && ev.val.server !== 'lobby') return { tag: 'kicked-from-server', val: { tag: 'redirect-to', val: 'lobby' } };
      return { tag: 'none' };
    },
  };
};`;

type Result = [string, ...unknown[]];
const results = (): Result[] => ((globalThis as { __decodedResults?: Result[] }).__decodedResults ??= []);

describe('host: a plugin talking to players of a decoding mode', () => {
  let tmp: TempHost;
  let host: Host;
  let lobby: PlayBackend;
  let game: PlayBackend;
  let port: number;
  /** What the host reported dispatching: the panel's event feed is built from it. */
  const fired: string[] = [];

  beforeAll(async () => {
    tmp = await tempHost();
    [lobby, game] = await Promise.all([startPlayBackend('Lobby', VERSION), startPlayBackend('Game', VERSION)]);
    await writeFile(join(tmp.dir, 'welcome.mjs'), PLUGIN);
    ({ host, port } = await tmp.run({
      servers: {
        lobby: `domains = ["lobby.test"]\naddresses = ["127.0.0.1:${lobby.port}"]\nproxy_mode = "offline"\n`,
        game: `domains = ["game.test"]\naddresses = ["127.0.0.1:${game.port}"]\nproxy_mode = "offline"\n`,
        plain: `domains = ["plain.test"]\naddresses = ["127.0.0.1:${lobby.port}"]\n`,
      },
      config: 'bind = "127.0.0.1:0"\n\n[plugins.welcome]\npath = "./welcome.mjs"\n',
    }));
    host.on('dispatched', (d: { event: { tag: string } }) => fired.push(d.event.tag));
  });

  afterAll(async () => {
    await tmp?.cleanup();
    lobby?.close();
    game?.close();
  });

  it("shows the plugin's message and title, moves the player on its chat command, and sends a kicked player back to the lobby", async () => {
    expect(host.plugins.get('welcome')!.state).toBe('enabled');
    const ann = await joinPlay(port, 'lobby.test', 'Ann', lobby);
    await until('welcome message and title', () => ann.messages.some((m) => m.includes('Welcome to lobby')) && ann.titles.some((t) => t.includes('Hello!')));
    expect(results().filter((r) => r[1] === 'lobby')).toEqual([
      ['message', 'lobby', { tag: 'ok', val: undefined }],
      ['title', 'lobby', { tag: 'ok', val: undefined }],
    ]);

    await until('in play', () => ann.joined);
    ann.chat('!game');
    await until('moved to game', () => game.players.has('Ann'));
    await until('welcomed on game', () => ann.messages.some((m) => m.includes('Welcome to game')));
    expect(ann.messages.some((m) => m.includes('moving you'))).toBe(true);
    expect(lobby.chats.some((c) => c.message === '!game')).toBe(false);
    expect(results()).toContainEqual(['switch', { tag: 'ok', val: undefined }]);

    game.kick('Ann', 'game over');
    await until('back in the lobby', () => lobby.players.has('Ann'));
    expect(ann.ended).toBe(false);
    await until('the feed saw chat, switch and kick', () => ['chat-message', 'server-switch', 'kicked-from-server'].every((k) => fired.includes(k)));
    await ann.leave();
  });

  it('answers the contract errors for a passthrough player', async () => {
    const bo = await joinPlay(port, 'plain.test', 'Bo', lobby);
    await until('plugin results for Bo', () => results().some((r) => r[0] === 'title' && r[1] === 'plain'));
    expect(results().find((r) => r[0] === 'message' && r[1] === 'plain')?.[2]).toEqual({ tag: 'err', val: { tag: 'send-failed', val: expect.stringMatching(/passthrough/) } });
    await bo.leave();
  });
});
