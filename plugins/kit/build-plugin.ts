// Builds a TypeScript plugin into one component: esbuild bundles it (host interfaces stay imports),
// the bundle's imports become the world it is built against, and componentize-qjs makes the component.
// A build is skipped when the hash of its bundle, world and tools matches the last one.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import {
  ENGINE_WASI_VERSION,
  backendToolVersion,
  componentizeJs,
  pluginWitSource,
  pluginWorld,
  wasiWitSource,
} from '../../scripts/componentize.mjs';
import type { Capability } from '../../src/shared/capabilities';
import {
  CONTRACT_PACKAGE,
  CONTRACTS,
  DEFAULT_AUTHORING_CONTRACT,
  classifyImport,
  functionCapabilities,
  interfaceCapabilities,
  parseInterfaceName,
  type ContractVersion,
} from '../../src/shared/contract/contracts';

/** Chosen by measurement: see plugins/README.md. */
const BACKEND = 'quickjs';
const WASI_VERSION = ENGINE_WASI_VERSION[BACKEND];
export const PLUGINS_DIR = fileURLToPath(new URL('../', import.meta.url));
const BUILD_DIR = join(PLUGINS_DIR, 'build');
/** The examples as written for 0.2.3 (kit/v023), kept as compatibility fixtures, and where they build to. */
export const COMPAT_023_DIR = fileURLToPath(new URL('../../test/fixtures/compat-023/', import.meta.url));
const COMPAT_023_BUILD_DIR = fileURLToPath(new URL('../../test/fixtures/build/compat-023/', import.meta.url));
const ENTRY_NAMES = ['plugin.ts', 'index.ts'];

export interface PluginSource {
  /** Output name: the folder's (or file's) name. */
  name: string;
  entry: string;
}

/** A plugin folder (holding plugin.ts or index.ts) or an entry file. */
export function pluginSource(path: string): PluginSource {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new Error(`${path} does not exist`);
  if (statSync(abs).isDirectory()) {
    const entry = ENTRY_NAMES.map((n) => join(abs, n)).find((f) => existsSync(f));
    if (!entry) throw new Error(`${path} has no ${ENTRY_NAMES.join(' or ')}`);
    return { name: basename(abs), entry };
  }
  return { name: basename(abs, extname(abs)), entry: abs };
}

export interface Bundle {
  code: string;
  /** The contract its host imports name (one per bundle). */
  contract: ContractVersion;
  /** Contract interfaces the bundle imports (unqualified, e.g. `event-bus`). */
  interfaces: string[];
  /** The functions it calls per interface (kebab-case, as the WIT names them); '*' when it cannot tell. */
  functions: Record<string, string[] | '*'>;
  /** WASI interfaces it imports, qualified. */
  wasi: string[];
}

/**
 * The entry's default export (definePlugin's result) becomes the component's exports; an entry without one
 * (a plugin written straight against the contract, as Infrarust's own examples are) exports `guest` and
 * `codecFilter` itself.
 */
function entryStub(entry: string): string {
  if (!/^export\s+default\b/m.test(readFileSync(entry, 'utf8')) && /^export\s+(const|function|class)\s+guest\b/m.test(readFileSync(entry, 'utf8'))) {
    return `export { guest, codecFilter } from ${JSON.stringify(entry)};\n`;
  }
  return [
    `import plugin from ${JSON.stringify(entry)};`,
    `if (!plugin || !plugin.guest) throw new Error(${JSON.stringify(`${entry} must \`export default definePlugin({...})\``)});`,
    'export const guest = plugin.guest;',
    'export const codecFilter = plugin.codecFilter;',
    '',
  ].join('\n');
}

export async function bundlePlugin(src: PluginSource): Promise<Bundle> {
  const result = await build({
    stdin: { contents: entryStub(src.entry), resolveDir: dirname(src.entry), sourcefile: `${src.name}-entry.js`, loader: 'js' },
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    external: ['infrarust:*', 'wasi:*'],
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
  const contract = bundleContract(imports);
  const interfaces = new Set<string>();
  const wasi = new Set<string>();
  for (const name of imports) {
    // The host's own import rules (shared/contract/contracts.ts), so a build fails where a load would.
    const cls = classifyImport(name, contract);
    if (cls.kind === 'refused') throw new Error(cls.reason);
    if (cls.kind === 'contract') interfaces.add(cls.iface);
    else if (cls.version !== WASI_VERSION) throw new Error(`${name}: import WASI at @${WASI_VERSION}, the version the QuickJS engine uses`);
    else wasi.add(name);
  }
  const code = result.outputFiles[0]!.text;
  return { code, contract, interfaces: [...interfaces].sort(), functions: importedFunctions(code, contract), wasi: [...wasi].sort() };
}

const camelToKebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The host functions the bundle calls, read from the import statements esbuild writes for external modules
 * (`import { getValue, info as info2 } from "infrarust:plugin/...";`, unused names already shaken out). A
 * namespace or default import of an interface keeps all of it.
 */
function importedFunctions(code: string, contract: ContractVersion): Record<string, string[] | '*'> {
  const functions: Record<string, string[] | '*'> = {};
  for (const [, clause, path] of code.matchAll(/^import\s+([^"';]*?)\s+from\s*"([^"]+)";?$/gm)) {
    const cls = classifyImport(path!, contract);
    if (cls.kind !== 'contract') continue;
    const named = /^\{([^}]*)\}$/.exec(clause!.trim());
    if (!named || functions[cls.iface] === '*') {
      functions[cls.iface] = '*';
      continue;
    }
    const names = named[1]!.split(',').map((n) => n.trim().split(/\s+as\s+/)[0]!).filter((n) => n !== '');
    functions[cls.iface] = [...new Set([...((functions[cls.iface] as string[] | undefined) ?? []), ...names.map(camelToKebab)])].sort();
  }
  return functions;
}

/** The contract named by the bundle's `infrarust:plugin/...@X` imports: exactly one, and one we implement. */
function bundleContract(imports: string[]): ContractVersion {
  const named = imports.map((name) => ({ name, parsed: parseInterfaceName(name) })).filter((n) => n.parsed?.pkg === CONTRACT_PACKAGE);
  if (named.length === 0) return DEFAULT_AUTHORING_CONTRACT;
  const count = new Map<string, number>();
  for (const n of named) count.set(n.parsed!.version ?? '', (count.get(n.parsed!.version ?? '') ?? 0) + 1);
  // The kit's own modules name the contract most often: an odd import is the one to fix.
  const [version] = [...count].sort((a, b) => b[1] - a[1])[0]!;
  if (!(CONTRACTS as readonly string[]).includes(version)) {
    throw new Error(`it imports ${CONTRACT_PACKAGE}@${version || '(unversioned)'}: import it as @${CONTRACTS.join(' or @')}`);
  }
  const odd = named.find((n) => n.parsed!.version !== version);
  if (odd) throw new Error(`${odd.name}: import it as ${CONTRACT_PACKAGE}/${odd.parsed!.iface}@${version} (one plugin speaks one contract)`);
  return version as ContractVersion;
}

/**
 * The world for a bundle: only the interfaces it imports (types and limbo come with the guest export), and
 * of each only the functions it calls, so an interface pulled in for its types imports no function.
 */
export function pluginWit(bundle: Bundle): string {
  const world = pluginWorld('plugin-build', [...bundle.interfaces, ...bundle.wasi]);
  const wasi = bundle.wasi.length ? wasiWitSource(['io', 'clocks', 'filesystem', 'cli', 'random'], WASI_VERSION) : '';
  return pluginWitSource(bundle.contract, world + wasi, undefined, bundle.functions);
}

/** Capabilities a plugin needs for the functions it calls (baseline ones are granted by default). */
export function capabilitiesFor(functions: Record<string, string[] | '*'>, contract: ContractVersion): Capability[] {
  const needs = Object.entries(functions).flatMap(([iface, fns]) =>
    fns === '*' ? interfaceCapabilities(contract, iface) : fns.flatMap((fn) => functionCapabilities(contract, iface, fn)),
  );
  return [...new Set(needs)].sort();
}

const componentizeModule = fileURLToPath(new URL('../../scripts/componentize.mjs', import.meta.url));

async function buildHash(bundle: Bundle, wit: string): Promise<string> {
  return createHash('sha256')
    .update(bundle.code)
    .update('\0')
    .update(wit)
    .update('\0')
    .update(await readFile(componentizeModule))
    .update(backendToolVersion(BACKEND))
    .digest('hex');
}

export interface BuildResult {
  name: string;
  wasm: string;
  cached: boolean;
  ms: number;
  bytes: number;
  interfaces: string[];
  wasi: string[];
  contract: ContractVersion;
  capabilities: Capability[];
}

/** plugins/build/, or test/fixtures/build/compat-023/ for a compatibility fixture (same names as the examples). */
const defaultOutDir = (src: PluginSource): string => (resolve(src.entry).startsWith(COMPAT_023_DIR) ? COMPAT_023_BUILD_DIR : BUILD_DIR);

const outputPaths = (name: string, outDir: string) => ({
  wasm: join(outDir, `${name}.wasm`),
  hash: join(outDir, `${name}.hash`),
  js: join(outDir, `${name}.js`),
});

export async function buildPlugin(src: PluginSource, opts: { outDir?: string; force?: boolean } = {}): Promise<BuildResult> {
  const started = performance.now();
  const bundle = await bundlePlugin(src);
  const wit = pluginWit(bundle);
  const hash = await buildHash(bundle, wit);
  const out = outputPaths(src.name, opts.outDir ?? defaultOutDir(src));
  const cached = !opts.force && existsSync(out.wasm) && existsSync(out.hash) && (await readFile(out.hash, 'utf8')) === hash;
  if (!cached) {
    await mkdir(dirname(out.wasm), { recursive: true });
    // The bundle is kept beside the component: it is what runs, for reading stack traces.
    await writeFile(out.js, bundle.code);
    const component = await componentizeJs({ backend: BACKEND, sourcePath: out.js, witSource: wit, world: 'plugin-build' });
    await writeFile(`${out.wasm}.tmp`, component);
    await rename(`${out.wasm}.tmp`, out.wasm);
    await writeFile(out.hash, hash);
  }
  return {
    name: src.name,
    wasm: out.wasm,
    cached,
    ms: performance.now() - started,
    bytes: statSync(out.wasm).size,
    interfaces: bundle.interfaces,
    wasi: bundle.wasi,
    contract: bundle.contract,
    capabilities: capabilitiesFor(bundle.functions, bundle.contract),
  };
}

/** The built component of a plugin, refusing a missing or stale one (tests run `npm run plugins:build` first). */
export async function builtPlugin(path: string): Promise<string> {
  const src = pluginSource(path);
  const out = outputPaths(src.name, defaultOutDir(src));
  const bundle = await bundlePlugin(src);
  const fresh = existsSync(out.wasm) && existsSync(out.hash) && (await readFile(out.hash, 'utf8')) === (await buildHash(bundle, pluginWit(bundle)));
  if (!fresh) throw new Error(`${out.wasm} is ${existsSync(out.wasm) ? 'stale' : 'missing'}: run \`npm run plugins:build\``);
  return out.wasm;
}
