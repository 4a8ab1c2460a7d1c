// allowlist in a real host: names in plugins/allowlist/allowlist.txt join the backend, anyone else is
// refused at pre-login with the configured reason on their screen; edits to the file apply at the next login.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinVia, startBackend, type Backend } from '../../../test/support/minecraft-peers';
import { startExampleHost, EXAMPLE_BUILDS, type ExampleHost } from '../example-host';

describe.each(EXAMPLE_BUILDS)('allowlist example (%s build)', (contract) => {
  let backend: Backend;
  let ex: ExampleHost;
  const listFile = () => join(ex.dir, 'plugins', 'allowlist', 'allowlist.txt');

  beforeAll(async () => {
    backend = await startBackend('Members only');
    ex = await startExampleHost({
      contract,
      plugins: ['allowlist'],
      servers: { main: { port: backend.port, domains: ['mc.test'] } },
      config: '[plugins.allowlist.settings]\nmessage = "Ask an admin to add you."\n',
      files: { 'plugins/allowlist/allowlist.txt': '# staff\nAlice\n  bob  # builder\n' },
    });
  });

  afterAll(async () => {
    await ex?.stop();
    backend?.close();
  });

  it('lets listed names in (any case) and refuses others with the reason they see', async () => {
    expect(ex.plugin('allowlist').state).toBe('enabled');
    await ex.logged(/^2 player\(s\) on the allowlist$/);
    expect((await joinVia(ex.port, 'mc.test', 'alice', [backend])).backend).toBe(0);
    expect((await joinVia(ex.port, 'mc.test', 'Bob', [backend])).backend).toBe(0);
    const refused = await joinVia(ex.port, 'mc.test', 'mallory', [backend]);
    expect(JSON.parse(refused.kicked!)).toEqual({ text: 'Ask an admin to add you.' });
    expect(backend.logins).not.toContain('mallory');
  });

  it('rereads the file when it changes', async () => {
    await writeFile(listFile(), 'alice\nmallory\n');
    expect((await joinVia(ex.port, 'mc.test', 'mallory', [backend])).backend).toBe(0);
    expect((await joinVia(ex.port, 'mc.test', 'bob', [backend])).kicked).toContain('Ask an admin');
  });

  it('creates an empty list on first start, and then refuses everyone with the default reason', async () => {
    const fresh = await startExampleHost({ contract, plugins: ['allowlist'], servers: { main: { port: backend.port, domains: ['mc.test'] } } });
    try {
      await fresh.logged(/lists nobody: every player will be refused/);
      expect(await readFile(join(fresh.dir, 'plugins', 'allowlist', 'allowlist.txt'), 'utf8')).toMatch(/^# Players allowed to join/);
      const refused = await joinVia(fresh.port, 'mc.test', 'alice', [backend]);
      expect(JSON.parse(refused.kicked!)).toEqual({ text: 'You are not on the allowlist of this server.' });
    } finally {
      await fresh.stop();
    }
  });
});
