// Builds the test fixture plugins from test/fixtures/defs/*.mjs into test/fixtures/build/<name>.wasm.
// A fixture is rebuilt only when the hash of its inputs (definition file, JS source, wit/, generator code,
// tool versions, dependencies) changes; the hash is kept next to the output as <name>.hash.
//
// Usage: node scripts/build-fixtures.mjs [--force] [name...]
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, componentEmbed, componentNew } from '@bytecodealliance/jco';
import { build as esbuild } from 'esbuild';
import { guestWat } from '../test/fixtures/wat-guest.mjs';
import { CONTRACTS, componentizeJs, pluginWitSource, pluginWorld, witDirOf, witFilesOf } from './componentize.mjs';

const root = new URL('../', import.meta.url);
const fixturesDir = new URL('test/fixtures/', root);
const defsDir = new URL('defs/', fixturesDir);
const buildDir = new URL('build/', fixturesDir);
// JS fixtures share helper modules (defaults.js...): every file in js/ and js030/ is an input of each of them.
const jsDirs = [new URL('js/', fixturesDir), new URL('js030/', fixturesDir)];

const args = process.argv.slice(2);
const force = args.includes('--force');
const only = args.filter((a) => !a.startsWith('--'));

const read = (url) => readFileSync(url);
const toolVersion = (pkg) => JSON.parse(read(new URL(`node_modules/${pkg}/package.json`, root))).version;

// Inputs shared by every fixture.
const sharedHash = createHash('sha256')
  .update(read(new URL(import.meta.url)))
  .update(read(new URL('wit-source.mjs', fixturesDir)))
  .update(read(new URL('componentize.mjs', import.meta.url)))
  .update(CONTRACTS.flatMap((c) => witFilesOf[c].map((f) => read(new URL(f, witDirOf(c))))).join('\0'))
  .update(['@bytecodealliance/jco', '@bytecodealliance/jco-transpile', '@bytecodealliance/componentize-js', 'componentize-qjs']
    .map((p) => `${p}@${toolVersion(p)}`).join(','))
  .digest('hex');

// name -> { def, file }
const fixtures = new Map();
for (const file of readdirSync(defsDir).filter((f) => f.endsWith('.mjs')).sort()) {
  const { default: defs } = await import(new URL(file, defsDir).href);
  for (const [name, def] of Object.entries(defs)) {
    if (fixtures.has(name)) throw new Error(`fixture ${name} defined twice`);
    fixtures.set(name, { def, file });
  }
}
for (const name of only) if (!fixtures.has(name)) throw new Error(`unknown fixture ${name}`);

mkdirSync(buildDir, { recursive: true });
const outUrl = (name, ext) => new URL(`${name}.${ext}`, buildDir);
const hashes = new Map();

function inputHash(name) {
  if (hashes.has(name)) return hashes.get(name);
  const { def, file } = fixtures.get(name);
  const h = createHash('sha256').update(sharedHash).update(name).update(read(new URL(file, defsDir)));
  if (def.wat) h.update(read(new URL('wat-guest.mjs', fixturesDir)));
  if (def.js) for (const dir of jsDirs) for (const f of readdirSync(dir).sort()) h.update(f).update(read(new URL(f, dir)));
  if (def.js) h.update(read(new URL(def.js.source, defsDir)));
  for (const dep of def.deps ?? []) h.update(inputHash(dep));
  const hex = h.digest('hex');
  hashes.set(name, hex);
  return hex;
}

async function buildWat({ wat: spec, pkgVersion = '0.2.3', world = {} }) {
  const { wat, interfaces } = guestWat(spec, pkgVersion);
  const imports = [...interfaces, ...(world.imports ?? [])];
  const witSource = pluginWitSource(pkgVersion, pluginWorld('fixture', imports) + (world.wit ?? ''));
  const core = await parse(wat);
  return componentNew(await componentEmbed({ binary: core, witSource, world: 'fixture' }));
}

// js.world names a world of the package (e.g. the full `plugin` world) instead of one built from js.imports;
// js.backend is starlingmonkey unless it says quickjs (1.5 s builds, the kit's engine).
// QuickJS takes one module: a fixture and the helpers it imports are bundled first (host imports stay imports).
async function buildJs(name, { js, pkgVersion = '0.2.3' }) {
  const extra = js.world ? (js.wit ?? '') : pluginWorld('fixture', js.imports) + (js.wit ?? '');
  let sourcePath = fileURLToPath(new URL(js.source, defsDir));
  if (js.backend === 'quickjs') {
    const bundled = fileURLToPath(outUrl(name, 'js'));
    await esbuild({ entryPoints: [sourcePath], outfile: bundled, bundle: true, format: 'esm', platform: 'neutral', external: ['infrarust:*', 'wasi:*'], logLevel: 'silent' });
    sourcePath = bundled;
  }
  return componentizeJs({
    backend: js.backend ?? 'starlingmonkey',
    sourcePath,
    // js.functions keeps only those functions of the package's interfaces, as the plugin kit builds.
    witSource: pluginWitSource(pkgVersion, extra, undefined, js.functions ?? null),
    world: js.world ?? 'fixture',
    disableFeatures: js.disableFeatures ?? [],
  });
}

function build(name, def) {
  if (def.wat) return buildWat(def);
  if (def.js) return buildJs(name, def);
  return def.raw({ parse, built: (dep) => read(outUrl(dep, 'wasm')) });
}

// Dependencies first, in definition order otherwise.
const order = [];
const visit = (name) => {
  if (order.includes(name)) return;
  for (const dep of fixtures.get(name).def.deps ?? []) visit(dep);
  order.push(name);
};
for (const name of only.length ? only : fixtures.keys()) visit(name);

const started = performance.now();
for (const name of order) {
  const t = performance.now();
  const hash = inputHash(name);
  const hashUrl = outUrl(name, 'hash');
  const fresh = !force && existsSync(outUrl(name, 'wasm')) && existsSync(hashUrl) && read(hashUrl).toString() === hash;
  if (!fresh) {
    const bytes = await build(name, fixtures.get(name).def);
    writeFileSync(outUrl(name, 'wasm'), bytes);
    writeFileSync(hashUrl, hash);
  }
  const ms = Math.round(performance.now() - t);
  console.log(`${name.padEnd(24)} ${fresh ? 'cached' : 'built '} ${String(ms).padStart(6)} ms`);
}
console.log(`${order.length} fixtures in ${Math.round(performance.now() - started)} ms`);
