// Bans by ip, username (case-insensitive) or uuid, persisted atomically in `<dataDir>/bans.json`. The API mirrors the
// contract's ban-service and answers with its shapes; `duration-ms = none` means a permanent ban.

import { mkdir, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BanEntry, BanTarget, ServiceError, WitResult } from '../contract/guest-types.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { parseUuid, uuidMatchKey } from '../../shared/contract/uuid-halves.ts';
import type { ProxyLog } from './proxy-log.ts';

/** One ban as stored (and as shared between proxies in cluster mode). */
export interface StoredBan {
  type: BanTarget['tag'];
  value: string;
  reason?: string;
  expiresAt?: number;
  createdAt: number;
  source: string;
}

interface BanFile {
  version: 1;
  bans: StoredBan[];
}

const ok = <T>(val: T): WitResult<T, ServiceError> => ({ tag: 'ok', val });

/** A ban or unban made through this store's API (not one applied from another proxy). */
export type BanChange = { type: 'ban'; ban: StoredBan } | { type: 'unban'; banType: StoredBan['type']; value: string; removed: StoredBan; source: string };

export class BanStore {
  /** Keyed by `type:normalized value` (uuids: see keyOf). */
  private readonly bans = new Map<string, StoredBan>();
  private writeChain: Promise<unknown> = Promise.resolve();

  private loading: Promise<void> | undefined;
  private readonly listeners = new Set<(change: BanChange) => void>();

  constructor(
    readonly file: string,
    private readonly log: ProxyLog,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Reads the file once (later calls share the first read); every API call waits for it. A file that
   * cannot be parsed is moved aside (never silently overwritten) and the store starts empty, with an error.
   */
  load(): Promise<void> {
    this.loading ??= this.read();
    return this.loading;
  }

  /** The error to answer with when the file could not be read at all. */
  private async unready(): Promise<{ tag: 'err'; val: ServiceError } | undefined> {
    try {
      await this.load();
      return undefined;
    } catch (err) {
      return { tag: 'err', val: { tag: 'unavailable', val: `bans unavailable: ${(err as Error).message}` } };
    }
  }

  private async read(): Promise<void> {
    let text: string | undefined;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text === undefined) return;
    try {
      for (const b of parseBanFile(text)) this.bans.set(keyOf(b.type, b.value), b);
    } catch (err) {
      const aside = `${this.file}.broken-${this.now()}`;
      await rename(this.file, aside);
      this.log('error', `bans: ${this.file} is unreadable (${(err as Error).message}); moved to ${aside}, starting empty`);
    }
    this.pruneExpired();
  }

  async ban(
    target: BanTarget,
    reason: string | undefined,
    durationMs: bigint | number | undefined,
    source = 'proxy',
  ): Promise<WitResult<undefined, ServiceError>> {
    const unready = await this.unready();
    if (unready) return unready;
    const value = normalize(target);
    if (value === '') return { tag: 'err', val: { tag: 'operation-failed', val: `empty ${target.tag}` } };
    const createdAt = this.now();
    const entry: StoredBan = { type: target.tag, value, createdAt, source };
    if (reason !== undefined) entry.reason = reason;
    if (durationMs !== undefined) entry.expiresAt = createdAt + Number(durationMs);
    this.bans.set(keyOf(target.tag, value), entry);
    this.emit({ type: 'ban', ban: { ...entry } });
    return this.persist(undefined);
  }

  async unban(target: BanTarget, source = 'proxy'): Promise<WitResult<boolean, ServiceError>> {
    const unready = await this.unready();
    if (unready) return unready;
    const value = normalize(target);
    const key = keyOf(target.tag, value);
    const removed = this.bans.get(key);
    this.bans.delete(key);
    if (removed) this.emit({ type: 'unban', banType: target.tag, value: removed.value, removed: { ...removed }, source });
    return removed ? this.persist(true) : ok(false);
  }

  /** Told of every ban and unban made through ban()/unban(); applyShared() changes are not reported. */
  onChange(listener: (change: BanChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every active ban as stored (after load). */
  records(): StoredBan[] {
    this.pruneExpired();
    return [...this.bans.values()].map((b) => ({ ...b }));
  }

  /**
   * Applies bans and unbans that another proxy made (cluster mode) and saves them, so they hold while the
   * network is unreachable. Returns whether anything changed.
   */
  async applyShared(put: StoredBan[], remove: { type: StoredBan['type']; value: string }[] = []): Promise<boolean> {
    await this.load();
    let changed = false;
    for (const b of put) {
      const value = normalize({ tag: b.type, val: b.value });
      const key = keyOf(b.type, value);
      const current = this.bans.get(key);
      if (current && JSON.stringify(current) === JSON.stringify({ ...b, value })) continue;
      this.bans.set(key, { ...b, value });
      changed = true;
    }
    for (const r of remove) changed = this.bans.delete(keyOf(r.type, normalize({ tag: r.type, val: r.value }))) || changed;
    if (changed) await this.persist(undefined);
    return changed;
  }

  private emit(change: BanChange): void {
    for (const l of this.listeners) l(change);
  }

  async isBanned(target: BanTarget): Promise<WitResult<boolean, ServiceError>> {
    const unready = await this.unready();
    if (unready) return unready;
    return ok(this.active(target) !== undefined);
  }

  async getBan(target: BanTarget): Promise<WitResult<BanEntry | undefined, ServiceError>> {
    const unready = await this.unready();
    if (unready) return unready;
    const b = this.active(target);
    return ok(b && toEntry(b));
  }

  async getAllBans(): Promise<WitResult<BanEntry[], ServiceError>> {
    const unready = await this.unready();
    if (unready) return unready;
    this.pruneExpired();
    return ok([...this.bans.values()].map(toEntry));
  }

  /** Synchronous check for the login path (after load): the first active ban on the ip, name or uuid. */
  findActive(ip: string, username: string, uuid: string): BanEntry | undefined {
    const b =
      this.active({ tag: 'ip', val: ip }) ??
      this.active({ tag: 'username', val: username }) ??
      this.active({ tag: 'uuid', val: uuid });
    return b && toEntry(b);
  }

  private active(target: BanTarget): StoredBan | undefined {
    const key = keyOf(target.tag, normalize(target));
    const b = this.bans.get(key);
    if (b?.expiresAt !== undefined && b.expiresAt <= this.now()) {
      this.bans.delete(key);
      void this.persist(undefined);
      return undefined;
    }
    return b;
  }

  private pruneExpired(): void {
    const now = this.now();
    for (const [key, b] of this.bans) if (b.expiresAt !== undefined && b.expiresAt <= now) this.bans.delete(key);
  }

  /** Writes are serialized; each one writes the state current when it runs. */
  private persist<T>(val: T): Promise<WitResult<T, ServiceError>> {
    const run = this.writeChain.then(async () => {
      this.pruneExpired();
      const data: BanFile = { version: 1, bans: [...this.bans.values()] };
      await mkdir(dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, `${JSON.stringify(data, null, 2)}\n`);
    });
    this.writeChain = run.catch(() => undefined);
    return run.then(
      () => ok(val),
      (err: Error) => {
        this.log('error', `bans: writing ${this.file} failed: ${err.message}`);
        return { tag: 'err', val: { tag: 'operation-failed', val: `cannot save bans: ${err.message}` } };
      },
    );
  }
}

function parseBanFile(text: string): StoredBan[] {
  const data = JSON.parse(text) as Partial<BanFile>;
  if (data.version !== 1 || !Array.isArray(data.bans)) throw new Error('expected { "version": 1, "bans": [...] }');
  return data.bans.map((b, i) => {
    if (!isStoredBan(b)) throw new Error(`ban #${i} is malformed`);
    return { ...b, value: normalize({ tag: b.type, val: b.value }) };
  });
}

/** Shape check for a ban read from bans.json or from another proxy. */
export function isStoredBan(b: unknown): b is StoredBan {
  if (!b || typeof b !== 'object') return false;
  const r = b as Record<string, unknown>;
  return (
    (r.type === 'ip' || r.type === 'username' || r.type === 'uuid') &&
    typeof r.value === 'string' &&
    typeof r.createdAt === 'number' &&
    typeof r.source === 'string' &&
    (r.reason === undefined || typeof r.reason === 'string') &&
    (r.expiresAt === undefined || typeof r.expiresAt === 'number')
  );
}

function normalize(target: BanTarget): string {
  const v = target.val.trim();
  switch (target.tag) {
    case 'ip':
      return v.startsWith('::ffff:') ? v.slice(7) : v.toLowerCase();
    case 'username':
      return v.toLowerCase();
    case 'uuid': {
      const hex = v.toLowerCase().replaceAll('-', '');
      return /^[0-9a-f]{32}$/.test(hex)
        ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
        : v.toLowerCase();
    }
  }
}

/**
 * A uuid ban is keyed by the uuid as a QuickJS plugin holds it (each half rounded to a double), so a ban, a
 * lookup or an unban names the same entry whether it gives the player's exact uuid or the rounded one a
 * QuickJS plugin hands back; the entry keeps the uuid it was given. Uuids further apart never share a key.
 */
function keyOf(type: BanTarget['tag'], value: string): string {
  const uuid = type === 'uuid' ? parseUuid(value) : undefined;
  return uuid ? `uuid:~${uuidMatchKey(uuid)}` : `${type}:${value}`;
}

export function toEntry(b: StoredBan): BanEntry {
  return {
    target: { tag: b.type, val: b.value },
    reason: b.reason,
    expiresAt: b.expiresAt === undefined ? undefined : BigInt(b.expiresAt),
    createdAt: BigInt(b.createdAt),
    source: b.source,
  };
}
