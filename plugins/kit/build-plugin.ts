// Builds a TypeScript plugin into one component: esbuild bundles it (host interfaces stay imports),
// the bundle's imports become the world it is built against, and componentize-qjs makes the component.
// A build is skipped when the hash of its bundle, world and tools matches the last one.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
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
import { ALWAYS_LINKED_INTERFACES, INTERFACE_CAPABILITY, type Capability } from '../../src/shared/capabilities';
import { CONTRACT_PACKAGE, CONTRACT_VERSION } from '../../src/shared/contract-version';
import { NETWORK_PACKAGES, WASI_PACKAGES } from '../../src/main/guest/host-interfaces';
import { parseInterfaceName } from '../../src/main/wasm/component-binary';

/** Chosen by measurement: see plugins/README.md. */
const BACKEND = 'quickjs';
const WASI_VERSION = ENGINE_WASI_VERSION[BACKEND];
export const PLUGINS_DIR = fileURLToPath(new URL('../', import.meta.url));
const BUILD_DIR = join(PLUGINS_DIR, 'build');
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
  /** Contract interfaces the bundle imports (unqualified, e.g. `event-bus`). */
  interfaces: string[];
  /** WASI interfaces it imports, qualified. */
  wasi: string[];
}

/** The entry's default export (definePlugin's result) becomes the component's exports. */
function entryStub(entry: string): string {
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
  const interfaces = new Set<string>();
  const wasi = new Set<string>();
  for (const name of imports) {
    const kind = classifyImport(name);
    if (kind === 'contract') interfaces.add(parseInterfaceName(name)!.iface);
    else wasi.add(name);
  }
  return { code: result.outputFiles[0]!.text, interfaces: [...interfaces].sort(), wasi: [...wasi].sort() };
}

const CONTRACT_IMPORTS = new Set([...ALWAYS_LINKED_INTERFACES, ...Object.keys(INTERFACE_CAPABILITY)]);

/** What a bundle may import, with the reason when it may not. */
function classifyImport(name: string): 'contract' | 'wasi' {
  const parsed = parseInterfaceName(name);
  if (parsed?.pkg === CONTRACT_PACKAGE) {
    if (!CONTRACT_IMPORTS.has(parsed.iface)) {
      throw new Error(`${name}: the ${CONTRACT_VERSION} contract has no host interface "${parsed.iface}" (it has ${[...CONTRACT_IMPORTS].join(', ')})`);
    }
    if (parsed.version !== CONTRACT_VERSION) throw new Error(`${name}: import it as ${CONTRACT_PACKAGE}/${parsed.iface}@${CONTRACT_VERSION}`);
    return 'contract';
  }
  const wasiPkg = parsed?.pkg.startsWith('wasi:') ? parsed.pkg.slice(5) : null;
  if (wasiPkg && (NETWORK_PACKAGES as readonly string[]).includes(wasiPkg)) {
    throw new Error(`${name}: plugins get no network access (wasi:sockets and wasi:http are never linked)`);
  }
  if (wasiPkg && (WASI_PACKAGES as readonly string[]).includes(wasiPkg)) {
    if (parsed!.version !== WASI_VERSION) throw new Error(`${name}: import WASI at @${WASI_VERSION}, the version the QuickJS engine uses`);
    return 'wasi';
  }
  throw new Error(`${name} is neither a host interface of ${CONTRACT_PACKAGE}@${CONTRACT_VERSION} nor WASI: bundle it or remove the import`);
}

/** The world for a bundle: only what it imports (types and limbo come with the guest export). */
export function pluginWit(bundle: Bundle): string {
  const world = pluginWorld('plugin-build', [...bundle.interfaces, ...bundle.wasi]);
  const wasi = bundle.wasi.length ? wasiWitSource(['io', 'clocks', 'filesystem', 'cli', 'random'], WASI_VERSION) : '';
  return pluginWitSource(CONTRACT_VERSION, world + wasi);
}

/** Capabilities a plugin needs for its imports (baseline ones are granted by default). */
export function capabilitiesFor(interfaces: string[]): Capability[] {
  return [...new Set(interfaces.map((i) => INTERFACE_CAPABILITY[i]).filter((c): c is Capability => c !== undefined))];
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
  capabilities: Capability[];
}

const outputPaths = (name: string, outDir = BUILD_DIR) => ({
  wasm: join(outDir, `${name}.wasm`),
  hash: join(outDir, `${name}.hash`),
  js: join(outDir, `${name}.js`),
});

export async function buildPlugin(src: PluginSource, opts: { outDir?: string; force?: boolean } = {}): Promise<BuildResult> {
  const started = performance.now();
  const bundle = await bundlePlugin(src);
  const wit = pluginWit(bundle);
  const hash = await buildHash(bundle, wit);
  const out = outputPaths(src.name, opts.outDir);
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
    capabilities: capabilitiesFor(bundle.interfaces),
  };
}

/** The built component of a plugin, refusing a missing or stale one (tests run `npm run plugins:build` first). */
export async function builtPlugin(path: string): Promise<string> {
  const src = pluginSource(path);
  const out = outputPaths(src.name);
  const bundle = await bundlePlugin(src);
  const fresh = existsSync(out.wasm) && existsSync(out.hash) && (await readFile(out.hash, 'utf8')) === (await buildHash(bundle, pluginWit(bundle)));
  if (!fresh) throw new Error(`${out.wasm} is ${existsSync(out.wasm) ? 'stale' : 'missing'}: run \`npm run plugins:build\``);
  return out.wasm;
}
