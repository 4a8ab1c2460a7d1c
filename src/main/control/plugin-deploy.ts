// The one way a plugin file reaches plugins_dir (panel drops over IPC or HTTP, the gallery): name and size
// checks, the component check with progress events, confirmation before replacing an id, an atomic write,
// then the load. Deploys run one at a time, so only one file's bytes are in memory at once; a staged file
// is read only when its turn comes, and removed once done.
import { lstat, readFile, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ControlEvent, DeployPhase, DeployResult } from '../../shared/control-api';
import { writeFileAtomic } from '../fs/atomic-write';
import type { Host } from '../host/host';
import type { HostWatcher } from '../host/watcher';
import { ignoreMissing, ownWrite } from './file-writes';
import { checkUpload, quickUploadProblem } from './upload-check';

/** A deploy's file: its bytes, or a staged file the deploy takes over (read in turn, then removed). */
export type DeploySource = { bytes: Uint8Array } | { file: string };

export class DeployQueue {
  /** Deploys run one at a time: two uploads of the same id must not race for it. */
  private deploys: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly host: Host,
    private readonly watcher: HostWatcher | null,
    private readonly maxBytes: number,
    private readonly emit: (event: ControlEvent) => void,
  ) {}

  deployFile(name: string, source: DeploySource, replace: boolean): Promise<DeployResult> {
    const run = this.deploys.then(() => this.deploy(name, source, replace));
    this.deploys = run.catch(() => undefined);
    return run.finally(() => ('file' in source ? rm(source.file, { force: true }) : undefined));
  }

  private async deploy(name: string, source: DeploySource, replace: boolean): Promise<DeployResult> {
    const size = 'file' in source ? (await stat(source.file)).size : source.bytes.length;
    const quick = quickUploadProblem(name, size, this.maxBytes);
    if (quick) return { kind: 'refused', reason: quick };
    const bytes = 'file' in source ? await readFile(source.file) : source.bytes;
    const progress = (phase: DeployPhase, message: string) => this.emit({ type: 'deploy-progress', progress: { name, phase, message } });
    const pluginsDir = this.host.plugins.pluginsDir;
    const target = join(pluginsDir, name);
    const targetInfo = await lstat(target).catch(() => null);
    if (targetInfo && !targetInfo.isFile()) return { kind: 'refused', reason: `${target} exists and is not a regular file` };

    const check = await checkUpload(name, bytes, { pluginsDir, limits: this.host.config.wasm, maxBytes: this.maxBytes, progress });
    if (!check.ok) return { kind: 'refused', reason: check.reason };
    const { metadata } = check.staged;
    const plugins = this.host.plugins.list();
    const sameId = plugins.find((p) => p.id === metadata.id || p.metadata?.id === metadata.id);
    const sameFile = plugins.find((p) => p.file === target);
    const existing = sameId ?? sameFile;
    if (existing && !replace) {
      await check.staged.discard();
      return {
        kind: 'needs-confirmation',
        id: metadata.id,
        existingFile: existing.file,
        existingVersion: existing.metadata?.version ?? null,
        incomingVersion: metadata.version,
      };
    }
    await check.staged.keep();
    progress('writing', `writing ${name} into the plugins folder`);
    await ownWrite(this.watcher, target, bytes, () => writeFileAtomic(target, bytes));
    // The replaced plugin lived in another file: retire that file so the id is free for the new one.
    if (sameId && sameId.file !== target && sameId.kind === 'wasm') {
      await ownWrite(this.watcher, sameId.file, null, () => unlink(sameId.file).catch(ignoreMissing));
      await this.host.plugins.unloadFile(sameId.file);
    }
    progress('loading', `loading ${metadata.id}`);
    // Loading applies the data-folder rule: the new id may make a folder its data folder, refusing the files in it.
    const plugin = await this.host.plugins.loadFile(target);
    if (plugin) return { kind: 'deployed', plugin };
    const refusal = this.host.plugins.refusedFiles().find((f) => f.file === target);
    return { kind: 'refused', reason: refusal?.reason ?? `${target} was written but not loaded` };
  }
}
