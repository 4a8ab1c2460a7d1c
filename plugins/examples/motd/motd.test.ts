// motd in a real host: a server-list ping through the proxy shows the configured text and the number of
// players connected to the proxy, and an edited text applies without restarting the proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pingVia, startBackend, until, type Backend } from '../../../test/support/minecraft-peers';
import { joinAndStay, startExampleHost, EXAMPLE_BUILDS, type ExampleHost } from '../example-host';

describe.each(EXAMPLE_BUILDS)('motd example (%s build)', (contract) => {
  let backend: Backend;
  let ex: ExampleHost;

  beforeAll(async () => {
    backend = await startBackend('Backend MOTD');
    ex = await startExampleHost({
      contract,
      plugins: ['motd'],
      servers: { survival: { port: backend.port, domains: ['play.test'] } },
      config: '[plugins.motd.settings]\ntext = "Welcome to the test network"\n',
    });
  });

  afterAll(async () => {
    await ex?.stop();
    backend?.close();
  });

  it('rewrites the ping: configured text, online count from the player registry', async () => {
    expect(ex.plugin('motd').state).toBe('enabled');
    const before = await pingVia(ex.port, 'play.test');
    expect(before.description).toEqual({ text: 'Welcome to the test network' });
    expect(before.players.online).toBe(0);

    const alice = await joinAndStay(ex.port, 'play.test', 'alice', backend);
    await until('alice registered', () => ex.host.players().length === 1);
    const during = await pingVia(ex.port, 'play.test');
    expect(during.players.online).toBe(1);
    // The rest of the answer is the backend's.
    expect(during.version.name).toBe(before.version.name);

    alice.leave();
    await until('alice gone', () => ex.host.players().length === 0);
    expect((await pingVia(ex.port, 'play.test')).players.online).toBe(0);
  });

  it('takes an edited text without restarting the proxy', async () => {
    await ex.reconfigure('[plugins.motd.settings]\ntext = "Maintenance tonight"\n');
    expect((await pingVia(ex.port, 'play.test')).description).toEqual({ text: 'Maintenance tonight' });
  });

  it("keeps the backend's own text when none is configured", async () => {
    await ex.reconfigure('');
    expect((await pingVia(ex.port, 'play.test')).description).toMatchObject({ text: 'Backend MOTD' });
  });
});
