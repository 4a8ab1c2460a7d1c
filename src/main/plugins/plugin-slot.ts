// One plugin file's place in the manager: its view for the panel, its guest, and the queue that
// serialises lifecycle operations on it.
import type { PluginView } from '../../shared/plugin-state';
import type { PingResponse } from '../contract/guest-types';
import type { GuestUsage } from '../guest/worker-protocol';
import type { Artifact } from '../wasm/artifact-cache';
import type { GuestHandle } from './guest-handle';
import { Recovery } from './v030/recovery';

export interface Slot {
  file: string;
  kind: 'wasm' | 'native';
  view: PluginView;
  guest: GuestHandle | null;
  artifact: Artifact | null;
  /** Warnings found while loading (cache rebuilt...), kept apart from config warnings. */
  loadWarnings: string[];
  /** The last guest's usage, kept once it is stopped (its dropped-lines count stays visible). */
  lastUsage: GuestUsage | undefined;
  /** Serialises lifecycle operations on this plugin. */
  op: Promise<unknown>;
  /** 0.3.0: restarts after faults (unused for 0.2.3, which poisons). */
  recovery: Recovery;
  /** The ping response of a proxy-ping call running in this plugin (0.3.0 `events.ping-*`). */
  currentPing: PingResponse | undefined;
}

export const PLUGIN_ID = /^[a-z][a-z0-9_]*$/;

export function newSlot(file: string, kind: 'wasm' | 'native', id?: string): Slot {
  return {
    file,
    kind,
    guest: null,
    artifact: null,
    loadWarnings: [],
    lastUsage: undefined,
    op: Promise.resolve(),
    recovery: new Recovery(),
    currentPing: undefined,
    view: {
      id: id ?? `file:${file}`,
      kind,
      contract: kind === 'native' ? '0.2.3' : null,
      file,
      state: 'loading',
      reason: null,
      poisonCause: null,
      missingCapabilities: [],
      warnings: [],
      metadata: null,
      granted: [],
      requested: [],
      enabledInConfig: true,
    },
  };
}

/** Runs `fn` after every earlier operation on the slot, whether they succeeded or not. */
export function serial<T>(slot: Slot, fn: () => Promise<T>): Promise<T> {
  const run = slot.op.then(fn, fn);
  slot.op = run.catch(() => undefined);
  return run;
}

export function duplicateReason(id: string, first: string, second: string): string {
  return `duplicate id "${id}": ${first} already provides it, so ${second} is not loaded`;
}
