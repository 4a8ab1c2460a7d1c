// Checks a dropped plugin file before anything is written to plugins_dir: a safe name, a size limit,
// a real component for infrarust:plugin@0.2.3, and its metadata (for the id, so a replacement can be
// confirmed first). The component is compiled into a private staging folder; a refused file leaves no
// trace, an accepted one hands its compiled artifact to the cache so the load that follows is fast.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BASELINE_CAPABILITIES, OPT_IN_CAPABILITIES, type Capability } from '../../shared/capabilities';
import type { DeployPhase } from '../../shared/control-api';
import { pluginFileNameProblem, uploadSizeProblem } from '../../shared/upload-checks';
import type { WasmLimits } from '../config/types';
import type { PluginMetadata } from '../contract/guest-types';
import { DeadlineClock } from '../guest/deadline-clock';
import { importsWasi } from '../guest/host-interfaces';
import { GuestProcess } from '../guest/guest-process';
import { contractVersionProblem, decideLinks } from '../plugins/linking';
import { CACHE_DIR_NAME } from '../plugins/plugin-scan';
import { loadArtifact, type Artifact } from '../wasm/artifact-cache';
import { componentImportNames, wasmKind } from '../wasm/component-binary';
import { writeCachedMetadata } from '../wasm/metadata-cache';

const EVERY_CAPABILITY: ReadonlySet<Capability> = new Set([...BASELINE_CAPABILITIES, ...OPT_IN_CAPABILITIES]);

export interface UploadCheckOptions {
  pluginsDir: string;
  limits: WasmLimits;
  maxBytes: number;
  progress: (phase: DeployPhase, message: string) => void;
}

export interface StagedPlugin {
  metadata: PluginMetadata;
  /** Moves the compiled artifact into the plugin cache (best effort) and drops the staging folder. */
  keep(): Promise<void>;
  discard(): Promise<void>;
}

export type UploadCheck = { ok: true; staged: StagedPlugin } | { ok: false; reason: string };

/** Name and size checks alone, before the bytes are even decoded. */
export function quickUploadProblem(name: string, size: number, maxBytes: number): string | null {
  return pluginFileNameProblem(name) ?? uploadSizeProblem(size, maxBytes);
}

export async function checkUpload(name: string, bytes: Uint8Array, opts: UploadCheckOptions): Promise<UploadCheck> {
  const quick = quickUploadProblem(name, bytes.length, opts.maxBytes);
  if (quick) return { ok: false, reason: quick };
  opts.progress('checking', 'checking the component');
  let versionedImports: string[];
  try {
    if (wasmKind(bytes) === 'core-module') {
      return { ok: false, reason: 'it is a core WebAssembly module, not a component: build it as a component for infrarust:plugin@0.2.3' };
    }
    versionedImports = componentImportNames(bytes);
  } catch (err) {
    return { ok: false, reason: `it is not a valid WebAssembly component: ${(err as Error).message}` };
  }

  const cacheDir = join(opts.pluginsDir, CACHE_DIR_NAME);
  // `.tmp-` entries are swept from the cache by the artifact cache itself should we crash mid-check.
  const staging = join(cacheDir, `.tmp-upload-${process.pid}-${randomBytes(6).toString('hex')}`);
  const discard = () => rm(staging, { recursive: true, force: true });
  try {
    await mkdir(staging, { recursive: true });
    let artifact: Artifact;
    try {
      artifact = await loadArtifact(bytes, {
        cacheDir: staging,
        memoryLimitMb: opts.limits.memoryLimitMb,
        warn: () => undefined,
        progress: (phase) =>
          opts.progress('compiling', phase === 'transpiling' ? 'compiling the component (first load of a large plugin takes a while)' : 'compiling core modules'),
      });
    } catch (err) {
      return refuse(`it is not a loadable component: ${(err as Error).message}`);
    }
    const problem = contractVersionProblem(versionedImports, artifact.exports) ?? unlinkableProblem(artifact.imports);
    if (problem) return refuse(problem);
    opts.progress('reading-metadata', 'reading its metadata');
    const metadata = await probeMetadata(artifact, opts.limits).catch((err: Error) => err);
    if (metadata instanceof Error) return refuse(`its metadata could not be read: ${metadata.message}`);
    await writeCachedMetadata(artifact.dir, metadata).catch(() => undefined);
    return {
      ok: true,
      staged: {
        metadata,
        discard,
        keep: async () => {
          await rename(artifact.dir, join(cacheDir, basename(artifact.dir))).catch(() => undefined); // already cached: fine
          await discard();
        },
      },
    };
  } catch (err) {
    return refuse(`it could not be checked: ${(err as Error).message}`);
  }

  async function refuse(reason: string): Promise<UploadCheck> {
    await discard();
    return { ok: false, reason };
  }
}

/** Imports no capability could ever satisfy (network, foreign packages) make a file useless here. */
function unlinkableProblem(imports: string[]): string | null {
  const links = decideLinks(imports, EVERY_CAPABILITY);
  return !links.ok && links.kind === 'failed' ? links.message : null;
}

/** Instantiates a throwaway guest, with no filesystem and no host services, just to ask for its metadata. */
async function probeMetadata(artifact: Artifact, limits: WasmLimits): Promise<PluginMetadata> {
  const guest = await GuestProcess.start({
    importsWasi: importsWasi(artifact.imports),
    memoryLimitMb: limits.memoryLimitMb,
    logLinesPerSecond: limits.logLinesPerSecond,
    clock: new DeadlineClock(limits.deadlineTickMs),
    onHostCall: () => {
      throw new Error('host services are not available while a plugin is being checked');
    },
    onLog: () => undefined,
  });
  guest.load(artifact);
  try {
    await guest.instantiate('all', null, limits.callTimeoutMs);
    const metadata = (await guest.call('metadata', [], limits.callTimeoutMs)) as PluginMetadata;
    if (typeof metadata?.id !== 'string' || typeof metadata.version !== 'string') throw new Error('it returned no id and version');
    return metadata;
  } finally {
    await guest.terminate();
  }
}
