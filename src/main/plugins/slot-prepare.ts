// The first half of a plugin's load: read the file (or native module) and learn its metadata and contract.
// Nothing here links or enables; SlotLifecycle claims the id and activates afterwards.
import { join } from 'node:path';
import type { HostConfig } from '../config/types';
import type { PluginMetadata } from '../contract/guest-types';
import type { GuestProcess } from '../guest/guest-process';
import { inspectComponent } from './component-inspect';
import { loadNativePlugin } from './native-plugin';
import { readPluginFile } from './plugin-file';
import { CACHE_DIR_NAME } from './plugin-scan';
import type { Slot } from './plugin-slot';

const LOADING_PHASES = {
  transpiling: 'compiling the component (first load)',
  compiling: 'compiling core modules',
  metadata: 'reading its metadata',
} as const;

export interface PrepareHost {
  config: HostConfig;
  /** Progress shown on the card while the slot is loading. */
  progress(slot: Slot, reason: string): void;
  spawnWasm(slot: Slot, importsWasi: boolean): Promise<GuestProcess>;
  hostCalls(slot: Slot): (iface: string, fn: string, args: unknown[]) => unknown;
}

/** The metadata of a slot's plugin; sets its artifact and contract (WASM) or its guest (native). Throws the reason it cannot load. */
export function prepareSlot(h: PrepareHost, slot: Slot): Promise<PluginMetadata> {
  return slot.kind === 'wasm' ? prepareWasm(h, slot) : prepareNative(h, slot);
}

async function prepareWasm(h: PrepareHost, slot: Slot): Promise<PluginMetadata> {
  const bytes = await readPluginFile(slot.file);
  h.progress(slot, 'loading the compiled artifact');
  const inspected = await inspectComponent(bytes, {
    cacheDir: join(h.config.pluginsDir, CACHE_DIR_NAME),
    limits: h.config.wasm,
    warn: (m) => slot.loadWarnings.push(m),
    progress: (phase) => h.progress(slot, LOADING_PHASES[phase]),
    spawn: (wasi) => h.spawnWasm(slot, wasi),
  });
  slot.artifact = inspected.artifact;
  slot.view.contract = inspected.contract;
  return inspected.metadata;
}

async function prepareNative(h: PrepareHost, slot: Slot): Promise<PluginMetadata> {
  slot.guest = await loadNativePlugin(slot.file, (iface, fn, args) => h.hostCalls(slot)(iface, fn, args));
  await slot.guest.instantiate('all', null, h.config.wasm.enableTimeoutMs);
  const metadata = (await slot.guest.call('metadata', [], h.config.wasm.callTimeoutMs)) as PluginMetadata;
  if (metadata?.id !== slot.view.id) {
    throw new Error(`native plugin ${slot.file} reports id "${metadata?.id}" but is configured as [plugins.${slot.view.id}]`);
  }
  return metadata;
}
