// Turns one JavaScript module into an infrarust:plugin component. Shared by the test fixtures
// (scripts/build-fixtures.mjs) and the TypeScript plugin kit (plugins/kit/build.ts).
//
// componentize-js and componentize-qjs import *every* interface of the world they are given, so each
// plugin is built against a world importing only the interfaces it uses, as a Rust plugin's linker
// would: otherwise every plugin would need every capability. WIT is passed as text or through a temp
// file of our own (jco's WIT-path APIs crash under preview2-shim 0.26).
// Plain JS so the fixture build runs without a TypeScript loader.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The contracts this repository carries, each as a WIT package in wit/<version>/. */
export const CONTRACTS = ['0.2.3', '0.3.0'];
export const witDirOf = (contract) => new URL(`../wit/${contract}/`, import.meta.url);
export const witFilesOf = {
  '0.2.3': ['world.wit', 'types.wit', 'events.wit', 'services.wit', 'limbo.wit', 'guest.wit', 'codec-filter.wit'],
  '0.3.0': [
    'world.wit', 'types.wit', 'events.wit', 'text.wit', 'event-bus.wit', 'players.wit', 'services.wit',
    'limbo.wit', 'permissions.wit', 'providers.wit', 'guest.wit', 'codec-filter.wit',
  ],
};
export const witDir = witDirOf('0.2.3');
export const witFiles = witFilesOf['0.2.3'];

/** The contract whose WIT a package version is built from (0.3.x from 0.3.0, anything else from 0.2.3). */
export const contractOfVersion = (version) => (version.startsWith('0.3.') ? '0.3.0' : '0.2.3');

/**
 * One contract's wit/ package as one source, re-versioned if asked, with extra text (worlds, WASI packages)
 * appended. `functions` (interface → function names) keeps only those free functions of the package's
 * interfaces (types and resources stay): see `keepFunctions`.
 */
export function pluginWitSource(version = '0.2.3', extra = '', contract = contractOfVersion(version), functions = null) {
  const body = witFilesOf[contract]
    .map((f) => readFileSync(new URL(f, witDirOf(contract)), 'utf8').replace(/^package [^;]+;\n/m, ''))
    .join('\n');
  return `package infrarust:plugin@${version};\n${functions ? keepFunctions(body, functions) : body}\n${extra}`;
}

/** The interfaces a plugin exports (pluginWorld): never trimmed. */
const EXPORTED_INTERFACES = ['guest', 'codec-filter'];

const kebabToCamel = (name) => name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

/**
 * The package's WIT with only the free functions a plugin calls: `functions` maps an interface to the
 * names it uses (camelCase as JavaScript imports them, or kebab-case), '*' keeping all. Every other free
 * function goes, with its doc comment. componentize-qjs binds every function of every interface in the
 * world, including those pulled in only for their types (`ban-service`, `permissions`, `limbo`), so without
 * this a kit plugin would import `ban-service.ban` it never calls, and the host's capability report (§4.1),
 * like Infrarust's, reads the functions a component imports. A Rust plugin's linker drops them the same way.
 */
export function keepFunctions(body, functions) {
  const out = [];
  let iface = null;
  let depth = 0;
  let dropping = false;
  for (const line of body.split('\n')) {
    if (dropping) {
      dropping = !line.includes(';');
      continue;
    }
    const fn = depth === 1 && iface !== null ? /^\s*%?([a-z][a-z0-9-]*)\s*:\s*(async\s+)?func\b/.exec(line) : null;
    if (fn) {
      const keep = EXPORTED_INTERFACES.includes(iface) ? '*' : functions[iface];
      if (keep !== '*' && !(keep ?? []).some((k) => k === fn[1] || k === kebabToCamel(fn[1]))) {
        while (out.length > 0 && /^\s*\/\/\//.test(out[out.length - 1])) out.pop();
        dropping = !line.includes(';');
        continue;
      }
    }
    if (depth === 0) iface = /^interface ([a-z][a-z0-9-]*)\s*\{/.exec(line)?.[1] ?? null;
    const code = line.replace(/\/\/.*$/, '');
    depth += (code.match(/\{/g) ?? []).length - (code.match(/\}/g) ?? []).length;
    out.push(line);
  }
  return out.join('\n');
}

/**
 * A world that imports only `imports` (contract interface names like `log`, or qualified WASI names)
 * and exports the guest side. `types` and `limbo` come in anyway: the exported `guest` uses their types.
 */
export function pluginWorld(name, imports) {
  const lines = imports.map((i) => `    import ${i};`).join('\n');
  return `world ${name} {\n${lines}\n${EXPORTED_INTERFACES.map((e) => `    export ${e};\n`).join('')}}\n`;
}

/** The WASI version each engine's own imports use: a world naming WASI must use the same one. */
export const ENGINE_WASI_VERSION = { starlingmonkey: '0.2.10', quickjs: '0.2.12' };

const jcoWasiDir = new URL('../node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12/', import.meta.url);

/**
 * WASI packages from jco's bundled 0.2.12 WIT, re-versioned (0.2.x patch releases share these
 * interfaces), as nested packages so one WIT string can import them. Their worlds are dropped: they
 * would pull in packages we don't need.
 */
export function wasiWitSource(packages, version) {
  return packages
    .map((p) => {
      const text = readFileSync(new URL(`wasi-${p}/package.wit`, jcoWasiDir), 'utf8')
        .replaceAll('@0.2.12', `@${version}`)
        .replace(/^world [\w-]+ \{[^}]*\}\n?/gm, '');
      const [, header, body] = text.match(/^package ([^;]+);\n([\s\S]*)$/);
      return `package ${header} {\n${body}}\n`;
    })
    .join('\n');
}

const PACKAGE_OF_BACKEND = { starlingmonkey: '@bytecodealliance/componentize-js', quickjs: 'componentize-qjs' };

/** `name@version` of the tool behind a backend, for build cache keys. */
export function backendToolVersion(backend) {
  const pkg = PACKAGE_OF_BACKEND[backend];
  const json = readFileSync(new URL(`../node_modules/${pkg}/package.json`, import.meta.url), 'utf8');
  return `${pkg}@${JSON.parse(json).version}`;
}

/**
 * Componentizes the module at `sourcePath` (absolute) against `world` in `witSource`.
 * starlingmonkey: componentize-js; `disableFeatures` drops engine WASI imports it doesn't need.
 * quickjs: componentize-qjs with its non-async runtime (Node 20 has no WebAssembly.Suspending).
 */
export async function componentizeJs({ backend, sourcePath, witSource, world, disableFeatures = [] }) {
  if (backend === 'starlingmonkey') {
    const { componentize } = await import('@bytecodealliance/componentize-js');
    const { component } = await componentize({ sourcePath, witWorld: witSource, worldName: world, disableFeatures });
    return component;
  }
  if (backend === 'quickjs') {
    const { componentize } = await import('componentize-qjs');
    const dir = await mkdtemp(join(tmpdir(), 'componentize-'));
    try {
      const witPath = join(dir, 'plugin.wit');
      await writeFile(witPath, witSource);
      const jsSource = await readFile(sourcePath, 'utf8');
      const { component } = await componentize({ witPath, jsSource, jsPath: sourcePath, world, sync: true });
      return new Uint8Array(component);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  throw new Error(`unknown componentize backend "${backend}" (starlingmonkey or quickjs)`);
}
