// The packaging configuration (packaging/electron-builder.mjs, packaging/fuses.mjs) and a real electron-builder
// run of it (`--dir`, no installer) against a stand-in Electron: a small executable carrying a real fuse wire,
// since no Electron binary can be downloaded here. What lands in app.asar, what is unpacked, and the fuses
// flipped by our afterPack hook are read back from disk.
import { execFileSync } from 'node:child_process';
import { type Dirent, readdirSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builderConfig } from '../../packaging/electron-builder.mjs';
import afterPack, { FUSES, fuseConfig, packagedBinary } from '../../packaging/fuses.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

describe('packaging configuration', () => {
  it('builds AppImage + deb on Linux, dmg on macOS, NSIS on Windows', () => {
    expect(builderConfig.linux.target).toEqual(['AppImage', 'deb']);
    expect(builderConfig.mac.target).toEqual(['dmg']);
    expect(builderConfig.win.target).toEqual(['nsis']);
    expect(builderConfig.asar).toBe(true);
    expect(builderConfig.afterPack).toBe(afterPack);
  });

  it('sets exactly the fuses the app needs, by their wire positions', () => {
    expect(FUSES).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
    });
    const config = fuseConfig('linux', 'x64');
    expect(config[FuseV1Options.RunAsNode]).toBe(false);
    expect(config[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(config[FuseV1Options.EnableCookieEncryption]).toBeUndefined();
    expect('resetAdHocDarwinSignature' in config).toBe(false);
    expect(fuseConfig('darwin', 'arm64').resetAdHocDarwinSignature).toBe(true);
  });

  it('finds the binary holding the fuse wire on each platform', () => {
    const context = (electronPlatformName: string) => ({
      appOutDir: '/out',
      electronPlatformName,
      packager: { appInfo: { productFilename: 'Infrarust Desktop' }, executableName: 'infrarust-desktop' },
    });
    expect(packagedBinary(context('linux'))).toBe(join('/out', 'infrarust-desktop'));
    expect(packagedBinary(context('win32'))).toBe(join('/out', 'Infrarust Desktop.exe'));
    expect(packagedBinary(context('darwin'))).toBe(join('/out', 'Infrarust Desktop.app'));
  });
});

describe('npm run dist with a local Electron zip', () => {
  const dist = (...args: string[]) => {
    try {
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'dist.mjs'), ...args], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, ELECTRON_ZIP: '' } });
      return { status: 0, stderr: '' };
    } catch (err) {
      const e = err as { status: number; stderr: Buffer };
      return { status: e.status, stderr: e.stderr.toString() };
    }
  };
  const version = (require('electron/package.json') as { version: string }).version;
  const expected = `electron-v${version}-${process.platform}-${process.arch}.zip`;

  it('stops with one line, before building, for a zip that is missing or not this Electron', async () => {
    const missing = dist('--electron-zip', join(tmpdir(), 'no-such-dir', expected));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`npm run dist: ${join(tmpdir(), 'no-such-dir', expected)} does not exist (expected ${expected})\n`);
    const dir = await mkdtemp(join(tmpdir(), 'infrarust-zip-'));
    await writeFile(join(dir, 'electron-v1.0.0-linux-x64.zip'), 'zip');
    const wrong = dist(`--electron-zip=${join(dir, 'electron-v1.0.0-linux-x64.zip')}`);
    await rm(dir, { recursive: true });
    expect(wrong).toEqual({ status: 1, stderr: `npm run dist: electron-v1.0.0-linux-x64.zip is not Electron ${version} for this machine: pass ${expected}\n` });
  });
});

describe.runIf(process.platform === 'linux')('a packed app (electron-builder --dir, stand-in Electron)', () => {
  let scratch: string;
  let resources: string;
  let entries: string[];

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'infrarust-pack-'));
    const electronDir = join(scratch, 'electron');
    await mkdir(electronDir);
    // Electron's own wire holds nine fuses; this one starts as the opposite of what we want for each we set.
    const wire = Buffer.concat([Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 9]), Buffer.from('101110011')]);
    await writeFile(join(electronDir, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n#'), wire, Buffer.from('\n')]));
    await chmod(join(electronDir, 'electron'), 0o755);
    await writeFile(join(electronDir, 'LICENSE'), 'stand-in');
    // The app as `npm run dist` builds it (examples come from the plugin build cache).
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
    const { build } = require('electron-builder') as typeof import('electron-builder');
    const output = join(scratch, 'dist');
    await build({
      projectDir: ROOT,
      dir: true,
      publish: 'never',
      config: { ...builderConfig, electronDist: electronDir, directories: { ...builderConfig.directories, output } },
    });
    resources = join(output, 'linux-unpacked', 'resources');
    entries = (require('@electron/asar') as typeof import('@electron/asar')).listPackage(join(resources, 'app.asar'), { isPack: false });
  }, 240_000);

  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('holds the build, wit/ and the runtime dependencies', () => {
    for (const path of [
      '/package.json',
      '/out/main/index.js',
      '/out/preload/index.cjs',
      '/out/renderer/index.html',
      '/out/worker/guest-worker.mjs',
      '/out/examples/examples.json',
      '/out/examples/motd.wasm',
      '/wit/0.2.3/world.wit',
      '/wit/0.3.0/world.wit',
      '/node_modules/ws/package.json',
      '/node_modules/smol-toml/package.json',
      '/node_modules/@bytecodealliance/jco-transpile/package.json',
      '/node_modules/@bytecodealliance/preview2-shim/package.json',
      // The decoding proxy modes speak Minecraft through these at run time.
      '/node_modules/minecraft-protocol/package.json',
      '/node_modules/minecraft-data/package.json',
    ]) {
      expect(entries, path).toContain(path);
    }
    const examples = readdirSync(join(ROOT, 'plugins', 'examples'), { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(entries.filter((p) => p.startsWith('/out/examples/') && p.endsWith('.wasm'))).toHaveLength(examples.length);
  });

  it('leaves out sources, tests, tooling, dev dependencies and source maps', () => {
    const top = new Set(entries.map((p) => p.split('/')[1]));
    expect([...top].sort()).toEqual(['node_modules', 'out', 'package.json', 'wit']);
    for (const pkg of ['electron', 'electron-builder', 'vitest', 'react', 'tsx', 'esbuild', '@esbuild', '@playwright']) {
      expect(entries.some((p) => p.startsWith(`/node_modules/${pkg}/`)), pkg).toBe(false);
    }
    expect(entries.filter((p) => p.endsWith('.map') && p.startsWith('/out/'))).toEqual([]);
  });

  it('keeps all of minecraft-data\'s Java Edition data and none of its Bedrock data', () => {
    const data = '/node_modules/minecraft-data/minecraft-data/data';
    const pcFiles = (readdirSync(join(ROOT, 'node_modules/minecraft-data/minecraft-data/data/pc'), { recursive: true, withFileTypes: true }) as Dirent[])
      .filter((e) => e.isFile())
      .map((e) => `${data}/pc/${relative(join(ROOT, 'node_modules/minecraft-data/minecraft-data/data/pc'), join(e.parentPath, e.name))}`);
    expect(pcFiles.length).toBeGreaterThan(500);
    const packed = new Set(entries);
    expect(pcFiles.filter((f) => !packed.has(f))).toEqual([]);
    expect(entries.filter((p) => p.startsWith(`${data}/bedrock/`))).toEqual([]);
    expect(packed.has(`${data}/dataPaths.json`)).toBe(true);
  });

  it('unpacks what worker threads start from: the guest worker and the WASI shim', async () => {
    expect((await stat(join(resources, 'app.asar.unpacked', 'out', 'worker', 'guest-worker.mjs'))).isFile()).toBe(true);
    expect((await stat(join(resources, 'app.asar.unpacked', 'node_modules', '@bytecodealliance', 'preview2-shim', 'package.json'))).isFile()).toBe(true);
  });

  it("the unpacked worker's imports resolve to unpacked files that load", async () => {
    const worker = join(resources, 'app.asar.unpacked', 'out', 'worker', 'guest-worker.mjs');
    const specs = [...new Set([...(await readFile(worker, 'utf8')).matchAll(/import\("(@[^"]+)"\)/g)].map((m) => m[1]!))];
    expect(specs.length).toBeGreaterThan(0);
    const script = `for (const s of ${JSON.stringify(specs)}) { const r = import.meta.resolve(s, process.argv[1]); await import(r); console.log(r); }`;
    const out = execFileSync(process.execPath, ['--experimental-import-meta-resolve', '--input-type=module', '-e', script, pathToFileURL(worker).href], { encoding: 'utf8' });
    const resolved = out.trim().split('\n');
    expect(resolved).toHaveLength(specs.length);
    for (const url of resolved) expect(url.startsWith(pathToFileURL(join(resources, 'app.asar.unpacked', 'node_modules')).href), url).toBe(true);
  });

  it('flips the fuses in the packaged binary', async () => {
    const wire = await getCurrentFuseWire(join(resources, '..', 'infrarust-desktop'));
    for (const [name, value] of Object.entries(FUSES)) {
      expect(wire[FuseV1Options[name as keyof typeof FuseV1Options]], name).toBe(value ? FuseState.ENABLE : FuseState.DISABLE);
    }
  });
});
