// The plugin files discovery refused, by file. Each is reported once (a host log line and a change
// event carrying the whole list), kept while its file stays, and dropped once a rescan no longer finds it.
import type { RefusedPluginFile } from '../../shared/plugin-state';
import type { ScanResult } from './plugin-scan';

export class RefusedFiles {
  /** `id` is what the file reported, when it was read before being refused (it still names a data folder). */
  private readonly byFile = new Map<string, { entry: RefusedPluginFile; id: string | null }>();

  constructor(
    private readonly notice: (message: string) => void,
    private readonly changed: (files: RefusedPluginFile[]) => void,
  ) {}

  list(): RefusedPluginFile[] {
    return [...this.byFile.values()].map((r) => r.entry).sort((a, b) => a.file.localeCompare(b.file));
  }

  /** The ids refused files reported. */
  ids(): string[] {
    return [...this.byFile.values()].flatMap((r) => (r.id === null ? [] : [r.id]));
  }

  /** Records a refusal; it is reported the first time (true), not again for the same answer (false). */
  add(entry: RefusedPluginFile, id: string | null): boolean {
    const known = this.byFile.get(entry.file);
    this.byFile.set(entry.file, { entry, id: id ?? known?.id ?? null });
    if (known?.entry.reason === entry.reason) return false;
    this.notice(`not loaded: ${entry.reason}`);
    return true;
  }

  /** The file loads after all (it moved out of a data folder's reach). */
  forget(file: string): void {
    if (this.byFile.delete(file)) this.announce();
  }

  /** Takes a rescan's refusals: new ones are reported, those whose file left are dropped. */
  sync(scan: ScanResult): void {
    const present = new Set([...scan.files, ...scan.refused.map((r) => r.file)]);
    let changed = false;
    for (const file of [...this.byFile.keys()]) {
      if (!present.has(file)) changed = this.byFile.delete(file) || changed;
    }
    for (const entry of scan.refused) changed = this.add(entry, null) || changed;
    if (changed) this.announce();
  }

  announce(): void {
    this.changed(this.list());
  }
}
