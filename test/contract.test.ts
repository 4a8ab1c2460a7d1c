// Conformance of wit/ and of built guests with the infrarust:plugin@0.2.3 contract
// (/work/shared/contract/infrarust-plugin-0.2.3.md): names, order and the §5 completeness counts,
// read back from real components with wasm-tools (through jco), not from our WIT text.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { componentEmbed, componentNew, print } from '@bytecodealliance/jco';
import { transpileBytes } from '@bytecodealliance/jco-transpile';
import { pluginWitSource } from './fixtures/wit-source.mjs';
import { fixturePath } from './fixtures/index.ts';
import { caseNames, componentInterfaces, type InterfaceShape } from './support/component-shape.ts';

const IMPORTS = [
  'types', 'log', 'event-bus', 'player-registry', 'server-manager', 'ban-service', 'config-service',
  'command-manager', 'scheduler', 'limbo', 'codec-registry',
];
const EXPORTS = ['guest', 'codec-filter'];
const qualified = (iface: string, version = '0.2.3') => `infrarust:plugin/${iface}@${version}`;

// §5: types / free functions / resource methods / used names per interface.
const COUNTS: Record<string, [number, number, number, number]> = {
  types: [26, 0, 0, 0],
  'event-bus': [1, 2, 0, 2],
  'player-registry': [1, 7, 17, 10],
  'server-manager': [0, 4, 0, 3],
  'ban-service': [0, 5, 0, 3],
  'config-service': [0, 3, 0, 2],
  'command-manager': [0, 2, 0, 0],
  'codec-registry': [1, 2, 0, 1],
  scheduler: [0, 3, 0, 1],
  log: [0, 5, 0, 0],
  limbo: [7, 1, 14, 7],
  guest: [24, 14, 0, 16],
  'codec-filter': [6, 1, 5, 5],
};

// §3: functions of each interface in declaration order (resource methods as `[method]<resource>.<name>`).
const PLAYER_METHODS = [
  'id', 'profile', 'protocol-version', 'remote-addr', 'current-server', 'is-connected', 'is-active', 'disconnect',
  'send-message', 'send-title', 'send-action-bar', 'send-packet', 'switch-server', 'is-online-mode',
  'permission-level', 'has-permission', 'connected-at',
];
const SESSION_METHODS = [
  'player-id', 'profile', 'entry-context', 'send-message', 'send-title', 'send-action-bar', 'complete',
  'acquire-handle',
];
const HANDLE_METHODS = ['player-id', 'send-message', 'send-title', 'send-action-bar', 'complete', 'cancelled'];
const FILTER_METHODS = ['filter', 'on-state-change', 'on-compression-change', 'on-encryption-enabled', 'on-close'];
const methods = (resource: string, names: string[]) => names.map((n) => `[method]${resource}.${n}`);
const FUNCTIONS: Record<string, string[]> = {
  types: [],
  'event-bus': ['subscribe', 'unsubscribe'],
  'player-registry': [
    ...methods('player', PLAYER_METHODS),
    'get-player', 'get-player-by-uuid', 'get-player-by-id', 'get-players-on-server', 'get-all-players',
    'online-count', 'online-count-on',
  ],
  'server-manager': ['get-state', 'start', 'stop', 'get-all-servers'],
  'ban-service': ['ban', 'unban', 'is-banned', 'get-ban', 'get-all-bans'],
  'config-service': ['get-server-config', 'get-all-server-configs', 'get-value'],
  'command-manager': ['register', 'unregister'],
  'codec-registry': ['register-codec-filter', 'unregister-codec-filter'],
  scheduler: ['delay', 'interval', 'cancel'],
  log: ['trace', 'debug', 'info', 'warn', 'error'],
  limbo: [
    ...methods('limbo-session', SESSION_METHODS), ...methods('limbo-session-handle', HANDLE_METHODS),
    'register-limbo-handler',
  ],
  guest: [
    'metadata', 'on-enable', 'on-disable', 'handle-event', 'handle-command', 'tab-complete', 'on-scheduled-task',
    'limbo-on-player-enter', 'limbo-on-command', 'limbo-on-chat', 'limbo-on-disconnect', 'limbo-on-session-end',
    'permission-level-of', 'check-permission',
  ],
  'codec-filter': [...methods('filter-instance', FILTER_METHODS), 'create'],
};

const EVENT_KINDS = [
  'pre-login', 'post-login', 'disconnect', 'online-auth-failed', 'permissions-setup', 'server-pre-connect',
  'server-connected', 'server-switch', 'kicked-from-server', 'player-choose-initial-server', 'proxy-ping',
  'proxy-initialize', 'proxy-shutdown', 'config-reload', 'server-state-change', 'chat-message', 'raw-packet',
];
const OUTCOME_CASES = [
  'none', 'pre-login', 'server-pre-connect', 'kicked-from-server', 'player-choose-initial-server', 'chat-message',
  'proxy-ping', 'permissions-setup', 'raw-packet',
];

const componentOf = async (witWorld: string, world: string) =>
  componentNew(await componentEmbed({ dummy: true, witSource: pluginWitSource('0.2.3', witWorld), world }));

// --- Tests -------------------------------------------------------------------------------------------------------

describe('wit/ against the 0.2.3 contract', () => {
  // Every interface as an import of a mirror world, so all 13 read back the same way.
  let shapes: Map<string, InterfaceShape>;
  let plugin: ReturnType<typeof componentInterfaces>;
  const shape = (iface: string) => shapes.get(qualified(iface))!;

  // wit-component drops `use`d names an interface never references from *imported* instance types
  // (guest's limbo-session-handle, codec-filter's uuid), but an exported interface keeps all of them.
  // So the used names of guest and codec-filter are read from the plugin world's exports.
  const usedNames = (iface: string) => {
    const exported = plugin.exports.get(qualified(iface));
    if (!exported) return shape(iface).used;
    return exported.typeNames.filter((n) => !shape(iface).types.has(n));
  };

  beforeAll(async () => {
    const mirror = `world mirror {\n${[...IMPORTS, ...EXPORTS].map((i) => `    import ${i};`).join('\n')}\n}\n`;
    shapes = componentInterfaces(await print(await componentOf(mirror, 'mirror'))).imports;
    plugin = componentInterfaces(await print(await componentOf('', 'plugin')));
  });

  it('world plugin imports the 11 interfaces and exports guest and codec-filter', () => {
    expect([...plugin.imports.keys()].sort()).toEqual(IMPORTS.map((i) => qualified(i)).sort());
    expect([...plugin.exports.keys()]).toEqual(EXPORTS.map((i) => qualified(i)));
  });

  it.each(Object.entries(COUNTS))('%s matches the §5 counts', (iface, [types, free, resourceMethods, used]) => {
    expect(shape(iface).types.size).toBe(types);
    expect(shape(iface).functions.filter((f) => !f.startsWith('[')).length).toBe(free);
    expect(shape(iface).functions.filter((f) => f.startsWith('[method]')).length).toBe(resourceMethods);
    expect(usedNames(iface).length).toBe(used);
  });

  it('has 66 types, 49 free functions, 36 resource methods and 50 used names in total', () => {
    const all = [...IMPORTS, ...EXPORTS];
    const sum = (f: (iface: string) => number) => all.reduce((n, iface) => n + f(iface), 0);
    expect(sum((i) => shape(i).types.size)).toBe(66);
    expect(sum((i) => shape(i).functions.filter((f) => !f.startsWith('[')).length)).toBe(49);
    expect(sum((i) => shape(i).functions.filter((f) => f.startsWith('[method]')).length)).toBe(36);
    expect(sum((i) => usedNames(i).length)).toBe(50);
  });

  it.each(Object.entries(FUNCTIONS))('%s declares its functions in contract order', (iface, functions) => {
    expect(shape(iface).functions).toEqual(functions);
  });

  it('exports guest and codec-filter with the same functions', () => {
    for (const iface of EXPORTS) {
      expect(plugin.exports.get(qualified(iface))!.functions).toEqual(FUNCTIONS[iface]);
    }
  });

  it('keeps the two unused `use` names in the exported interfaces', () => {
    expect(usedNames('guest')).toContain('limbo-session-handle');
    expect(usedNames('codec-filter')).toContain('uuid');
  });

  it('has 17 event kinds that match the event cases, and 9 event-outcome cases', () => {
    expect(caseNames(shape('event-bus').types.get('event-kind'))).toEqual(EVENT_KINDS);
    expect(caseNames(shape('guest').types.get('event'))).toEqual(EVENT_KINDS);
    expect(caseNames(shape('guest').types.get('event-outcome'))).toEqual(OUTCOME_CASES);
  });

  it('uses the final codec-filter revision (filter-output is a variant over filter-extras)', () => {
    const codec = shape('codec-filter').types;
    expect(caseNames(codec.get('filter-output'))).toEqual(['pass', 'drop', 'pass-modified', 'replace', 'error']);
    expect(codec.has('codec-verdict')).toBe(false);
    expect(caseNames(codec.get('filter-extras'))).toEqual(['packet', 'inject-before', 'inject-after']);
  });
});

describe('built guests', () => {
  const interfacesOf = async (name: string) => componentInterfaces(await print(readFileSync(fixturePath(name))));

  it('full-world imports exactly the 11 contract interfaces and exports guest and codec-filter', async () => {
    const { imports, exports } = await interfacesOf('full-world');
    expect([...imports.keys()].sort()).toEqual(IMPORTS.map((i) => qualified(i)).sort());
    expect([...exports.keys()]).toEqual(EXPORTS.map((i) => qualified(i)));
  });

  it('jco lists every imported interface but `types`, which has no functions to link', async () => {
    const { imports, exports } = await transpileBytes(readFileSync(fixturePath('full-world')), {
      name: 'full-world',
      instantiation: 'async',
    });
    expect([...imports].sort()).toEqual(IMPORTS.filter((i) => i !== 'types').map((i) => `infrarust:plugin/${i}`).sort());
    expect(exports.map(([name]) => name)).toEqual(expect.arrayContaining(EXPORTS.map((i) => qualified(i))));
  });

  it.each([
    ['minimal', ['log', 'event-bus']],
    ['uses-event-bus', ['log', 'event-bus']],
    ['uses-player-registry', ['log', 'player-registry']],
    ['uses-command-manager', ['log', 'command-manager']],
    ['uses-scheduler', ['log', 'scheduler']],
    ['uses-config-service', ['log', 'config-service']],
    ['uses-server-manager', ['log', 'server-manager']],
    ['uses-ban-service', ['log', 'ban-service']],
    ['uses-codec-registry', ['log', 'codec-registry']],
  ])('%s imports only what it uses (plus types and limbo, pulled in by guest)', async (name, uses) => {
    const { imports } = await interfacesOf(name);
    expect([...imports.keys()].sort()).toEqual([...uses, 'types', 'limbo'].map((i) => qualified(i)).sort());
  });

  it('wrong-version speaks @0.2.2 on both sides', async () => {
    const { imports, exports } = await interfacesOf('wrong-version');
    expect([...imports.keys()].every((i) => i.endsWith('@0.2.2'))).toBe(true);
    expect([...exports.keys()]).toEqual(EXPORTS.map((i) => qualified(i, '0.2.2')));
  });
});
