// What a .wasm file is, as far as the host can tell without enabling it: a component for one of the
// contracts this host implements (0.2.3 or 0.3.0, read from its guest export), its compiled artifact,
// and its metadata. Used by the plugin manager for
// every load and by the panel to vet a dropped file before keeping it.
import { ALL_CAPABILITIES } from '../../shared/capabilities';
import type { WasmLimits } from '../config/types';
import type { PluginMetadata } from '../contract/guest-types';
import type { GuestProcess } from '../guest/guest-process';
import { importsWasi } from '../guest/host-interfaces';
import { loadArtifact, type Artifact } from '../wasm/artifact-cache';
import { componentExportNames, componentImportNames, wasmKind } from '../wasm/component-binary';
import { readCachedMetadata, writeCachedMetadata } from '../wasm/metadata-cache';
import { decideLinks } from './linking';
import { detectContract, type ContractVersion } from '../../shared/contract/contracts';

/** A file that cannot be a plugin here; the message says why, for the user. */
export class PluginFileError extends Error {}

export interface InspectOptions {
  cacheDir: string;
  limits: WasmLimits;
  warn: (message: string) => void;
  progress?: (phase: 'transpiling' | 'compiling' | 'metadata') => void;
  /** Starts the worker that will answer metadata (and may keep the plugin's instance). */
  spawn: (importsWasi: boolean) => Promise<GuestProcess>;
}

export interface Inspected {
  contract: ContractVersion;
  artifact: Artifact;
  metadata: PluginMetadata;
  /** Booted, with the artifact loaded; the caller keeps it or terminates it. */
  guest: GuestProcess;
}

export async function inspectComponent(bytes: Uint8Array, opts: InspectOptions): Promise<Inspected> {
  let versioned: string[];
  let exported: string[];
  try {
    if (wasmKind(bytes) === 'core-module') {
      throw new PluginFileError('it is a core WebAssembly module, not a component: build it as a component for infrarust:plugin@0.3.0 (or 0.2.3) with cargo component or jco componentize');
    }
    versioned = componentImportNames(bytes);
    exported = componentExportNames(bytes);
  } catch (err) {
    if (err instanceof PluginFileError) throw err;
    throw new PluginFileError(`it is not a valid WebAssembly component: ${(err as Error).message}`);
  }
  // Refused here, before any of its code is transpiled or run (§4.11).
  const detected = detectContract(versioned, exported);
  if (!detected.ok) throw new PluginFileError(detected.reason);
  const contract = detected.contract;
  // The worker boots (and loads WASI if the component imports it) while the artifact loads.
  const spawning = opts.spawn(importsWasi(versioned));
  try {
    const artifact = await loadArtifact(bytes, {
      cacheDir: opts.cacheDir,
      memoryLimitMb: opts.limits.memoryLimitMb,
      contract,
      warn: opts.warn,
      progress: opts.progress,
    }).catch((err: Error) => {
      throw new PluginFileError(`it is not a loadable component: ${err.message}`);
    });
    const problem = unlinkableProblem(artifact.imports, contract);
    if (problem) throw new PluginFileError(problem);
    const guest = await spawning;
    guest.load(artifact);
    const cached = await readCachedMetadata(artifact.dir);
    if (cached) return { contract, artifact, metadata: cached, guest };
    // Metadata comes from a probe instance with every interface linked and no filesystem.
    opts.progress?.('metadata');
    await guest.instantiate('all', null, opts.limits.enableTimeoutMs);
    const metadata = (await guest.call('metadata', [], opts.limits.callTimeoutMs)) as PluginMetadata;
    if (typeof metadata?.id !== 'string' || typeof metadata.version !== 'string') throw new PluginFileError('its metadata has no id or version');
    await writeCachedMetadata(artifact.dir, metadata).catch(() => undefined);
    return { contract, artifact, metadata, guest };
  } catch (err) {
    await spawning.then((g) => g.terminate(), () => undefined);
    throw err;
  }
}

/** Imports no capability could ever link (network, foreign packages) make a file useless here. */
function unlinkableProblem(imports: string[], contract: ContractVersion): string | null {
  const links = decideLinks(imports, {}, ALL_CAPABILITIES, contract);
  return links.ok || links.kind !== 'failed' ? null : links.message;
}
