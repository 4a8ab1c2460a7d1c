// Starting a prepared plugin: its grants from `[plugins.<id>]`, its hard dependencies, the links its contract
// allows (linking.ts), a guest instantiated with its data folder, and on-enable. Also the fresh instance a
// 0.3.0 plugin gets after a fault (§4.9). SlotLifecycle calls these; what a failure becomes is slot-faults.ts.
import { ALL_CAPABILITIES, BASELINE_CAPABILITIES, isOptIn, type Capability } from '../../shared/capabilities';
import type { PluginState, PoisonCause } from '../../shared/plugin-state';
import type { HostConfig } from '../config/types';
import type { GuestProcess } from '../guest/guest-process';
import { importsWasi } from '../guest/host-interfaces';
import { ensureDataDir } from './data-folders';
import type { GuestHandle } from './guest-handle';
import { decideLinks } from './linking';
import type { Slot } from './plugin-slot';
import { enableArgs, type EnableReason } from './v030/guest-030';

export interface ActivateHost {
  config(): HostConfig;
  slotById(id: string): Slot | undefined;
  stop(slot: Slot, state: PluginState, reason: string): Promise<void>;
  setState(slot: Slot, state: PluginState, reason: string | null, cause?: PoisonCause | null): void;
  /** Announces the slot's view again (its missing capabilities changed). */
  announce(slot: Slot): void;
  spawnWasm(slot: Slot, importsWasi: boolean): Promise<GuestProcess>;
  fail(slot: Slot, err: unknown): Promise<void>;
}

/** Resolves config, links, instantiates and enables a prepared slot. */
export async function activateSlot(h: ActivateHost, slot: Slot): Promise<void> {
  const id = slot.view.id;
  const table = h.config().plugins[id];
  // Native plugins are trusted code: they hold every capability.
  const granted = new Set<Capability>(slot.kind === 'native' ? ALL_CAPABILITIES : BASELINE_CAPABILITIES);
  for (const p of table?.permissions ?? []) if (isOptIn(p)) granted.add(p);
  slot.view.granted = [...granted];
  slot.view.requested = (table?.permissions ?? []).filter(isOptIn);
  slot.view.enabledInConfig = table?.enabled ?? true;
  if (!slot.view.enabledInConfig) return h.stop(slot, 'disabled', 'enabled = false in infrarust.toml');
  // A hard dependency that is not enabled keeps this plugin disabled (§4.9; 0.2.3 plugins declare none).
  const missing = (slot.view.metadata?.dependencies ?? []).find((d) => !d.optional && h.slotById(d.id)?.view.state !== 'enabled');
  if (missing) return h.stop(slot, 'failed', `plugin '${id}' requires '${missing.id}', which is not enabled`);
  try {
    if (slot.kind === 'wasm') {
      const links = decideLinks(slot.artifact!.imports, slot.artifact!.functions, granted, slot.view.contract!, table?.strictCapabilities);
      if (!links.ok) {
        await h.stop(slot, links.kind, links.message);
        if (links.kind === 'capability-denied') {
          slot.view.missingCapabilities = [...new Set(links.missing.map((m) => m.capability))];
          h.announce(slot);
        }
        return;
      }
      for (const w of links.warnings) if (!slot.loadWarnings.includes(w)) slot.loadWarnings.push(w);
      h.setState(slot, 'loading', 'instantiating');
      await instantiateWasm(h, slot, links.linked);
    }
    h.setState(slot, 'loading', 'running on-enable');
    await slot.guest!.call('onEnable', enableArgs(slot.view.contract), h.config().wasm.enableTimeoutMs);
    h.setState(slot, 'enabled', null);
  } catch (err) {
    await h.fail(slot, err);
  }
}

/** A fresh 0.3.0 instance after a fault, linked with the grants it had, told why (`recovered`). */
export async function startFreshInstance(h: ActivateHost, slot: Slot, reason: EnableReason): Promise<void> {
  const links = decideLinks(slot.artifact!.imports, slot.artifact!.functions, new Set(slot.view.granted), '0.3.0', h.config().plugins[slot.view.id]?.strictCapabilities);
  if (!links.ok) throw new Error(links.message);
  const guest = await instantiateWasm(h, slot, links.linked);
  await guest.call('onEnable', enableArgs('0.3.0', reason), h.config().wasm.enableTimeoutMs);
}

/** The slot's guest (a fresh worker unless metadata left one) instantiated with its links and data folder. */
async function instantiateWasm(h: ActivateHost, slot: Slot, linked: Parameters<GuestProcess['instantiate']>[0]): Promise<GuestHandle> {
  const dataDir = await ensureDataDir(h.config().pluginsDir, slot.view.id);
  let guest = slot.guest;
  if (!guest) {
    const fresh = await h.spawnWasm(slot, importsWasi(slot.artifact!.imports));
    fresh.load(slot.artifact!);
    guest = fresh;
  }
  await guest.instantiate(linked, dataDir, h.config().wasm.enableTimeoutMs);
  return guest;
}
