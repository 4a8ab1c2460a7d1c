// The live set of backend servers, loaded from `servers_dir/*.toml` and kept current by watching the folder.
// A file that fails to parse or validate is reported and never replaces the last good version of its server.

import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerConfig } from '../contract/guest-types.ts';
import { DomainRouter } from './domain-router.ts';
import type { ProxyLog } from './proxy-log.ts';
import { parseServerFile, type ServerDefinition } from './server-file.ts';

export interface ServerProblem {
  serverId: string;
  file: string;
  severity: 'error' | 'warning';
  message: string;
  line: number | null;
  column: number | null;
  /** An error while an earlier good version of the server stays in force. */
  keptPrevious: boolean;
}

export interface ServerChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

export class ServerRegistry {
  private readonly servers = new Map<string, ServerDefinition>();
  /** Last text read per server id, good or bad: unchanged files are not re-parsed or re-reported. */
  private readonly texts = new Map<string, string>();
  private readonly fileProblems = new Map<string, ServerProblem[]>();
  private router = new DomainRouter([]);
  private readonly listeners = new Set<(changes: ServerChanges) => void>();
  private scanChain: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    private readonly log: ProxyLog,
    private readonly debounceMs = 150,
  ) {}

  /** Initial load; creates the folder when missing so it can be watched. */
  async load(): Promise<ServerChanges> {
    await mkdir(this.dir, { recursive: true });
    return this.rescan();
  }

  watch(): void {
    if (this.watcher) return;
    this.watcher = watch(this.dir, () => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => {
        this.rescan().catch((err: Error) => this.log('error', `servers: rescanning ${this.dir} failed: ${err.message}`));
      }, this.debounceMs);
    });
    this.watcher.on('error', (err) => this.log('error', `servers: watching ${this.dir} failed: ${err.message}`));
  }

  close(): void {
    clearTimeout(this.debounce);
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** Re-reads the folder (serialized with other scans); listeners hear about any change. */
  rescan(): Promise<ServerChanges> {
    const next = this.scanChain.then(() => this.scan());
    this.scanChain = next.catch(() => undefined);
    return next;
  }

  onChange(listener: (changes: ServerChanges) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): ServerDefinition[] {
    return [...this.servers.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  get(id: string): ServerDefinition | undefined {
    return this.servers.get(id);
  }

  /** `host` lowercase, as from normalizeHost. */
  resolve(host: string): ServerDefinition | undefined {
    const id = this.router.resolve(host);
    return id === undefined ? undefined : this.servers.get(id);
  }

  problems(): ServerProblem[] {
    const conflicts = this.router.conflicts.map<ServerProblem>((c) => ({
      serverId: c.loser,
      file: this.servers.get(c.loser)?.file ?? '',
      severity: 'warning',
      message: `domain "${c.domain}" is also claimed by server "${c.winner}", which takes it`,
      line: null,
      column: null,
      keptPrevious: false,
    }));
    return [...[...this.fileProblems.values()].flat(), ...conflicts];
  }

  configs(): ServerConfig[] {
    return this.list().map(toServerConfig);
  }

  config(id: string): ServerConfig | undefined {
    const s = this.servers.get(id);
    return s && toServerConfig(s);
  }

  private async scan(): Promise<ServerChanges> {
    const changes: ServerChanges = { added: [], changed: [], removed: [] };
    const present = new Set<string>();
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.toml') && !n.startsWith('.'));
    } catch (err) {
      this.log('error', `servers: cannot read ${this.dir}: ${(err as Error).message}`);
      return changes;
    }
    for (const name of names.sort()) {
      const id = name.slice(0, -'.toml'.length);
      const file = join(this.dir, name);
      let text: string;
      try {
        if (!(await stat(file)).isFile()) continue;
        text = await readFile(file, 'utf8');
      } catch {
        continue; // removed between readdir and read: the next event rescans
      }
      present.add(id);
      if (this.texts.get(id) === text) continue;
      this.texts.set(id, text);
      this.apply(id, file, text, changes);
    }
    for (const id of [...this.texts.keys()]) {
      if (present.has(id)) continue;
      this.texts.delete(id);
      this.fileProblems.delete(id);
      if (this.servers.delete(id)) {
        changes.removed.push(id);
        this.log('info', `servers: removed ${id}`);
      }
    }
    if (changes.added.length + changes.changed.length + changes.removed.length > 0) {
      this.router = new DomainRouter([...this.servers.values()]);
      for (const c of this.router.conflicts) {
        this.log('warn', `servers: domain "${c.domain}" of ${c.loser} is already claimed by ${c.winner}`);
      }
      for (const l of this.listeners) l(changes);
    }
    return changes;
  }

  private apply(id: string, file: string, text: string, changes: ServerChanges): void {
    const parsed = parseServerFile(id, file, text);
    if (!parsed.ok) {
      const kept = this.servers.has(id);
      this.fileProblems.set(
        id,
        parsed.errors.map((e) => ({ serverId: id, file, severity: 'error', ...e, keptPrevious: kept })),
      );
      for (const e of parsed.errors) {
        const where = e.line === null ? file : `${file}:${e.line}:${e.column}`;
        this.log('warn', `servers: ${where}: ${e.message}${kept ? ' (previous version stays in force)' : ' (not loaded)'}`);
      }
      return;
    }
    this.fileProblems.set(
      id,
      parsed.warnings.map((w) => ({ serverId: id, file, severity: 'warning', ...w, keptPrevious: false })),
    );
    for (const w of parsed.warnings) this.log('warn', `servers: ${file}:${w.line ?? '?'}: ${w.message}`);
    (this.servers.has(id) ? changes.changed : changes.added).push(id);
    this.servers.set(id, parsed.server);
    this.log('info', `servers: loaded ${id} (${parsed.server.domains.join(', ')} → ${parsed.server.addresses.map((a) => `${a.host}:${a.port}`).join(', ')})`);
  }
}

/** The contract's record; fields this proxy has no notion of get their neutral value. */
export function toServerConfig(s: ServerDefinition): ServerConfig {
  return {
    id: s.id,
    network: undefined,
    addresses: s.addresses.map((a) => ({ ...a })),
    domains: [...s.domains],
    proxyMode: s.proxyMode.replace('_', '-') as ServerConfig['proxyMode'],
    limboHandlers: [...s.limboHandlers],
    maxPlayers: s.maxPlayers,
    disconnectMessage: s.disconnectMessage,
    sendProxyProtocol: s.sendProxyProtocol,
    hasServerManager: s.manager !== undefined,
  };
}
