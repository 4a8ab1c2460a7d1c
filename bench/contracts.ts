// Issue 17: the same plugin built for 0.2.3 and for 0.3.0, side by side. Two plugins: the motd example
// (plugins/examples/motd through the 0.3.0 kit, and its compatibility fixture test/fixtures/compat-023/motd
// through kit/v023: same behaviour, each contract's kit runtime) and the minimal echo guest
// (test/fixtures/js030/echo*.js, no kit: the contract's own cost). For each: load time cold (no artifact
// cache) and warm (cache) into a running host, and the event it exists for into the guest and back through
// the real dispatch path (0.3.0 adds the translation to and from its own shapes). Each figure is a paired
// ratio 0.3.0 / 0.2.3 from bench/compare.ts (A = 0.2.3, B = 0.3.0, interleaved), recorded in bench/goals.ts.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtPlugin, COMPAT_023_DIR, PLUGINS_DIR } from '../plugins/kit/build-plugin';
import { loadConfig } from '../src/main/config/load-config';
import type { GuestEvent } from '../src/main/contract/guest-types';
import { PluginManager } from '../src/main/plugins/plugin-manager';
import type { ContractVersion } from '../src/shared/contract/contracts';
import { fixturePath } from '../test/fixtures/index';
import { compare, timedCalls } from './compare';
import { reportComparison } from './goals';
import { fmt, timeIt } from './stats';

interface Subject {
  name: string;
  id: string;
  /** The component of each side. */
  wasm: () => Promise<Record<ContractVersion, string>>;
  toml: string;
  event: GuestEvent;
  /** Throws unless the dispatch came back with the plugin's answer. */
  check: (outcomeTag: string | undefined) => void;
}

const expect = (tag: string) => (got: string | undefined) => {
  if (got !== tag) throw new Error(`expected a ${tag} outcome, got ${got}`);
};

const SUBJECTS: Subject[] = [
  {
    name: 'motd example',
    id: 'motd',
    wasm: async () => ({ '0.2.3': await builtPlugin(join(COMPAT_023_DIR, 'motd')), '0.3.0': await builtPlugin(join(PLUGINS_DIR, 'examples', 'motd')) }),
    toml: '[plugins.motd.settings]\ntext = "Welcome"\n',
    event: {
      tag: 'proxy-ping',
      val: { remoteAddr: '127.0.0.1:5000', response: { description: '{"text":"x"}', maxPlayers: 20, onlinePlayers: 0, protocolVersion: 767, versionName: '1.21.1', favicon: undefined } },
    },
    check: expect('proxy-ping'),
  },
  {
    name: 'echo (no kit)',
    id: 'echo',
    wasm: async () => ({ '0.2.3': fixturePath('echo-023'), '0.3.0': fixturePath('echo-030') }),
    toml: '',
    event: {
      tag: 'pre-login',
      val: { profile: { uuid: '00000000-0000-3000-8000-000000000000', username: 'denied_user', properties: [] }, remoteAddr: '127.0.0.1:5000', protocolVersion: 767, serverDomain: 'a.localhost' },
    },
    check: expect('pre-login'),
  },
];

interface Host {
  m: PluginManager;
  dir: string;
  file: string;
}

async function hostFor(s: Subject, wasm: string): Promise<Host> {
  const dir = await mkdtemp(join(tmpdir(), `bench-contract-${s.id}-`));
  await mkdir(join(dir, 'plugins'));
  const file = join(dir, 'plugins', `${s.id}.wasm`);
  await copyFile(wasm, file);
  await writeFile(join(dir, 'infrarust.toml'), s.toml);
  const loaded = loadConfig({ cwd: dir });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const m = new PluginManager({ config: loaded.config });
  await m.loadAll();
  if (m.get(s.id)?.state !== 'enabled') throw new Error(`${s.id} not enabled: ${m.get(s.id)?.reason}`);
  return { m, dir, file };
}

/** A hot load of the plugin file into the running host, with or without its cached artifact. */
const load = (s: Subject, h: Host, cold: boolean) => async (): Promise<number> => {
  await h.m.unloadFile(h.file);
  if (cold) await rm(join(h.dir, 'plugins', '.cache'), { recursive: true, force: true });
  const ms = await timeIt(() => h.m.loadFile(h.file));
  if (h.m.get(s.id)?.state !== 'enabled') throw new Error(`${s.id} not enabled after a reload`);
  return ms;
};

const SLICE = 100; // round trips per slice

export async function benchContracts(): Promise<void> {
  console.log('## Contracts: the same plugin built for 0.2.3 (A) and 0.3.0 (B), interleaved pairs; ratio 0.3.0 / 0.2.3');
  for (const s of SUBJECTS) {
    const wasm = await s.wasm();
    const a = await hostFor(s, wasm['0.2.3']);
    const b = await hostFor(s, wasm['0.3.0']);
    for (const cold of [true, false]) {
      const c = await compare(load(s, a, cold), load(s, b, cold), { pairs: 7, warmup: 1 });
      reportComparison('contracts', `${s.name}: ${cold ? 'cold' : 'warm'} load 0.3.0 / 0.2.3`, c, { beside: `0.2.3 ${fmt(c.a.median)} · 0.3.0 ${fmt(c.b.median)}` });
    }
    const trip = (h: Host) =>
      timedCalls(SLICE, async () => {
        const r = await h.m.events.dispatch(s.event);
        s.check(r[0]?.outcome.tag);
      });
    const [ta, tb] = [trip(a), trip(b)];
    for (let i = 0; i < 3; i++) {
      await ta.slice(); // JIT tier-up before any pair
      await tb.slice();
    }
    ta.p99s.length = 0;
    tb.p99s.length = 0;
    const c = await compare(ta.slice, tb.slice, { pairs: 20, warmup: 2 });
    reportComparison('contracts', `${s.name}: ${s.event.tag} round trip 0.3.0 / 0.2.3`, c, { beside: `0.2.3 ${fmt(c.a.median)} · 0.3.0 ${fmt(c.b.median)}` });
    for (const h of [a, b]) {
      await h.m.shutdown();
      await rm(h.dir, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) await benchContracts();
