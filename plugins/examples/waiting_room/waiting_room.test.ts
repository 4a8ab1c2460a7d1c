// waiting_room in a real host: the game server is down, so a player joining it waits in the proxy's limbo
// world with a title counting the seconds; once the server is up (the status probe sees it online and
// fires server-state-change) the plugin completes the held session from that event and the player lands on
// the game server without reconnecting. A hold with a timeout applies its outcome (deny) when nothing
// completes it. Both builds run; without `limbo`, each is checked with its own contract's answer.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, until } from '../../../test/support/minecraft-peers';
import { playClient, startPlayBackend, type PlayBackend } from '../../../test/support/play-peers';
import { EXAMPLE_BUILDS, startExampleHost, type ExampleHost } from '../example-host';

for (const [contract, version] of EXAMPLE_BUILDS.flatMap((c) => ['1.21.4', '1.20.2', '1.8.9'].map((v) => [c, v] as const))) {
  describe(`waiting_room example (${contract} build, ${version})`, () => {
    let game: PlayBackend | undefined;
    let ex: ExampleHost;
    const serverFile = (port: number) => `domains = ["game.test"]\naddresses = ["127.0.0.1:${port}"]\nproxy_mode = "offline"\nlimbo_handlers = ["waiting_room"]\n`;

    beforeAll(async () => {
      ex = await startExampleHost({
        contract,
        plugins: ['waiting_room'],
        servers: { game: { port: await freePort(), domains: ['game.test'], mode: 'offline', extra: 'limbo_handlers = ["waiting_room"]\n' } },
        config: '[plugins.waiting_room]\npermissions = ["limbo", "server-manage"]\n[plugins.waiting_room.settings]\nmax_wait_s = "60"\n',
      });
    });

    afterAll(async () => {
      await ex?.stop();
      game?.close();
    });

    it('holds a player in limbo with a counting title until the server is online, then sends them on', async () => {
      expect(ex.plugin('waiting_room').state).toBe('enabled');
      const ana = playClient(ex.port, 'game.test', 'ana', version);
      await until('in the limbo world', () => ana.joins > 0 || ana.ended, 10_000);
      expect(ana.kicked).toBeUndefined();
      await until('a counting title', () => ana.titles.some((t) => t.includes('Waiting for game')) && ana.messages.some((m) => m.includes('game is starting')), 5000);
      expect(ex.host.proxy!.limbo.holders().size).toBe(1);
      expect([...ex.host.proxy!.limbo.holders().values()]).toEqual(['waiting_room']);

      game = await startPlayBackend('Game', version);
      await writeFile(join(ex.dir, 'servers', 'game.toml'), serverFile(game.port));
      await ex.host.proxy!.servers.reload();
      await until('on the game server', () => game!.players.has('ana'), 10_000);
      await until('Join Game from the game server', () => ana.joins >= 2);
      expect(ana.ended).toBe(false);
      expect(ex.host.proxy!.limbo.holders().size).toBe(0);
      await ex.logged(/releasing 1 waiting player/);
      await ana.leave();
    });
  });
}

describe('waiting_room (0.2.3 build) without the limbo capability', () => {
  let game: PlayBackend;
  let ex: ExampleHost;

  beforeAll(async () => {
    game = await startPlayBackend('Game', '1.21.4');
    ex = await startExampleHost({
      contract: '0.2.3',
      plugins: ['waiting_room'],
      servers: { game: { port: await freePort(), domains: ['game.test'], mode: 'offline', extra: 'limbo_handlers = ["waiting_room"]\n' } },
      config: '[plugins.waiting_room]\npermissions = ["server-manage"]\n',
    });
    await writeFile(join(ex.dir, 'servers', 'game.toml'), `domains = ["game.test"]\naddresses = ["127.0.0.1:${game.port}"]\nproxy_mode = "offline"\nlimbo_handlers = ["waiting_room"]\n`);
    await ex.host.proxy!.servers.reload();
  });

  afterAll(async () => {
    await ex?.stop();
    game?.close();
  });

  it('never receives a session: the player goes on and the plugin is told which handler lacks which capability', async () => {
    await ex.logged(/limbo handler "waiting_room" will never receive a session: the plugin lacks the "limbo" capability/);
    const bo = playClient(ex.port, 'game.test', 'bo', '1.21.4');
    await until('on the game server', () => game.players.has('bo'), 10_000);
    expect(bo.titles).toEqual([]);
    expect(ex.logs.some((l) => /waits for game/.test(l.message))).toBe(false);
    await ex.logged(/limbo handler "waiting_room" of plugin waiting_room needs the "limbo" capability; the player was not given to it/);
    await bo.leave();
  });
});

describe('waiting_room (0.3.0 build) without the limbo capability', () => {
  let ex: ExampleHost;

  beforeAll(async () => {
    ex = await startExampleHost({
      plugins: ['waiting_room'],
      servers: { game: { port: await freePort(), domains: ['game.test'], mode: 'offline', extra: 'limbo_handlers = ["waiting_room"]\n' } },
      config: '[plugins.waiting_room]\npermissions = ["server-manage"]\n',
    });
  });

  afterAll(() => ex?.stop());

  it("refuses to start with the host's answer to its handler registration", () => {
    expect(ex.plugin('waiting_room')).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('limbo.register-limbo-handler(waiting_room): permission-denied: missing capability: limbo'),
    });
  });
});
