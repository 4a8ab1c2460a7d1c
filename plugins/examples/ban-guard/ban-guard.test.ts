// ban-guard in a real host, capability flow end to end: without `ban` the 0.2.3 build is refused before it
// runs and /ban does not exist, while the 0.3.0 build runs with a load warning and its ban calls are
// refused; once granted, /ban disconnects an online player, records the ban in data_dir/bans.json and the
// proxy refuses their next join with the reason; /unban lets them back.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinVia, startBackend, until, type Backend } from '../../../test/support/minecraft-peers';
import { joinAndStay, startExampleHost, EXAMPLE_BUILDS, type ExampleHost } from '../example-host';

const GRANTED = '[plugins.ban_guard]\npermissions = ["ban"]\n';

describe.each(EXAMPLE_BUILDS)('ban-guard example (%s build)', (contract) => {
  let backend: Backend;
  let ex: ExampleHost;

  beforeAll(async () => {
    backend = await startBackend('Guarded');
    ex = await startExampleHost({ contract, plugins: ['ban-guard'], servers: { main: { port: backend.port, domains: ['mc.test'] } } });
  });

  afterAll(async () => {
    await ex?.stop();
    backend?.close();
  });

  it.runIf(contract === '0.2.3')('is capability-denied without `ban`, and its command does not exist', async () => {
    expect(ex.plugin('ban_guard')).toMatchObject({ state: 'capability-denied', missingCapabilities: ['ban'] });
    expect(ex.plugin('ban_guard').reason).toMatch(/ban-service.*permissions = \["ban"\]/);
    expect(await ex.host.runCommand('/ban bob')).toEqual({ ok: false, output: 'unknown command: /ban' });
  });

  it.runIf(contract === '0.3.0')('runs without `ban` with a load warning, and /ban is answered permission-denied', async () => {
    expect(ex.plugin('ban_guard').state).toBe('enabled');
    expect(ex.plugin('ban_guard').warnings.join('\n')).toMatch(/ban-service@0\.3\.0 \(needs capability `ban`\)/);
    expect((await ex.host.runCommand('/ban bob')).ok).toBe(true);
    await ex.logged(/^could not ban bob: permission-denied: missing capability: ban$/);
  });

  it('once granted, /ban disconnects the player and the proxy refuses their next join', async () => {
    await ex.reconfigure(GRANTED);
    expect(ex.plugin('ban_guard').state).toBe('enabled');
    expect(await ex.host.tabComplete('/ba')).toEqual(['ban']);

    const bob = await joinAndStay(ex.port, 'mc.test', 'bob', backend);
    await until('bob registered', () => ex.host.players().length === 1);
    expect(await ex.host.tabComplete('/ban b')).toEqual(['bob']);
    expect((await ex.host.runCommand('/ban bob griefing the spawn')).ok).toBe(true);
    await ex.logged(/^banned bob \(griefing the spawn\) and disconnected them$/);
    await bob.ended;

    const bans = JSON.parse(await readFile(join(ex.dir, 'data', 'bans.json'), 'utf8'));
    expect(JSON.stringify(bans)).toContain('griefing the spawn');
    const again = await joinVia(ex.port, 'mc.test', 'bob', [backend]);
    expect(again.kicked).toContain('You are banned');
    expect(again.kicked).toContain('griefing the spawn');
  });

  it('/pardon (alias of /unban) lets them back; usage errors are logged', async () => {
    await ex.host.runCommand('/pardon bob');
    await ex.logged(/^unbanned bob$/);
    expect((await joinVia(ex.port, 'mc.test', 'bob', [backend])).backend).toBe(0);
    await ex.host.runCommand('/ban');
    await ex.logged(/^usage: \/ban <name> \[reason\]$/);
  });
});
