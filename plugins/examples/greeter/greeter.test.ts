// greeter in a real host: a join and a leave through the proxy each give a log line, and the scheduler
// fires the periodic online-count report at the configured interval.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../../test/support/minecraft-peers';
import { joinAndStay, startExampleHost, EXAMPLE_BUILDS, type ExampleHost } from '../example-host';

describe.each(EXAMPLE_BUILDS)('greeter example (%s build)', (contract) => {
  let backend: Backend;
  let ex: ExampleHost;

  beforeAll(async () => {
    backend = await startBackend('Greeted');
    ex = await startExampleHost({
      contract,
      plugins: ['greeter'],
      servers: { main: { port: backend.port, domains: ['mc.test'] } },
      config: '[plugins.greeter.settings]\nreport_every_seconds = 0.25\n',
    });
  });

  afterAll(async () => {
    await ex?.stop();
    backend?.close();
  });

  it('logs joins and leaves, and how many players are online every interval', async () => {
    expect(ex.plugin('greeter').state).toBe('enabled');
    await ex.logged(/^0 player\(s\) online$/);
    const alice = await joinAndStay(ex.port, 'mc.test', 'alice', backend);
    await ex.logged(/^alice joined$/);
    await ex.logged(/^1 player\(s\) online$/);
    alice.leave();
    await ex.logged(/^alice left main$/);
    const reports = ex.logs.filter((l) => /player\(s\) online$/.test(l.message));
    expect(reports.every((l) => l.pluginId === 'greeter' && l.level === 'info')).toBe(true);
    expect(reports.length).toBeGreaterThanOrEqual(2);
  });

  it('warns about a bad interval and falls back to five minutes', async () => {
    await ex.reconfigure('[plugins.greeter.settings]\nreport_every_seconds = "soon"\n');
    await ex.logged(/report_every_seconds = soon is not a number of seconds: using 300/);
    expect(ex.host.plugins.scheduler.count('greeter')).toBe(1);
  });
});
