// Checks a dropped plugin file before anything is written to plugins_dir: a safe name, a size limit,
// a real component for infrarust:plugin@0.2.3, and its metadata (for the id, so a replacement can be
// confirmed first). The component is compiled into a private staging folder; a refused file leaves no
// trace, an accepted one hands its compiled artifact to the cache so the load that follows is fast.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DeployPhase } from '../../shared/control-api';
import { pluginFileNameProblem, uploadSizeProblem } from '../../shared/upload-checks';
import type { WasmLimits } from '../config/types';
import type { PluginMetadata } from '../contract/guest-types';
import { DeadlineClock } from '../guest/deadline-clock';
import { GuestProcess } from '../guest/guest-process';
import { inspectComponent, PluginFileError } from '../plugins/component-inspect';
import { CACHE_DIR_NAME } from '../plugins/plugin-scan';

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
  const cacheDir = join(opts.pluginsDir, CACHE_DIR_NAME);
  // `.tmp-` entries are swept from the cache by the artifact cache itself should we crash mid-check.
  const staging = join(cacheDir, `.tmp-upload-${process.pid}-${randomBytes(6).toString('hex')}`);
  const discard = () => rm(staging, { recursive: true, force: true });
  try {
    await mkdir(staging, { recursive: true });
    const { artifact, metadata, guest } = await inspectComponent(bytes, {
      cacheDir: staging,
      limits: opts.limits,
      warn: () => undefined,
      progress: (phase) => opts.progress(...PROGRESS[phase]),
      spawn: (wasi) => probeGuest(wasi, opts.limits),
    });
    await guest.terminate();
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
    return refuse(err instanceof PluginFileError ? err.message : `it could not be checked: ${(err as Error).message}`);
  }

  async function refuse(reason: string): Promise<UploadCheck> {
    await discard();
    return { ok: false, reason };
  }
}

const PROGRESS: Record<'transpiling' | 'compiling' | 'metadata', [DeployPhase, string]> = {
  transpiling: ['compiling', 'compiling the component (first load of a large plugin takes a while)'],
  compiling: ['compiling', 'compiling core modules'],
  metadata: ['reading-metadata', 'reading its metadata'],
};

/** A throwaway guest, with no filesystem and no host services, just to ask for metadata. */
function probeGuest(wasi: boolean, limits: WasmLimits): Promise<GuestProcess> {
  return GuestProcess.start({
    importsWasi: wasi,
    memoryLimitMb: limits.memoryLimitMb,
    logLinesPerSecond: limits.logLinesPerSecond,
    clock: new DeadlineClock(limits.deadlineTickMs),
    onHostCall: () => {
      throw new Error('host services are not available while a plugin is being checked');
    },
    onLog: () => undefined,
  });
}
