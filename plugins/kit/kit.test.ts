// The kit without componentizing: bindings in step with wit/, the world derived from what a bundle
// imports, the contract a build targets (0.3.0 from the kit, 0.2.3 from kit/v023), refusals for imports no
// host provides, and the pure helpers of both runtimes. The built components are exercised in a real host
// by plugins/examples/*/*.test.ts (both builds of each example).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINDINGS_DIR, committedBindings, generateBindings } from './bindings';
import { bundlePlugin, capabilitiesFor, COMPAT_023_DIR, pluginSource, pluginWit, PLUGINS_DIR } from './build-plugin';
import { errorMessage, hostCall, HostCallError } from './errors';
import { chatMessage, chooseInitialServer, kickedFromServer, preLogin } from './outcomes';
import { part } from './style';
import { ArenaError, join as joinText, plainText, text } from './text';
import { decodeUtf8, encodeUtf8 } from './utf8';
import * as outcomes023 from './v023/outcomes';
import * as text023 from './v023/text';

const KIT = fileURLToPath(new URL('./index.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TYPE_TEST = fileURLToPath(new URL('./quickjs-types.test-d.ts', import.meta.url));

describe('bindings', () => {
  it('name what the host\'s types, generated from wit/ today, name (regenerate: npm run plugins:build -- --bindings)', async () => {
    const fresh = await generateBindings();
    expect(await committedBindings()).toEqual([...fresh.keys()].sort());
    for (const [name, text] of fresh) expect(await readFile(join(BINDINGS_DIR, name), 'utf8'), name).toBe(text);
  });

  it('declare each host interface as the QuickJS view of the host\'s generated types, no copy of their shapes', async () => {
    const scheduler = await readFile(join(BINDINGS_DIR, '0.3.0/interfaces/infrarust-plugin-scheduler.d.ts'), 'utf8');
    expect(scheduler).toContain("declare module 'infrarust:plugin/scheduler@0.3.0' {");
    expect(scheduler).toContain("type Host = typeof import('../../../../../src/shared/contract/generated/0.3.0/interfaces/infrarust-plugin-scheduler.js');");
    expect(scheduler).toContain("export const interval: Q<Host['interval']>;");
    expect(scheduler).not.toMatch(/\binterface\b|: number|bigint/);
  });

  it('type a plugin\'s values as QuickJS has them, and still refuse a wrong type (quickjs-types.test-d.ts)', () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(REPO, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (!config) throw new Error('tsconfig.json did not parse');
    const roots = [TYPE_TEST, ...['0.2.3', '0.3.0'].map((v) => join(BINDINGS_DIR, v, 'plugin.d.ts'))];
    const program = ts.createProgram(roots, config.options);
    // Every @ts-expect-error line must err (else "Unused '@ts-expect-error' directive") and no assertion may.
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
    expect(program.getSourceFile(TYPE_TEST)?.text.match(/@ts-expect-error/g)).toHaveLength(5);
  }, 120_000);

  it('declare each contract beside the other, and WASI once', async () => {
    const files = await committedBindings();
    expect(new Set(files.map((f) => f.split('/')[0]))).toEqual(new Set(['0.2.3', '0.3.0', 'wasi']));
    expect(await readFile(join(BINDINGS_DIR, '0.3.0/plugin.d.ts'), 'utf8')).toContain('/// <reference path="../wasi/wasi-filesystem-preopens.d.ts" />');
  });
});

describe('world of a plugin', () => {
  it('imports exactly the host interfaces its code uses, even through the kit barrel', async () => {
    const banGuard = await bundlePlugin(pluginSource(join(PLUGINS_DIR, 'examples', 'ban-guard')));
    expect([banGuard.contract, banGuard.interfaces]).toEqual(['0.3.0', ['ban-service', 'command-manager', 'log', 'players']]);
    expect(banGuard.wasi).toEqual([]);
    // Capabilities by the functions it calls: it only reads players (the proxy's ban kicks), so no player-write.
    expect(banGuard.functions).toMatchObject({ 'ban-service': ['ban', 'unban'], players: ['get-by-name', 'list'] });
    expect(capabilitiesFor(banGuard.functions, banGuard.contract)).toEqual(['ban', 'command', 'player-read']);
    const wit = pluginWit(banGuard);
    expect(wit).toMatch(/^package infrarust:plugin@0\.3\.0;/);
    expect(wit).toMatch(/world plugin-build \{\n {4}import ban-service;\n {4}import command-manager;\n {4}import log;\n {4}import players;\n {4}export guest;/);
    expect(wit).not.toContain('package wasi:');
    // Only the functions it calls: ban-service keeps ban and unban; permissions, pulled in for its types, none.
    const functionsOf = (iface: string) => {
      const body = wit.slice(wit.indexOf(`interface ${iface} {`));
      return [...body.slice(0, body.indexOf('\n}')).matchAll(/^ {4}%?([a-z-]+): func/gm)].map((m) => m[1]);
    };
    expect(functionsOf('ban-service')).toEqual(['ban', 'unban']);
    expect(functionsOf('permissions')).toEqual([]);
    expect(functionsOf('limbo')).toEqual([]);
    expect(functionsOf('guest')).toHaveLength(18);
    // A plugin of the template's size pulls in neither event-bus's results nor providers through the kit.
    const template = await bundlePlugin(pluginSource(join(PLUGINS_DIR, 'template')));
    expect(template.interfaces).toEqual(['command-manager', 'event-bus', 'log']);
  });

  it('of its 0.2.3 compatibility fixture (kit/v023) is the 0.2.3 world', async () => {
    const banGuard = await bundlePlugin(pluginSource(join(COMPAT_023_DIR, 'ban-guard')));
    expect([banGuard.contract, banGuard.interfaces]).toEqual(['0.2.3', ['ban-service', 'command-manager', 'log', 'player-registry']]);
    expect(pluginWit(banGuard)).toMatch(/^package infrarust:plugin@0\.2\.3;/);
  });

  it('brings in WASI (no capability) for data files', async () => {
    const allowlist = await bundlePlugin(pluginSource(join(PLUGINS_DIR, 'examples', 'allowlist')));
    expect(allowlist.interfaces).toEqual(['config-service', 'event-bus', 'log']);
    expect(allowlist.wasi).toEqual(['wasi:filesystem/preopens@0.2.12']);
    expect(pluginWit(allowlist)).toContain('package wasi:filesystem@0.2.12 {');
  });
});

describe('contract of a build', () => {
  it('is read from the host imports: a plugin importing @0.3.0 is built against wit/0.3.0, one importing @0.2.3 against wit/0.2.3', async () => {
    const v030 = await bundlePlugin(pluginSource(fileURLToPath(new URL('../../test/fixtures/js030/echo.js', import.meta.url))));
    expect([v030.contract, v030.interfaces]).toEqual(['0.3.0', ['event-bus']]);
    expect(pluginWit(v030)).toMatch(/^package infrarust:plugin@0\.3\.0;/);
    expect(pluginWit(v030)).toContain('interface players {');
    expect(capabilitiesFor(v030.functions, v030.contract)).toEqual(['event-bus']);
    const v023 = await bundlePlugin(pluginSource(fileURLToPath(new URL('../../test/fixtures/js030/echo-023.js', import.meta.url))));
    expect(v023.contract).toBe('0.2.3');
    expect(pluginWit(v023)).toMatch(/^package infrarust:plugin@0\.2\.3;/);
  });
});

describe('refused sources', () => {
  let dir: string;
  const entry = async (name: string, code: string) => {
    const file = join(dir, `${name}.ts`);
    await writeFile(file, code.replaceAll('KIT', JSON.stringify(KIT)));
    return pluginSource(file);
  };
  const plugin = (body: string) => `import { definePlugin } from KIT;\n${body}\nexport default definePlugin({ id: 'x', name: 'X', version: '1' });\n`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kit-test-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a module without a default export', async () => {
    await expect(bundlePlugin(await entry('no-default', 'export const guest = {};\n'))).rejects.toThrow(/No matching export .* for import "(default|codecFilter)"/);
  });

  it('two contracts in one plugin', async () => {
    await expect(bundlePlugin(await entry('mixed', plugin("import { info } from 'infrarust:plugin/log@0.2.3'; info('x');")))).rejects.toThrow(
      /infrarust:plugin\/log@0\.2\.3: import it as infrarust:plugin\/log@0\.3\.0 \(one plugin speaks one contract\)/,
    );
  });

  it('a host interface the contract does not have, or at another version', async () => {
    await expect(bundlePlugin(await entry('unknown', plugin("import { go } from 'infrarust:plugin/teleport@0.3.0'; go();")))).rejects.toThrow(
      /infrarust:plugin\/teleport@0\.3\.0: the 0\.3\.0 contract has no host interface "teleport"/,
    );
    await expect(bundlePlugin(await entry('old', plugin("import { info } from 'infrarust:plugin/log@0.2.2'; info('x');")))).rejects.toThrow(
      /import it as infrarust:plugin\/log@0\.3\.0/,
    );
  });

  it('network WASI, and anything else left external', async () => {
    await expect(bundlePlugin(await entry('net', plugin("import { instanceNetwork } from 'wasi:sockets/instance-network@0.2.12'; instanceNetwork();")))).rejects.toThrow(
      /gives plugins no network access/,
    );
    await expect(bundlePlugin(await entry('fs', plugin("import { getDirectories } from 'wasi:filesystem/preopens@0.2.10'; getDirectories();")))).rejects.toThrow(
      /import WASI at @0\.2\.12/,
    );
  });
});

describe('helpers', () => {
  it('0.3.0 text components are arenas the contract accepts', () => {
    expect(text('Welcome', { color: 'gold', bold: true })).toEqual({
      nodes: [{ content: { tag: 'text', val: 'Welcome' }, style: { color: 'gold', bold: true }, children: new Uint32Array(0) }],
    });
    const c = joinText('Hello ', part('Steve', { color: 'aqua' }), '!');
    expect(c.nodes.map((n) => [n.content.val, n.style.color, [...n.children]])).toEqual([
      ['', undefined, [1, 2, 3]],
      ['Hello ', undefined, []],
      ['Steve', 'aqua', []],
      ['!', undefined, []],
    ]);
    expect(plainText(c)).toBe('Hello Steve!');
  });

  it('0.3.0 text that breaks a §4.5 rule fails where it is made', () => {
    expect(() => text('x', { color: 'ultraviolet' as never })).toThrow(ArenaError);
    expect(() => text('x', { color: 'ultraviolet' as never })).toThrow(/"ultraviolet" is not a named colour or #RRGGBB/);
    expect(text('x', { color: '#12abEF' }).nodes[0]!.style.color).toBe('#12abEF');
    expect(() => joinText(...Array.from({ length: 4096 }, () => 'a'))).toThrow(/4097 nodes \(at most 4096\)/);
    expect(() => text('a'.repeat(256 * 1024 + 1))).toThrow(/characters of text \(at most 262144\)/);
  });

  it('0.3.0 outcome builders take plain text or components, with the 0.3 result shapes', () => {
    expect(preLogin.deny('Go away')).toEqual({ tag: 'denied', val: text('Go away') });
    expect(preLogin.deny(text('Go', { color: 'red' }))).toEqual({ tag: 'denied', val: text('Go', { color: 'red' }) });
    expect(chooseInitialServer.redirect('lobby')).toEqual({ tag: 'redirect', val: 'lobby' });
    expect(chooseInitialServer.deny('full')).toEqual({ tag: 'denied', val: text('full') });
    expect(chatMessage.deny()).toEqual({ tag: 'deny', val: undefined });
    expect(kickedFromServer.disconnect()).toEqual({ tag: 'disconnect-player', val: undefined });
  });

  it('0.2.3 text and outcomes (kit/v023) stay JSON strings', () => {
    expect(text023.text('Welcome', { color: 'gold', bold: true })).toBe('{"text":"Welcome","color":"gold","bold":true}');
    const c = text023.join('Hello ', part('Steve', { color: 'aqua' }), '!');
    expect(JSON.parse(c)).toEqual({ text: '', extra: [{ text: 'Hello ' }, { text: 'Steve', color: 'aqua' }, { text: '!' }] });
    expect(text023.plainText(c)).toBe('Hello Steve!');
    expect(text023.plainText('not json')).toBe('not json');
    expect(outcomes023.preLogin.deny('Go away')).toEqual({ tag: 'denied', val: '{"text":"Go away"}' });
    expect(outcomes023.chooseInitialServer.redirect('lobby')).toEqual({ tag: 'redirect', val: 'lobby' });
  });

  it('UTF-8 round trips like TextEncoder/TextDecoder, malformed bytes as U+FFFD', () => {
    for (const s of ['', 'plain', 'é ß ✓ 𝄞 日本', '# Players\nAlice\n']) {
      expect(encodeUtf8(s)).toEqual(new TextEncoder().encode(s));
      expect(decodeUtf8(new TextEncoder().encode(s))).toBe(s);
    }
    const bad = new Uint8Array([0x61, 0xc3, 0x28, 0xff, 0x62]);
    expect(decodeUtf8(bad)).toBe(new TextDecoder().decode(bad));
  });

  it('a 0.3.0 host-error behind a hidden result comes out as a HostCallError naming the call', () => {
    const refused = () => {
      throw Object.assign(new Error('[object Object]'), { payload: { kind: 'conflict', message: 'command "ban" belongs to other' } });
    };
    expect(() => hostCall('command-manager.register(ban)', refused)).toThrow(HostCallError);
    expect(() => hostCall('command-manager.register(ban)', refused)).toThrow('command-manager.register(ban): conflict: command "ban" belongs to other');
    try {
      hostCall('x', refused);
    } catch (err) {
      expect((err as HostCallError).kind).toBe('conflict');
    }
    expect(hostCall('y', () => 42)).toBe(42);
    expect(() => hostCall('z', () => { throw new TypeError('not a host error'); })).toThrow(TypeError);
  });

  it('error messages from host errors', () => {
    expect(errorMessage(Object.assign(new Error('x'), { payload: { kind: 'permission-denied', message: 'missing capability: ban' } }))).toBe('permission-denied: missing capability: ban');
    expect(errorMessage(Object.assign(new Error('[object Object]'), { payload: { tag: 'unavailable', val: 'no proxy' } }))).toBe('unavailable: no proxy');
    expect(errorMessage(Object.assign(new Error('no-entry'), { payload: 'no-entry' }))).toBe('no-entry');
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('thrown string')).toBe('thrown string');
  });
});
