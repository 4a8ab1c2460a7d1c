// [ban] and [permissions] provider settings: validated like every other key, with warnings.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config';

let cwd: string;
beforeEach(async () => (cwd = await mkdtemp(join(tmpdir(), 'providers-config-'))));
afterEach(async () => rm(cwd, { recursive: true, force: true }));

async function load(toml: string) {
  await writeFile(join(cwd, 'infrarust.toml'), toml);
  const r = loadConfig({ cwd });
  if (!r.ok) throw new Error(r.error.message);
  return { config: r.config, warnings: r.warnings.map((w) => w.message.replace(`${join(cwd, 'infrarust.toml')}: `, '')) };
}

describe('[ban] and [permissions]', () => {
  it('default to the built-in providers and a 5 s check budget', async () => {
    const { config, warnings } = await load('');
    expect(config.ban).toEqual({ provider: null, checkTimeoutMs: 5000 });
    expect(config.permissions).toEqual({ provider: null });
    expect(warnings).toEqual([]);
  });

  it('name a granted plugin without warnings', async () => {
    const { config, warnings } = await load(
      '[ban]\nprovider = "guard"\ncheck_timeout = 750\n[permissions]\nprovider = "perms"\n[plugins.guard]\npermissions = ["ban-provider"]\n[plugins.perms]\npermissions = ["permission-provider"]\n',
    );
    expect(config.ban).toEqual({ provider: 'guard', checkTimeoutMs: 750 });
    expect(config.permissions).toEqual({ provider: 'perms' });
    expect(warnings).toEqual([]);
  });

  it('warn about a provider without its capability, a bad id, a bad budget and unknown keys', async () => {
    const { config, warnings } = await load('[ban]\nprovider = "guard"\ncheck_timeout = "forever"\nmode = 1\n[permissions]\nprovider = "Not An Id"\n');
    expect(config.ban).toEqual({ provider: 'guard', checkTimeoutMs: 5000 });
    expect(config.permissions).toEqual({ provider: null });
    expect(warnings).toEqual([
      '[ban] mode: unknown key ignored',
      '[ban] provider: names "guard", which needs permissions = ["ban-provider"] in [plugins.guard] to register',
      '[ban] check_timeout: must be milliseconds from 1 to 600000 or a duration like "5s"; using 5000',
      '[permissions] provider: must be a plugin id or "builtin"; using the built-in provider',
    ]);
  });

  it('reads strict_capabilities per plugin', async () => {
    const { config, warnings } = await load('[plugins.a]\nstrict_capabilities = true\n[plugins.b]\nstrict_capabilities = "yes"\n');
    expect(config.plugins.a!.strictCapabilities).toBe(true);
    expect(config.plugins.b!.strictCapabilities).toBe(false);
    expect(warnings).toEqual(['[plugins.b] strict_capabilities: must be true or false; using false']);
  });
});
