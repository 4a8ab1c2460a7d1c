// Runs one plugin's component inside a worker thread. Everything the guest can reach goes through
// the import objects built here: contract interfaces forward to the main thread synchronously,
// WASI comes from preview2-shim confined to the plugin's data directory.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { CallChannel, PollBudget, State } from './call-channel';
import { CONTRACT_IMPORT_PREFIX, HOST_TABLES, RESOURCE_TAG, type ResourceRef } from './host-interfaces';
import type { CallFailure, FromWorker, GuestRequest, GuestWorkerData, HostCallRequest, LogLine, ToWorker } from './worker-protocol';
import { loadWasiShims, type WasiShims } from './wasi-shims';
import { CODEC_EXPORTS, CodecInstances, type CodecExportName } from './codec-exports';
import { WorkerMeter } from './call-meter';
import { BudgetCut, CODEC_LOG_LINES_PER_SECOND, CodecStoreGuest, type CodecExport } from './codec-store-guest';
import { codecStoreImports } from './codec-store-imports';

const data = workerData as GuestWorkerData;
const port = parentPort!;
const channel = new CallChannel(data.channel, data.port, 'worker', () => port.postMessage({ t: 'wake' } satisfies FromWorker));
const meter = new WorkerMeter(data.meter);

/**
 * How long the worker polls for the next call after answering one before it sleeps: calls that come in
 * bursts then skip the thread wake-up (~25 µs, far more on a busy machine). Only while it pays off.
 */
const idlePoll = new PollBudget(200);
/** How long a host call polls for its answer before the thread sleeps (most answers are synchronous). */
const hostPoll = new PollBudget(100);

// Node 20 lacks JSPI; jco's glue probes for it per export and falls back slowly without this.
const wasm = WebAssembly as unknown as { promising?: (f: unknown) => unknown };
wasm.promising ??= (f) => f;
// jco's glue reads process.env.JCO_DEBUG in every crossing (~30 times per event of a kit plugin), and Node's
// env object asks the C++ side on each read (0.1–0.5 µs). The worker's env is a copy taken at spawn anyway:
// as a plain object it reads like any other.
process.env = { ...process.env };

const post = (msg: FromWorker): void => port.postMessage(msg);
const postLog = (msg: LogLine): void => data.port.postMessage(msg);

// ---- logging, rate-limited in the worker so a flood never reaches the main thread's queue ----
type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
let windowStart = 0;
let windowCount = 0;
let dropped = 0;
let droppedTotal = 0;
/** A codec store logs at most CODEC_LOG_LINES_PER_SECOND (§4.8). */
let logLimit = data.logLinesPerSecond;

function flushDropped(): void {
  if (dropped === 0) return;
  postLog({ t: 'log', level: 'warn', message: `${dropped} log lines dropped (limit ${logLimit}/s)` });
  dropped = 0;
}

function log(level: Level, message: unknown): void {
  const now = Date.now();
  if (now - windowStart >= 1000) {
    flushDropped();
    windowStart = now;
    windowCount = 0;
  }
  if (++windowCount > logLimit) {
    dropped++;
    droppedTotal++;
    return;
  }
  postLog({ t: 'log', level, message: String(message) });
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
  channel.send(State.HostCall, [iface, fn, args] satisfies HostCallRequest);
  // No timeout here: if the main thread never answers, its call deadline terminates this worker.
  let s = channel.state;
  const us = hostPoll.next();
  if (us > 0) {
    s = channel.spin((st) => st === State.HostCall, us);
    hostPoll.polled(s !== State.HostCall);
  }
  while (s === State.HostCall) {
    channel.block(s);
    s = channel.state;
  }
  if (s !== State.HostReply) throw new Error(`host call ${iface}.${fn} got no reply`);
  const ok = channel.flag === 1;
  const value = channel.receive();
  channel.mark(State.Running);
  if (!ok) throw Object.assign(new Error(`host call ${iface}.${fn} failed: ${String(value)}`), { name: HOST_CALL_ERROR });
  return adoptResources(value);
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

/**
 * A host resource passed into an export (limbo-on-*'s session) is a borrow: marked so jco's glue releases
 * it when the call ends (it never does for unmarked objects).
 */
function lendResource(arg: unknown): unknown {
  if (!arg || typeof arg !== 'object' || !(RESOURCE_TAG in arg)) return arg;
  const instance = adoptResources(arg) as Record<symbol, unknown>;
  instance[Symbol.for('cabiRep')] = 1;
  return instance;
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
let codecInstances = new CodecInstances(null);
let codecStore: CodecStoreGuest | null = null;
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
// The artifact comes by postMessage, the instantiate request through the channel: either may be seen first.
let artifactArrived: () => void = () => undefined;
const artifactReady = new Promise<void>((resolve) => (artifactArrived = resolve));

async function instantiate(linked: string[] | 'all' | 'codec-store', dataDir: string | null): Promise<void> {
  await artifactReady;
  if (!artifact) throw new Error('no component was loaded into this worker');
  const wasi = wasiReady && (await wasiReady);
  wasi?.setRoot(dataDir);
  const glue = await artifact.glue;
  const { contract } = artifact;
  if (linked === 'codec-store') {
    logLimit = CODEC_LOG_LINES_PER_SECOND;
    const imports = codecStoreImports(codecLogImports(), hostCall, wasi);
    const make = (): CodecExport => {
      const codec = instantiateNow(glue, imports)[`infrarust:plugin/codec-filter@${contract}`] ?? null;
      if (!codec) throw new Error(`the component does not export infrarust:plugin/codec-filter@${contract}`);
      return codec as unknown as CodecExport;
    };
    codecStore = new CodecStoreGuest(make, meter, classify);
    codecStore.prepare();
    return;
  }
  const exports = instantiateNow(glue, importObject(contract, linked === 'all' ? 'all' : new Set(linked), wasi));
  const guestExport = `infrarust:plugin/guest@${contract}`;
  guest = exports[guestExport] ?? exports.guest ?? null;
  if (!guest) throw new Error(`the component does not export ${guestExport}`);
  codecInstances = new CodecInstances((exports[`infrarust:plugin/codec-filter@${contract}`] ?? exports.codecFilter ?? null) as never);
}

/** `log` in a codec store: the worker's own lines; max-level answers what the 0.3.0 host answers (event-calls.ts). */
function codecLogImports(): Record<string, unknown> {
  const obj: Record<string, unknown> = { maxLevel: () => 'trace' };
  for (const level of LEVELS) obj[level] = (message: string) => log(level as Level, message);
  return obj;
}

/** One instance of the loaded component, synchronously (its memories are the ones reported from now on). */
function instantiateNow(glue: Glue, imports: unknown): Record<string, Guest> {
  const modules = artifact!.modules;
  memories = [];
  return glue.instantiate(
    (name) => {
      const module = modules[name];
      if (!module) throw new Error(`core module ${name} is missing from the artifact`);
      return module;
    },
    imports,
    (module, imports) => {
      const instance = new WebAssembly.Instance(module, imports);
      for (const value of Object.values(instance.exports)) if (value instanceof WebAssembly.Memory) memories.push(value);
      return instance;
    },
  );
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

port.on('message', (msg: ToWorker) => {
  if (msg.t === 'wake') return serveTurns();
  const glue = import(pathToFileURL(msg.artifact.gluePath).href) as Promise<Glue>;
  glue.catch(() => undefined); // reported by the instantiate that awaits it
  artifact = { glue, modules: msg.artifact.modules, contract: msg.artifact.contract };
  if (msg.importsWasi) wasiReady ??= loadWasiShims();
  artifactArrived();
});

function answer(ok: boolean, value: unknown): void {
  flushDropped();
  channel.setUsage(memoryInUse(), droppedTotal);
  channel.send(State.Return, value, ok ? 1 : 0);
}

/** Runs one export synchronously: back-to-back calls never leave this loop's spin for the event loop. */
function runCall(fn: string, args: unknown[]): void {
  let value: unknown;
  try {
    if (codecStore) {
      meter.crossing();
      value = codecStore.call(fn, args) ?? null;
    } else if ((CODEC_EXPORTS as readonly string[]).includes(fn)) {
      value = codecInstances.call(fn as CodecExportName, args) ?? null;
    } else {
      const f = guest?.[fn];
      if (!f) throw new Error(`the guest does not export ${fn}`);
      value = f(...args.map(lendResource)) ?? null;
    }
  } catch (err) {
    answer(false, err instanceof BudgetCut ? { kind: 'cpu-deadline', message: err.message } : classify(err));
    return;
  }
  answer(true, value);
}

async function instantiateRequest(linked: string[] | 'all' | 'codec-store', dataDir: string | null): Promise<void> {
  try {
    await instantiate(linked, dataDir);
  } catch (err) {
    answer(false, { kind: 'instantiate', message: err instanceof Error ? err.message : String(err) } satisfies CallFailure);
    return;
  }
  answer(true, null);
}

const idle = (st: State): boolean => st !== State.Request && st !== State.Closed;

/**
 * Takes requests for as long as they come (polling between them while that pays off), then dozes until
 * the main thread rings. Calls run synchronously here: back-to-back calls never leave this loop.
 */
function serveTurns(): void {
  for (;;) {
    let s = channel.state;
    const us = idle(s) ? idlePoll.next() : 0;
    if (us > 0) {
      s = channel.spin(idle, us);
      idlePoll.polled(!idle(s));
    }
    if (idle(s)) {
      if (channel.doze(idle)) return;
      s = channel.state;
    }
    if (s === State.Closed) return;
    const request = channel.receive() as GuestRequest;
    channel.mark(State.Running);
    if (request.t === 'call') {
      runCall(request.fn, request.args);
      continue;
    }
    // Instantiating awaits the artifact and WASI: this turn goes on when it is done (a doorbell meanwhile
    // finds the state RUNNING and dozes again).
    void instantiateRequest(request.linked, request.dataDir).then(serveTurns);
    return;
  }
}

serveTurns();
post({ t: 'ready' });
