// Messages between the main thread and a plugin's guest worker.
import type { MessagePort } from 'node:worker_threads';
import type { PluginMetadata } from '../contract/guest-types';
import type { CodecExportName } from './codec-exports';

export interface GuestWorkerData {
  memoryCapBytes: number;
  /** Whether the component imports any WASI interface (the shim is loaded only then, from boot on). */
  importsWasi: boolean;
  logLinesPerSecond: number;
  /** The call channel's shared memory (call-channel.ts). */
  channel: SharedArrayBuffer;
  /** The worker's end of the call channel's port: log lines, and values too large for the shared memory. */
  port: MessagePort;
  /** How long the guest ran in the call under way (call-meter.ts). */
  meter: SharedArrayBuffer;
}

export type GuestExport =
  | 'metadata'
  | 'onEnable'
  | 'onDisable'
  | 'handleEvent'
  | 'handleCommand'
  | 'tabComplete'
  | 'onScheduledTask'
  | 'limboOnPlayerEnter'
  | 'limboOnCommand'
  | 'limboOnChat'
  | 'limboOnDisconnect'
  | 'limboOnSessionEnd'
  | CodecExportName
  // a codec store (codec-store-guest.ts): `filter` then `take-output` for a list of frames
  | 'codecFilterBatch'
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

/** main → worker, by postMessage ('wake': the call channel's doorbell) */
export type ToWorker = { t: 'artifact'; artifact: GuestArtifact; importsWasi: boolean } | { t: 'wake' };

/** main → worker, through the call channel; answered by a RETURN: ok with the value, or a CallFailure. */
export type GuestRequest =
  /**
   * `dataDir` is preopened as the guest's `/`; null (the metadata probe) gives no filesystem. 'codec-store'
   * makes the worker a codec store (codec-store-guest.ts): instances for codec filters only, made on demand.
   */
  | { t: 'instantiate'; linked: string[] | 'all' | 'codec-store'; dataDir: string | null }
  | { t: 'call'; fn: GuestExport; args: unknown[] };

/** worker → main, through the call channel; answered by a HOST_REPLY: ok with the value, or the error message. */
export type HostCallRequest = [iface: string, fn: string, args: unknown[]];

export type CallFailure =
  /** The export returned err(payload). */
  | { kind: 'err'; message: string }
  /** The guest trapped (or jco refused the call); `memory` when it had used most of its cap; `cpu-deadline`
   *  when a metered call ran past its budget (call-meter.ts). */
  | { kind: 'trap' | 'memory' | 'cpu-deadline'; message: string }
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

/** worker → main, by postMessage ('wake': the call channel's doorbell) */
export type FromWorker = { t: 'ready' } | { t: 'wake' };

/** worker → main, on the call channel's port (drained before each turn of the channel is read) */
export type LogLine = { t: 'log'; level: 'trace' | 'debug' | 'info' | 'warn' | 'error'; message: string };

export type { PluginMetadata };
