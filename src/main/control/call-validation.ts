// Every call arriving from a transport (IPC or WebSocket) is checked here before it reaches the service:
// a known method, and parameters of exactly the expected shape — nothing more, nothing less.
import { isOptIn } from '../../shared/capabilities';
import { isControlMethod, MAX_PLUGIN_BYTES, type ControlApi, type ControlMethod, type ControlParams } from '../../shared/control-api';
import { pluginFileNameProblem } from '../../shared/upload-checks';

export type ValidCall = { [M in ControlMethod]: { method: M; params: ControlParams<M> } }[ControlMethod];

export type CallCheck = { ok: true; call: ValidCall } | { ok: false; error: string };

type FieldKind = 'string' | 'boolean' | 'capability' | 'base64' | 'strings' | 'count' | 'ban-by' | 'file-name';
type Shape = Record<string, { kind: FieldKind; optional?: boolean }>;

const MAX_STRING = 1000;
const MAX_LIST = 64;
const MAX_COUNT = 0xffffffff;
const BAN_BY = ['username', 'uuid', 'ip'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** A deploy's file as base64 (IPC): the largest plugin, and not a byte more, before anything decodes it. */
const MAX_BASE64 = Math.ceil(MAX_PLUGIN_BYTES / 3) * 4;

const id = { kind: 'string' } as const;
const SHAPES: Record<ControlMethod, Shape | null> = {
  snapshot: null,
  listPlugins: null,
  proxyStatus: null,
  players: null,
  servers: null,
  configStatus: null,
  deployPlugin: { name: { kind: 'string' }, data: { kind: 'base64' }, replace: { kind: 'boolean', optional: true } },
  examplePlugins: null,
  installExample: { file: { kind: 'file-name' }, replace: { kind: 'boolean', optional: true } },
  setPermission: { id, capability: { kind: 'capability' }, granted: { kind: 'boolean' } },
  setEnabled: { id, enabled: { kind: 'boolean' } },
  reloadPlugin: { id },
  removePlugin: { id, forgetConfig: { kind: 'boolean', optional: true } },
  runCommand: { line: { kind: 'string' } },
  tabComplete: { line: { kind: 'string' } },
  serverSettings: { id },
  saveServer: {
    id,
    domains: { kind: 'strings' },
    addresses: { kind: 'strings' },
    motd: { kind: 'string' },
    maxPlayers: { kind: 'count' },
    disconnectMessage: { kind: 'string' },
    proxyMode: { kind: 'string' },
    forwarding: { kind: 'string' },
    forwardingSecret: { kind: 'string' },
    create: { kind: 'boolean' },
  },
  removeServer: { id },
  startServer: { id },
  stopServer: { id },
  serverLog: { id },
  disconnectPlayer: { id },
  messagePlayer: { id, message: { kind: 'string' } },
  movePlayer: { id, server: { kind: 'string' } },
  banPlayer: { id, by: { kind: 'ban-by' }, reason: { kind: 'string', optional: true }, durationMinutes: { kind: 'count', optional: true } },
  bans: null,
  unban: { by: { kind: 'ban-by' }, value: { kind: 'string' } },
  liveHistory: null,
  ban: { by: { kind: 'ban-by' }, value: { kind: 'string' }, reason: { kind: 'string', optional: true }, durationMinutes: { kind: 'count', optional: true } },
  network: null,
  runNetworkCommand: { line: { kind: 'string' }, target: { kind: 'string' } },
};

export function checkCall(method: unknown, params: unknown): CallCheck {
  if (!isControlMethod(method)) return { ok: false, error: `unknown method ${JSON.stringify(method) ?? String(method)}` };
  const shape = SHAPES[method];
  if (shape === null) {
    if (params !== undefined && params !== null) return { ok: false, error: `${method} takes no parameters` };
    return { ok: true, call: { method, params: undefined } as ValidCall };
  }
  const problem = shapeProblem(params, shape);
  if (problem) return { ok: false, error: `${method}: ${problem}` };
  return { ok: true, call: { method, params } as ValidCall };
}

function shapeProblem(params: unknown, shape: Shape): string | null {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return 'parameters must be an object';
  const record = params as Record<string, unknown>;
  // Own keys only: `key in shape` would take inherited names (constructor, toString, __proto__) as fields.
  for (const key of Object.keys(record)) if (!Object.hasOwn(shape, key)) return `unexpected parameter "${key}"`;
  for (const [key, { kind, optional }] of Object.entries(shape)) {
    const value = Object.hasOwn(record, key) ? record[key] : undefined;
    if (value === undefined) {
      if (optional) continue;
      return `missing parameter "${key}"`;
    }
    const problem = valueProblem(value, kind);
    if (problem) return `"${key}" ${problem}`;
  }
  return null;
}

function valueProblem(value: unknown, kind: FieldKind): string | null {
  switch (kind) {
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'string':
      return typeof value === 'string' && value.length <= MAX_STRING ? null : `must be a string of at most ${MAX_STRING} characters`;
    case 'capability':
      return typeof value === 'string' && isOptIn(value) ? null : 'must be an opt-in capability';
    case 'base64':
      if (typeof value === 'string' && value.length > MAX_BASE64) return `must be base64 of at most ${MAX_PLUGIN_BYTES / (1024 * 1024)} MiB`;
      return typeof value === 'string' && value.length % 4 === 0 && BASE64.test(value) ? null : 'must be base64';
    case 'strings':
      return Array.isArray(value) && value.length <= MAX_LIST && value.every((v) => valueProblem(v, 'string') === null)
        ? null
        : `must be a list of at most ${MAX_LIST} strings of at most ${MAX_STRING} characters`;
    case 'count':
      return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_COUNT ? null : 'must be a whole number ≥ 0';
    case 'ban-by':
      return typeof value === 'string' && BAN_BY.includes(value) ? null : `must be one of ${BAN_BY.join(', ')}`;
    case 'file-name': {
      if (typeof value !== 'string') return 'must be a file name';
      const problem = pluginFileNameProblem(value);
      return problem ? `must be a plugin file name: ${problem}` : null;
    }
  }
}

/** Runs a checked call on the service. */
export function dispatch(api: ControlApi, call: ValidCall): Promise<unknown> {
  // The union is checked above; TypeScript cannot correlate method and params through the lookup.
  const fn = api[call.method] as (params: unknown) => Promise<unknown>;
  return fn.call(api, call.params);
}
