// Issue 17: the same plugin (test/fixtures/js030/echo*.js, QuickJS, same logic) built for 0.2.3 and for
// 0.3.0, side by side: load time cold (no artifact cache) and warm (cache) into a running host, and one
// pre-login event into the guest and back through the real dispatch path (0.3.0 adds the translation
// to and from its own shapes). Ratios are 0.3.0 / 0.2.3, measured alternately in the same run.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHostConfig } from '../src/main/config/config-defaults';
import type { GuestEvent } from '../src/main/contract/guest-types';
import { PluginManager } from '../src/main/plugins/plugin-manager';
import { fixturePath } from '../test/fixtures/index';
import { fmt, median, timeIt } from './stats';

const SIDES = { '0.2.3': 'echo-023', '0.3.0': 'echo-030' } as const;
type Side = keyof typeof SIDES;

const event: GuestEvent = {
  tag: 'pre-login',
  val: { profile: { uuid: '00000000-0000-3000-8000-000000000000', username: 'denied_user', properties: [] }, remoteAddr: '127.0.0.1:5000', protocolVersion: 767, serverDomain: 'a.localhost' },
};

interface Host {
  m: PluginManager;
  dir: string;
  file: string;
}

async function hostFor(side: Side): Promise<Host> {
  const dir = await mkdtemp(join(tmpdir(), `bench-contract-${side}-`));
  await mkdir(join(dir, 'plugins'));
  const file = join(dir, 'plugins', 'echo.wasm');
  await copyFile(fixturePath(SIDES[side]), file);
  const m = new PluginManager({ config: { ...defaultHostConfig(dir), pluginsDir: join(dir, 'plugins') } });
  await m.loadAll();
  if (m.get('echo')?.state !== 'enabled') throw new Error(`echo (${side}) not enabled: ${m.get('echo')?.reason}`);
  return { m, dir, file };
}

/** A hot load of the plugin file into the running host, with or without its cached artifact. */
async function load(h: Host, cold: boolean): Promise<number> {
  await h.m.unloadFile(h.file);
  if (cold) await rm(join(h.dir, 'plugins', '.cache'), { recursive: true, force: true });
  const ms = await timeIt(() => h.m.loadFile(h.file));
  if (h.m.get('echo')?.state !== 'enabled') throw new Error('echo not enabled after a reload');
  return ms;
}

async function roundTrips(h: Host, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await h.m.events.dispatch(event);
    out.push(performance.now() - t);
    if (r[0]?.outcome.tag !== 'pre-login') throw new Error('echo did not deny');
  }
  return out;
}

export async function benchContracts(runs = 7, events = 2000): Promise<void> {
  const hosts = { '0.2.3': await hostFor('0.2.3'), '0.3.0': await hostFor('0.3.0') };
  const samples = Object.fromEntries(Object.keys(SIDES).map((s) => [s, { cold: [] as number[], warm: [] as number[], event: [] as number[] }])) as Record<Side, { cold: number[]; warm: number[]; event: number[] }>;
  // Alternate the sides so that whatever else the machine does slows both alike.
  for (let i = 0; i < runs; i++) {
    for (const side of (i % 2 ? ['0.3.0', '0.2.3'] : ['0.2.3', '0.3.0']) as Side[]) {
      samples[side].cold.push(await load(hosts[side], true));
      samples[side].warm.push(await load(hosts[side], false));
      samples[side].event.push(median(await roundTrips(hosts[side], events / runs)));
    }
  }
  console.log('contracts: the same QuickJS plugin built for each contract (median; ratio 0.3.0 / 0.2.3)');
  for (const k of ['cold', 'warm', 'event'] as const) {
    const a = median(samples['0.2.3'][k]);
    const b = median(samples['0.3.0'][k]);
    console.log(`  ${k.padEnd(6)} 0.2.3 ${fmt(a).padStart(10)}   0.3.0 ${fmt(b).padStart(10)}   ratio ${(b / a).toFixed(2)}`);
  }
  for (const h of Object.values(hosts)) {
    await h.m.shutdown();
    await rm(h.dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) await benchContracts();
