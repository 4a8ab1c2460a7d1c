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

function duplicateReason(id: string, first: string, second: string): string {
  return `duplicate id "${id}": ${first} already provides it, so ${second} is not loaded`;
}

/** What claiming a prepared slot's reported id comes to (SlotLifecycle applies it). */
export type IdClaim =
  | { kind: 'none' }
  | { kind: 'failed'; reason: string; id?: string }
  | { kind: 'take'; id: string }
  /** This file sorts first: it takes the id back from `holder` (a reload, or a new file with a smaller path). */
  | { kind: 'take-back'; id: string; holder: Slot; reason: string };

export function claimDecision(slots: Slot[], slot: Slot): IdClaim {
  const md = slot.view.metadata;
  if (slot.view.state !== 'loading' || !md) return { kind: 'none' };
  if (!PLUGIN_ID.test(md.id)) return { kind: 'failed', reason: `its metadata reports the id "${md.id}", which is not snake_case ([a-z][a-z0-9_]*)` };
  const holder = slots.find((s) => s !== slot && s.view.id === md.id);
  if (!holder || holder.view.state === 'failed') return { kind: 'take', id: md.id };
  const [first, second] = [holder.file, slot.file].sort() as [string, string];
  const reason = duplicateReason(md.id, first, second);
  if (first === slot.file && holder.kind === 'wasm') return { kind: 'take-back', id: md.id, holder, reason };
  return { kind: 'failed', reason, id: `file:${slot.file}` };
}
