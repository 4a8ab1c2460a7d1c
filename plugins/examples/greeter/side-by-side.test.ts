// Both builds of one example in one host at the same time: greeter as built today (0.3.0) and its 0.2.3
// compatibility fixture renamed `greeter_023` (a host holds one plugin per id), each linked with its own
// contract's host implementation. Each reads its own settings and both see the same join and leave, the
// 0.3.0 one through its player references, the 0.2.3 one through its old payloads.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, until, type Backend } from '../../../test/support/minecraft-peers';
import { buildPlugin, COMPAT_023_DIR, pluginSource } from '../../kit/build-plugin';
import { joinAndStay, startExampleHost, type ExampleHost } from '../example-host';

/** The renamed copy sits in the gitignored build folder at a stable path, so its build is cached by hash. */
const OUT = fileURLToPath(new URL('../../../test/fixtures/build/side-by-side/', import.meta.url));
const KIT_023 = fileURLToPath(new URL('../../kit/v023', import.meta.url));

async function renamedCompatGreeter(): Promise<string> {
  const source = await readFile(join(COMPAT_023_DIR, 'greeter', 'plugin.ts'), 'utf8');
  const renamed = source.replace("id: 'greeter'", "id: 'greeter_023'").replace("from '../../../../plugins/kit/v023'", `from ${JSON.stringify(KIT_023)}`);
  if (!renamed.includes("id: 'greeter_023'") || !renamed.includes(KIT_023)) throw new Error('the compat greeter changed: update this test');
  await mkdir(join(OUT, 'greeter_023'), { recursive: true });
  await writeFile(join(OUT, 'greeter_023', 'plugin.ts'), renamed);
  return (await buildPlugin(pluginSource(join(OUT, 'greeter_023')), { outDir: OUT })).wasm;
}

const loggedBy = (ex: ExampleHost, id: string, re: RegExp) =>
  until(`${id} logs ${re}`, () => ex.logs.find((l) => l.pluginId === id && re.test(l.message)));

describe('greeter built for 0.3.0 and for 0.2.3, in one host at once', () => {
  let backend: Backend;
  let ex: ExampleHost;

  beforeAll(async () => {
    const wasm023 = await renamedCompatGreeter();
    backend = await startBackend('Both');
    ex = await startExampleHost({
      plugins: ['greeter'],
      wasm: [wasm023],
      servers: { main: { port: backend.port, domains: ['mc.test'] } },
      config: '[plugins.greeter.settings]\nreport_every_seconds = 0\n[plugins.greeter_023.settings]\nreport_every_seconds = 0.25\n',
    });
  });

  afterAll(async () => {
    await ex?.stop();
    backend?.close();
  });

  it('runs both, each on its own contract with its own settings, and both see the same players', async () => {
    expect(ex.plugin('greeter')).toMatchObject({ state: 'enabled', contract: '0.3.0' });
    expect(ex.plugin('greeter_023')).toMatchObject({ state: 'enabled', contract: '0.2.3' });
    // Only the 0.2.3 build was told to report.
    await loggedBy(ex, 'greeter_023', /^0 player\(s\) online$/);
    expect(ex.host.plugins.scheduler.count('greeter')).toBe(0);
    expect(ex.host.plugins.scheduler.count('greeter_023')).toBe(1);

    const alice = await joinAndStay(ex.port, 'mc.test', 'alice', backend);
    await loggedBy(ex, 'greeter', /^alice joined$/);
    await loggedBy(ex, 'greeter_023', /^alice joined$/);
    await loggedBy(ex, 'greeter_023', /^1 player\(s\) online$/);
    alice.leave();
    await loggedBy(ex, 'greeter', /^alice left main$/);
    await loggedBy(ex, 'greeter_023', /^alice left main$/);
  });
});
