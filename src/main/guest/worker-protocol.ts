// Messages between the main thread and a plugin's guest worker.
import type { MessagePort } from 'node:worker_threads';
import type { PluginMetadata } from '../contract/guest-types';

export interface GuestWorkerData {
  memoryCapBytes: number;
  /** Whether the component imports any WASI interface (the shim is loaded only then, from boot on). */
  importsWasi: boolean;
  logLinesPerSecond: number;
  /** Int32Array[1] the worker waits on while the main thread answers a host call. */
  signal: SharedArrayBuffer;
  /** Port the main thread answers host calls on. */
  replyPort: MessagePort;
}

export type GuestExport =
  | 'metadata'
  | 'onEnable'
  | 'onDisable'
  | 'handleEvent'
  | 'handleCommand'
  | 'tabComplete'
  | 'onScheduledTask'
  // 0.3.0 providers
  | 'banProviderCheck'
  | 'banProviderBan'
  | 'banProviderUnban'
  | 'banProviderGet'
  | 'banProviderList'
  | 'permissionSnapshotFor';

/** The compiled component, sent once it is ready (the worker boots while it is being loaded). */
export interface GuestArtifact {
  gluePath: string;
  modules: Record<string, WebAssembly.Module>;
  /** Which contract's import objects the guest is linked with. */
  contract: string;
}

/** main → worker */
export type ToWorker =
  | { t: 'artifact'; artifact: GuestArtifact; importsWasi: boolean }
  /** `dataDir` is preopened as the guest's `/`; null (the metadata probe) gives no filesystem. */
  | { t: 'instantiate'; id: number; linked: string[] | 'all'; dataDir: string | null }
  | { t: 'call'; id: number; fn: GuestExport; args: unknown[] };

export type CallFailure =
  /** The export returned err(payload). */
  | { kind: 'err'; message: string }
  /** The guest trapped (or jco refused the call); `memory` when it had used most of its cap. */
  | { kind: 'trap' | 'memory'; message: string }
  /** A host call failed inside the host: the instance cannot be trusted to continue. */
  | { kind: 'host-error'; message: string }
  /** The instance could not be created. */
  | { kind: 'instantiate'; message: string };

/** Reported with every answer, for the panel's per-plugin metrics. */
export interface GuestUsage {
  /** Largest linear memory of the instance, bytes. */
  memoryBytes: number;
  /** Log lines dropped by the rate limit since the worker started. */
  droppedLines: number;
}

/** worker → main */
export type FromWorker =
  | { t: 'ready' }
  | ({ t: 'ret'; id: number; ok: true; value: unknown } & GuestUsage)
  | ({ t: 'ret'; id: number; ok: false; failure: CallFailure } & GuestUsage)
  | { t: 'host'; iface: string; fn: string; args: unknown[] }
  | { t: 'log'; level: 'trace' | 'debug' | 'info' | 'warn' | 'error'; message: string };

export type HostReply = { ok: true; value: unknown } | { ok: false; message: string };

export type { PluginMetadata };
