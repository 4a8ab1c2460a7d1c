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

/** One contract's wit/ package as one source, re-versioned if asked, with extra text (worlds, WASI packages) appended. */
export function pluginWitSource(version = '0.2.3', extra = '', contract = contractOfVersion(version)) {
  const body = witFilesOf[contract]
    .map((f) => readFileSync(new URL(f, witDirOf(contract)), 'utf8').replace(/^package [^;]+;\n/m, ''))
    .join('\n');
  return `package infrarust:plugin@${version};\n${body}\n${extra}`;
}

/**
 * A world that imports only `imports` (contract interface names like `log`, or qualified WASI names)
 * and exports the guest side. `types` and `limbo` come in anyway: the exported `guest` uses their types.
 */
export function pluginWorld(name, imports) {
  const lines = imports.map((i) => `    import ${i};`).join('\n');
  return `world ${name} {\n${lines}\n    export guest;\n    export codec-filter;\n}\n`;
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
