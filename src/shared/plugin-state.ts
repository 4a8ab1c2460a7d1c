import type { Capability } from './capabilities';
import type { ContractVersion } from './contract/contracts';

export const PLUGIN_STATES = ['disabled', 'loading', 'enabled', 'failed', 'capability-denied', 'poisoned'] as const;
export type PluginState = (typeof PLUGIN_STATES)[number];

/** Why a poisoned plugin was stopped. */
export type PoisonCause = 'trap' | 'cpu-deadline' | 'memory' | 'host-error';

export interface PluginMetadataView {
  id: string;
  name: string;
  version: string;
  authors: string[];
  description: string | null;
  dependencies: { id: string; optional: boolean }[];
}

export interface PluginView {
  /** The id the guest reports; before metadata is read, a provisional `file:<path>` key. */
  id: string;
  kind: 'wasm' | 'native';
  /** The plugin contract it speaks (read from a component's guest export); null until known. Native plugins speak 0.2.3. */
  contract: ContractVersion | null;
  file: string;
  state: PluginState;
  reason: string | null;
  poisonCause: PoisonCause | null;
  /** Capabilities this plugin would need but does not hold (capability-denied). */
  missingCapabilities: Capability[];
  warnings: string[];
  metadata: PluginMetadataView | null;
  granted: Capability[];
  /** Opt-in capabilities listed in the config, granted or not yet effective. */
  requested: Capability[];
  enabledInConfig: boolean;
  /** 0.3.0: named by `[ban] provider` / `[permissions] provider`, and whether it registered (§4.6). */
  providerRoles?: { kind: 'ban' | 'permission'; registered: boolean }[];
}

/**
 * A `.wasm` under plugins_dir that discovery refuses to load: it sits in a plugin's data folder (which
 * that plugin can write) or it is a symbolic link. Listed, never silently dropped.
 */
export interface RefusedPluginFile {
  file: string;
  /** What is wrong and what to do about it. */
  reason: string;
  /** The plugin whose data folder holds the file; null when that is not the cause. */
  dataFolderOf: string | null;
}

export interface PluginLogLine {
  pluginId: string;
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  message: string;
  time: number;
}

/** Per-plugin runtime figures shown by the panel. */
export interface PluginMetrics {
  id: string;
  /** Calls into the guest (events, commands, tasks) since the host started. */
  calls: number;
  meanMs: number;
  p99Ms: number;
  /** Calls stopped by the CPU deadline. */
  deadlineHits: number;
  /** Linear memory in use (WASM plugins), bytes. */
  memoryBytes: number;
  memoryCapBytes: number;
  logLinesDropped: number;
}
