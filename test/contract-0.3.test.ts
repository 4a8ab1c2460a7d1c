// Conformance of wit/0.3.0 and of built guests with infrarust:plugin@0.3.0
// (/work/shared/contract/infrarust-plugin-0.3.0.md): names, order and the §6 completeness counts, read back
// from real components with wasm-tools (through jco), not from our WIT text.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { componentEmbed, componentNew, print } from '@bytecodealliance/jco';
import { pluginWitSource } from './fixtures/wit-source.mjs';
import { caseNames, componentInterfaces, type InterfaceShape } from './support/component-shape.ts';
import { fixturePath } from './fixtures/index.ts';
import { componentExportNames, componentImportNames } from '../src/main/wasm/component-binary.ts';
import { detectContract } from '../src/shared/contract/contracts.ts';

// §1: the world's imports in declaration order, and its exports.
const IMPORTS = [
  'types', 'events', 'log', 'text', 'event-bus', 'players', 'server-manager', 'ban-service', 'config-service',
  'command-manager', 'scheduler', 'limbo', 'codec-registry', 'load-balancer', 'messaging', 'proxy-info',
  'plugin-registry', 'permissions', 'permission-nodes', 'providers',
];
const EXPORTS = ['guest', 'codec-filter'];
const qualified = (iface: string) => `infrarust:plugin/${iface}@0.3.0`;

// §6: types / free functions / resource methods / used names per interface.
const COUNTS: Record<string, [number, number, number, number]> = {
  types: [39, 0, 0, 0],
  events: [66, 3, 0, 18],
  log: [1, 6, 0, 0],
  text: [0, 4, 0, 2],
  'event-bus': [1, 5, 0, 7],
  players: [10, 25, 0, 15],
  'server-manager': [1, 4, 0, 3],
  'ban-service': [14, 4, 0, 7],
  'config-service': [2, 9, 0, 4],
  'command-manager': [3, 8, 0, 2],
  scheduler: [0, 3, 0, 4],
  limbo: [7, 1, 14, 8],
  'codec-registry': [2, 2, 0, 2],
  'load-balancer': [1, 4, 0, 4],
  messaging: [0, 6, 0, 4],
  'proxy-info': [5, 2, 0, 3],
  'plugin-registry': [2, 2, 0, 2],
  permissions: [4, 2, 0, 4],
  'permission-nodes': [3, 3, 0, 1],
  providers: [0, 2, 0, 2],
  guest: [6, 18, 0, 22],
  'codec-filter': [7, 1, 6, 6],
};

// §3: functions in declaration order (resource methods as `[method]<resource>.<name>`, listed first by wasm-tools).
const methods = (resource: string, names: string[]) => names.map((n) => `[method]${resource}.${n}`);
const FUNCTIONS: Record<string, string[]> = {
  types: [],
  events: ['ping-description', 'ping-favicon', 'ping-player-sample'],
  log: ['max-level', 'trace', 'debug', 'info', 'warn', 'error'],
  text: ['parse-json', 'parse-legacy', 'to-json', 'to-plain'],
  'event-bus': ['subscribe', 'unsubscribe', 'subscribe-named', 'fire-named', 'subscribe-packets'],
  players: [
    'get', 'get-by-name', 'get-by-uuid', 'list', 'get-by-ip', 'count', 'send-message', 'send-title', 'send-action-bar',
    'send-packet', 'disconnect', 'switch-server', 'has-permission', 'connect', 'set-player-list-header-footer',
    'clear-title', 'show-boss-bar', 'update-boss-bar', 'hide-boss-bar', 'send-resource-pack', 'remove-resource-pack',
    'transfer', 'store-cookie', 'request-cookie', 'refresh-permissions',
  ],
  'server-manager': ['get-state', 'start', 'stop', 'list'],
  'ban-service': ['ban', 'unban', 'get', 'list'],
  'config-service': [
    'get-value', 'get-server', 'get-server-by-domain', 'list-servers', 'get-server-document', 'list-server-sources',
    'get-proxy-config-document', 'get-effective-proxy-config-document', 'write-proxy-config-document',
  ],
  'command-manager': ['register', 'unregister', 'get', 'get-by-name', 'get-by-alias', 'contains', 'list', 'list-owned'],
  scheduler: ['delay', 'interval', 'cancel'],
  limbo: [
    ...methods('limbo-session', ['player-id', 'profile', 'entry-context', 'send-message', 'send-title', 'send-action-bar', 'complete', 'acquire-handle']),
    ...methods('limbo-session-handle', ['player-id', 'send-message', 'send-title', 'send-action-bar', 'complete', 'cancelled']),
    'register-limbo-handler',
  ],
  'codec-registry': ['register-codec-filter', 'unregister-codec-filter'],
  'load-balancer': ['strategy', 'backends', 'set-drained', 'reset-backend'],
  messaging: ['register-channel', 'unregister-channel', 'channels', 'send-to-player', 'send-to-backend', 'send-to-server'],
  'proxy-info': ['details', 'granted-capabilities'],
  'plugin-registry': ['list', 'get'],
  permissions: ['set-snapshot', 'release'],
  'permission-nodes': ['register', 'get', 'list'],
  providers: ['register-ban-provider', 'register-permission-provider'],
  guest: [
    'metadata', 'on-enable', 'on-disable', 'handle-event', 'handle-command', 'tab-complete', 'on-scheduled-task',
    'limbo-on-player-enter', 'limbo-on-command', 'limbo-on-chat', 'limbo-on-disconnect', 'limbo-on-session-end',
    'ban-provider-check', 'ban-provider-ban', 'ban-provider-unban', 'ban-provider-get', 'ban-provider-list',
    'permission-snapshot-for',
  ],
  'codec-filter': [
    ...methods('filter-instance', ['filter', 'take-output', 'on-state-change', 'on-compression-change', 'on-encryption-enabled', 'on-close']),
    'create',
  ],
};

const EVENT_KINDS_030 = [
  'pre-login', 'post-login', 'disconnect', 'online-auth-failed', 'permissions-setup', 'player-choose-initial-server',
  'server-pre-connect', 'server-connected', 'server-post-connect', 'kicked-from-server', 'chat-message', 'proxy-ping',
  'proxy-initialize', 'proxy-shutdown', 'config-reload', 'server-state-change', 'backend-health', 'login',
  'game-profile-request', 'command-execute', 'connection-handshake', 'connection-rejected', 'limbo-enter', 'limbo-exit',
  'player-client-brand', 'player-settings-changed', 'player-channel-register', 'plugin-message', 'ban-issued',
  'ban-revoked', 'plugin-enabled', 'plugin-disabled', 'pre-transfer', 'player-resource-pack-status', 'named-event',
  'raw-packet',
];
const OUTCOME_CASES = [
  'unchanged', 'pre-login', 'permissions-setup', 'player-choose-initial-server', 'server-pre-connect',
  'kicked-from-server', 'chat-message', 'proxy-ping', 'login', 'game-profile-request', 'command-execute',
  'connection-handshake', 'plugin-message', 'pre-transfer', 'named-event', 'raw-packet',
];
const ERROR_KINDS = [
  'invalid-argument', 'not-found', 'permission-denied', 'unavailable', 'timeout', 'player-gone', 'conflict',
  'invalid-state', 'unsupported', 'internal', 'limit-exceeded',
];
const CAPABILITIES = [
  'event-bus', 'player-read', 'player-write', 'raw-packet', 'server-manage', 'ban', 'command', 'scheduler',
  'config-read', 'config-write', 'codec-filter', 'transport-filter', 'limbo', 'virtual-backend', 'permission-provider',
  'filesystem-extended', 'network', 'chat-intercept', 'ban-provider', 'plugin-messaging',
];

const componentOf = async (witWorld: string, world: string) =>
  componentNew(await componentEmbed({ dummy: true, witSource: pluginWitSource('0.3.0', witWorld), world }));

describe('wit/0.3.0 against the 0.3.0 contract, read back from built components', () => {
  // Every interface as an import of a mirror world, so all 22 read back the same way.
  let shapes: Map<string, InterfaceShape>;
  let plugin: ReturnType<typeof componentInterfaces>;
  const shape = (iface: string) => shapes.get(qualified(iface))!;
  const free = (iface: string) => shape(iface).functions.filter((f) => !f.startsWith('['));
  const resourceMethods = (iface: string) => shape(iface).functions.filter((f) => f.startsWith('[method]'));

  beforeAll(async () => {
    const mirror = `world mirror {\n${[...IMPORTS, ...EXPORTS].map((i) => `    import ${i};`).join('\n')}\n}\n`;
    shapes = componentInterfaces(await print(await componentOf(mirror, 'mirror'))).imports;
    plugin = componentInterfaces(await print(await componentOf('', 'plugin')));
  });

  it('world plugin imports the 20 interfaces and exports guest and codec-filter', () => {
    expect([...plugin.imports.keys()].sort()).toEqual(IMPORTS.map(qualified).sort());
    expect([...plugin.exports.keys()]).toEqual(EXPORTS.map(qualified));
  });

  it.each(Object.entries(COUNTS))('%s matches the §6 counts', (iface, [types, freeFns, resMethods, used]) => {
    expect(shape(iface).types.size).toBe(types);
    expect(free(iface).length).toBe(freeFns);
    expect(resourceMethods(iface).length).toBe(resMethods);
    expect(shape(iface).used.length).toBe(used);
  });

  it('has 174 types, 114 free functions, 20 resource methods and 120 used names over 22 interfaces', () => {
    const all = [...IMPORTS, ...EXPORTS];
    const sum = (f: (iface: string) => number) => all.reduce((n, iface) => n + f(iface), 0);
    expect(all.length).toBe(22);
    expect(sum((i) => shape(i).types.size)).toBe(174);
    expect(sum((i) => free(i).length)).toBe(114);
    expect(sum((i) => resourceMethods(i).length)).toBe(20);
    expect(sum((i) => shape(i).used.length)).toBe(120);
  });

  it.each(Object.entries(FUNCTIONS))('%s declares its functions in contract order', (iface, functions) => {
    expect(shape(iface).functions).toEqual(functions);
  });

  it('exports guest (18 functions) and codec-filter with the same functions', () => {
    for (const iface of EXPORTS) expect(plugin.exports.get(qualified(iface))!.functions).toEqual(FUNCTIONS[iface]);
  });

  it('has 36 event kinds matching the 36 event cases, and 16 event-outcome cases', () => {
    const events = shape('events').types;
    expect(caseNames(events.get('event-kind'))).toEqual(EVENT_KINDS_030);
    expect(caseNames(events.get('event'))).toEqual(EVENT_KINDS_030);
    expect(caseNames(events.get('event-outcome'))).toEqual(OUTCOME_CASES);
  });

  it('has 11 error kinds and 20 capabilities in contract order', () => {
    expect(caseNames(shape('types').types.get('error-kind'))).toEqual(ERROR_KINDS);
    expect(caseNames(shape('types').types.get('capability'))).toEqual(CAPABILITIES);
  });

  it('has 3 resources, and the newest players and events members', () => {
    const resources = [...IMPORTS, ...EXPORTS].flatMap((i) => [...shape(i).types].filter(([, d]) => d === 'resource').map(([n]) => n));
    expect(resources.sort()).toEqual(['filter-instance', 'limbo-session', 'limbo-session-handle']);
    expect(shape('players').types.has('player-summary')).toBe(true);
    expect(caseNames(shape('events').types.get('player-choose-initial-server-result'))).toEqual(['allowed', 'redirect', 'send-to-limbo', 'denied']);
    expect(caseNames(shape('events').types.get('game-profile-request-result'))).toEqual(['profile', 'denied']);
  });

  it('uses the 0.3 codec-filter (filter answers a verdict, take-output the output)', () => {
    const codec = shape('codec-filter').types;
    expect(caseNames(codec.get('filter-verdict'))).toEqual(['pass', 'drop', 'modified']);
    expect(caseNames(codec.get('filter-output'))).toEqual(['pass', 'drop', 'pass-modified', 'replace', 'error']);
  });
});

describe('a built 0.3.0 guest', () => {
  // Read from the binary's own import and export sections (the printed text of a QuickJS build is 29 MB).
  it('probe-030 (QuickJS, full world) speaks only @0.3.0: its imports are 0.3.0 interfaces, its exports guest and codec-filter', () => {
    const bytes = readFileSync(fixturePath('probe-030'));
    const contract = componentImportNames(bytes).filter((i) => i.startsWith('infrarust:plugin/'));
    expect(contract.length).toBeGreaterThan(0);
    expect(contract.every((i) => IMPORTS.map(qualified).includes(i))).toBe(true);
    expect(componentExportNames(bytes).filter((e) => e.startsWith('infrarust:'))).toEqual(EXPORTS.map(qualified));
  });
});

describe('contract detection from the guest export (§4.11)', () => {
  const namesOf = (bytes: Uint8Array) => [componentImportNames(bytes), componentExportNames(bytes)] as const;
  const dummy = async (version: string) => componentNew(await componentEmbed({ dummy: true, witSource: pluginWitSource(version), world: 'plugin' }));

  it('accepts 0.2.3 and 0.3.0 built components, naming the contract', () => {
    expect(detectContract(...namesOf(readFileSync(fixturePath('probe-030'))))).toEqual({ ok: true, contract: '0.3.0' });
    expect(detectContract(...namesOf(readFileSync(fixturePath('minimal'))))).toEqual({ ok: true, contract: '0.2.3' });
  });

  it('refuses a newer 0.3 patch, another 0.2, and a component without a guest export, with the reason', async () => {
    const newer = detectContract(...namesOf(await dummy('0.3.9')));
    expect(newer).toEqual({ ok: false, reason: expect.stringMatching(/built for infrarust:plugin@0\.3\.9.*needs a newer host/) });
    const older = detectContract(...namesOf(readFileSync(fixturePath('wrong-version'))));
    expect(older).toEqual({ ok: false, reason: expect.stringMatching(/built for infrarust:plugin@0\.2\.2.*rebuild it against the 0\.2\.3 contract/) });
    const notPlugin = await componentNew(await componentEmbed({ dummy: true, witSource: 'package a:b;\ninterface i { f: func(); }\nworld w { export i; }\n', world: 'w' }));
    expect(detectContract(...namesOf(notPlugin))).toEqual({ ok: false, reason: expect.stringMatching(/not an Infrarust plugin component/) });
  });
});
