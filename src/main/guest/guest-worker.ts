// Runs one plugin's component inside a worker thread. Everything the guest can reach goes through
// the import objects built here: contract interfaces forward to the main thread synchronously,
// WASI comes from preview2-shim confined to the plugin's data directory.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { CONTRACT_IMPORT_PREFIX, HOST_TABLES, RESOURCE_TAG, type ResourceRef } from './host-interfaces';
import type { CallFailure, FromWorker, GuestUsage, GuestWorkerData, HostReply, ToWorker } from './worker-protocol';
import { loadWasiShims, type WasiShims } from './wasi-shims';

const data = workerData as GuestWorkerData;
const port = parentPort!;
const signal = new Int32Array(data.signal);

// Node 20 lacks JSPI; jco's glue probes for it per export and falls back slowly without this.
const wasm = WebAssembly as unknown as { promising?: (f: unknown) => unknown };
wasm.promising ??= (f) => f;

const post = (msg: FromWorker): void => port.postMessage(msg);
const usage = (): GuestUsage => ({ memoryBytes: memoryInUse(), droppedLines: droppedTotal });

// ---- logging, rate-limited in the worker so a flood never reaches the main thread's queue ----
type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
let windowStart = 0;
let windowCount = 0;
let dropped = 0;
let droppedTotal = 0;

function flushDropped(): void {
  if (dropped === 0) return;
  post({ t: 'log', level: 'warn', message: `${dropped} log lines dropped (limit ${data.logLinesPerSecond}/s)` });
  dropped = 0;
}

function log(level: Level, message: unknown): void {
  const now = Date.now();
  if (now - windowStart >= 1000) {
    flushDropped();
    windowStart = now;
    windowCount = 0;
  }
  if (++windowCount > data.logLinesPerSecond) {
    dropped++;
    droppedTotal++;
    return;
  }
  post({ t: 'log', level, message: String(message) });
}

// What the guest writes to stdout/stderr (WASI) is its log, line by line.
function captureStream(stream: NodeJS.WriteStream, level: Level): void {
  let pending = '';
  stream.write = ((chunk: string | Uint8Array) => {
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) log(level, line);
    return true;
  }) as typeof stream.write;
}
captureStream(process.stdout, 'info');
captureStream(process.stderr, 'warn');

// ---- synchronous calls to the main thread ----
const HOST_CALL_ERROR = 'HostCallError';

function hostCall(iface: string, fn: string, args: unknown[]): unknown {
  Atomics.store(signal, 0, 0);
  post({ t: 'host', iface, fn, args });
  // No timeout here: if the main thread never answers, its call deadline terminates this worker.
  Atomics.wait(signal, 0, 0);
  const reply = receiveMessageOnPort(data.replyPort)?.message as HostReply | undefined;
  if (!reply) throw new Error(`host call ${iface}.${fn} got no reply`);
  if (!reply.ok) throw Object.assign(new Error(`host call ${iface}.${fn} failed: ${reply.message}`), { name: HOST_CALL_ERROR });
  return adoptResources(reply.value);
}

type ResourceClass = new (id: bigint) => object;
const resourceClasses: Record<string, ResourceClass> = {};

function adoptResources(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(adoptResources);
  if (value && typeof value === 'object' && RESOURCE_TAG in value) {
    const ref = value as ResourceRef;
    return new resourceClasses[ref[RESOURCE_TAG]]!(ref.id);
  }
  return value;
}

/** A host resource in the guest: a thin wrapper around an id whose methods are host calls. */
function resourceClass(iface: string, name: string, methods: readonly string[]): ResourceClass {
  const cls = class {
    constructor(readonly resourceId: bigint) {}
    [Symbol.dispose](): void {}
  };
  Object.defineProperty(cls, 'name', { value: name });
  for (const method of methods) {
    Object.defineProperty(cls.prototype, method, {
      value(this: { resourceId?: bigint }, ...args: unknown[]) {
        // A stale borrow reaches us as an empty object: the host answers "not active" for id undefined.
        return hostCall(iface, `${name}.${method}`, [this?.resourceId, ...args]);
      },
    });
  }
  resourceClasses[name] = cls;
  return cls;
}

const LEVELS: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** The import objects of the guest's contract; log lines stay in the worker (rate-limited here). */
function contractImports(contract: string): Record<string, Record<string, unknown>> {
  const tables = HOST_TABLES[contract];
  if (!tables) throw new Error(`this host has no import objects for contract ${contract}`);
  const out: Record<string, Record<string, unknown>> = { [`${CONTRACT_IMPORT_PREFIX}types`]: {} };
  for (const [iface, fns] of Object.entries(tables.functions)) {
    const obj: Record<string, unknown> = {};
    for (const fn of fns) {
      obj[fn] = iface === 'log' && LEVELS.includes(fn) ? (message: string) => log(fn as Level, message) : (...args: unknown[]) => hostCall(iface, fn, args);
    }
    const resources = tables.resources[iface] ?? {};
    for (const [name, methods] of Object.entries(resources)) obj[name] = resourceClass(iface, name, methods);
    out[CONTRACT_IMPORT_PREFIX + iface] = obj;
  }
  return out;
}

/** Import objects for the names the component asks for, resolved lazily by jco's destructuring. */
function importObject(contractVersion: string, linked: Set<string> | 'all', wasi: WasiShims | null): Record<string, Record<string, unknown>> {
  const contract = contractImports(contractVersion);
  return new Proxy({} as Record<string, Record<string, unknown>>, {
    get(_, key: string) {
      if (key in contract) {
        const iface = key.slice(CONTRACT_IMPORT_PREFIX.length);
        return linked === 'all' || linked.has(iface) ? contract[key] : undefined;
      }
      return wasi?.lookup(key);
    },
  });
}

// ---- instances and calls ----
type Guest = Record<string, (...args: unknown[]) => unknown>;
let guest: Guest | null = null;
let memories: WebAssembly.Memory[] = [];

interface Glue {
  instantiate: (
    getCoreModule: (name: string) => WebAssembly.Module,
    imports: unknown,
    instantiateCore: (m: WebAssembly.Module, i: WebAssembly.Imports) => WebAssembly.Instance,
  ) => Record<string, Guest>;
}

// Started at boot when the component is known to need it (while the main thread loads the artifact), or
// when the artifact arrives in a worker booted ahead of need.
let wasiReady: Promise<WasiShims> | null = data.importsWasi ? loadWasiShims() : null;
let artifact: { glue: Promise<Glue>; modules: Record<string, WebAssembly.Module>; contract: string } | null = null;

async function instantiate(linked: string[] | 'all', dataDir: string | null): Promise<void> {
  if (!artifact) throw new Error('no component was loaded into this worker');
  const wasi = wasiReady && (await wasiReady);
  wasi?.setRoot(dataDir);
  const glue = await artifact.glue;
  const modules = artifact.modules;
  memories = [];
  const exports = glue.instantiate(
    (name) => {
      const module = modules[name];
      if (!module) throw new Error(`core module ${name} is missing from the artifact`);
      return module;
    },
    importObject(artifact.contract, linked === 'all' ? 'all' : new Set(linked), wasi),
    (module, imports) => {
      const instance = new WebAssembly.Instance(module, imports);
      for (const value of Object.values(instance.exports)) if (value instanceof WebAssembly.Memory) memories.push(value);
      return instance;
    },
  );
  const guestExport = `infrarust:plugin/guest@${artifact.contract}`;
  guest = exports[guestExport] ?? exports.guest ?? null;
  if (!guest) throw new Error(`the component does not export ${guestExport}`);
}

function memoryInUse(): number {
  return memories.reduce((n, m) => Math.max(n, m.buffer.byteLength), 0);
}

const MiB = 1024 * 1024;

function classify(err: unknown): CallFailure {
  // An export's err(payload) is thrown as the payload itself or wrapped in a ComponentError;
  // a trap is always an Error of its own.
  const isComponentError = err instanceof Error && err.name === 'ComponentError' && 'payload' in err;
  if (isComponentError || !(err instanceof Error)) {
    const payload = isComponentError ? (err as { payload: unknown }).payload : err;
    const message = typeof payload === 'string' ? payload : JSON.stringify(payload);
    // StarlingMonkey reports exhaustion of its 64 MiB as a JS exception turned into err(...).
    if (/out of memory/i.test(message)) return { kind: 'memory', message: `out of memory: ${message}` };
    return { kind: 'err', message };
  }
  const message = err.message;
  if (err.name === HOST_CALL_ERROR) return { kind: 'host-error', message };
  const used = memoryInUse();
  // memory.grow failing is invisible from JS: a trap with little headroom left under the cap is
  // attributed to memory (an allocator that cannot grow aborts with a trap).
  const nearCap = data.memoryCapBytes - used <= Math.max(8 * MiB, data.memoryCapBytes / 4);
  if (nearCap || /out of memory|Cannot allocate/i.test(message)) {
    return { kind: 'memory', message: `${message} (linear memory at ${(used / MiB).toFixed(1)} MiB of the ${data.memoryCapBytes / MiB} MiB cap)` };
  }
  return { kind: 'trap', message };
}

port.on('message', async (msg: ToWorker) => {
  if (msg.t === 'artifact') {
    const glue = import(pathToFileURL(msg.artifact.gluePath).href) as Promise<Glue>;
    glue.catch(() => undefined); // reported by the instantiate that awaits it
    artifact = { glue, modules: msg.artifact.modules, contract: msg.artifact.contract };
    if (msg.importsWasi) wasiReady ??= loadWasiShims();
    return;
  }
  try {
    if (msg.t === 'instantiate') {
      try {
        await instantiate(msg.linked, msg.dataDir);
      } catch (err) {
        post({ t: 'ret', id: msg.id, ok: false, failure: { kind: 'instantiate', message: err instanceof Error ? err.message : String(err) }, ...usage() });
        return;
      }
      post({ t: 'ret', id: msg.id, ok: true, value: null, ...usage() });
      return;
    }
    const fn = guest?.[msg.fn];
    if (!fn) throw new Error(`the guest does not export ${msg.fn}`);
    const value = fn(...msg.args);
    flushDropped();
    post({ t: 'ret', id: msg.id, ok: true, value: value ?? null, ...usage() });
  } catch (err) {
    flushDropped();
    post({ t: 'ret', id: msg.id, ok: false, failure: classify(err), ...usage() });
  }
});

post({ t: 'ready' });
