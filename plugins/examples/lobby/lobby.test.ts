// lobby in a real host: while the lobby server is online every player lands there first, whatever
// address they used; when the configured lobby is offline they reach their own server. It needs
// `server-manage` (server-manager's get-state) and is refused without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, joinVia, startBackend, until, type Backend } from '../../../test/support/minecraft-peers';
import { startExampleHost, EXAMPLE_BUILDS, type ExampleHost } from '../example-host';

const GRANT = 'permissions = ["server-manage"]\n';

describe.each(EXAMPLE_BUILDS)('lobby example (%s build)', (contract) => {
  let lobby: Backend;
  let survival: Backend;
  let ex: ExampleHost;

  beforeAll(async () => {
    [lobby, survival] = await Promise.all([startBackend('Lobby'), startBackend('Survival')]);
    ex = await startExampleHost({
      contract,
      plugins: ['lobby'],
      servers: {
        lobby: { port: lobby.port, domains: ['lobby.test'] },
        survival: { port: survival.port, domains: ['play.test'] },
        // Nothing listens here: the status probe keeps it offline.
        hub: { port: await freePort(), domains: ['hub.test'] },
      },
      config: `[plugins.lobby]\n${GRANT}`,
    });
    await until('lobby online', () => ex.host.servers().find((s) => s.id === 'lobby')?.state === 'online');
  });

  afterAll(async () => {
    await ex?.stop();
    lobby?.close();
    survival?.close();
  });

  it('sends a player who asked for survival to the online lobby', async () => {
    expect(ex.plugin('lobby').state).toBe('enabled');
    const joined = await joinVia(ex.port, 'play.test', 'alice', [lobby, survival]);
    expect(joined.backend).toBe(0);
    expect(lobby.logins).toContain('alice');
    expect(survival.logins).not.toContain('alice');
  });

  it('leaves players alone when the configured lobby is offline', async () => {
    await ex.reconfigure(`[plugins.lobby]\n${GRANT}\n[plugins.lobby.settings]\nserver = "hub"\n`);
    expect(ex.host.servers().find((s) => s.id === 'hub')?.state).toBe('offline');
    expect((await joinVia(ex.port, 'play.test', 'bob', [lobby, survival])).backend).toBe(1);
  });

  it(`is ${contract === '0.2.3' ? 'capability-denied' : 'refused by its own enable'} without server-manage`, async () => {
    await ex.reconfigure('');
    if (contract === '0.2.3') expect(ex.plugin('lobby')).toMatchObject({ state: 'capability-denied', missingCapabilities: ['server-manage'] });
    // 0.3.0 links every interface and checks at call time: the plugin checks its grants itself.
    else expect(ex.plugin('lobby')).toMatchObject({ state: 'failed', reason: expect.stringContaining('needs the server-manage capability') });
    expect((await joinVia(ex.port, 'play.test', 'carol', [lobby, survival])).backend).toBe(1);
  });
});
