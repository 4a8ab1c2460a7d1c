// Bans shared through Redis: the hash `infrarust:bans` plus a message per change. Local bans and unbans
// made while Redis is away wait here and are replayed, in order, at the next resync; a resync then takes
// Redis as the reference, unless Redis lost its data (a new epoch), when local bans are merged back.
// Players covered by a ban, local or shared, are disconnected.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { isStoredBan, type BanChange, type StoredBan } from '../proxy/ban-store.ts';
import { banKey, KEYS, parseJson, type ClusterMessage } from './cluster-protocol.ts';
import type { ClusterLocal } from './cluster-node.ts';
import { banCovers } from './remote-network.ts';

export class BanSync {
  /** The Redis data set our bans last matched; a different one after an outage means Redis lost its data. */
  private epoch: string | null = null;
  /** Local bans and unbans Redis has not taken yet: replayed on reconnect, in order. */
  private pending: BanChange[] = [];

  constructor(
    private readonly id: string,
    private readonly cmd: Redis,
    private readonly local: ClusterLocal,
    private readonly connected: () => boolean,
  ) {}

  /** The changes a resync is about to replay (given back with `requeue` if it fails). */
  takePending(): BanChange[] {
    const replay = this.pending;
    this.pending = [];
    return replay;
  }

  requeue(replay: BanChange[]): void {
    this.pending = [...replay, ...this.pending];
  }

  /** Replays `replay`, merges the network's bans with ours and applies the result; answers the shared count. */
  async resync(replay: BanChange[]): Promise<number> {
    await this.cmd.set(KEYS.epoch, randomUUID(), 'NX');
    const epoch = await this.cmd.get(KEYS.epoch);
    // First contact, or Redis lost its data: our bans join the network's. Otherwise Redis is the reference.
    const union = this.epoch === null || epoch !== this.epoch;
    for (const c of replay) await this.push(c);
    const shared = new Map<string, StoredBan>();
    for (const [key, text] of Object.entries(await this.cmd.hgetall(KEYS.bans))) {
      const b = parseJson(text, isStoredBan);
      if (b) shared.set(key, b);
    }
    const local = this.local.bans.records();
    if (union) {
      for (const b of local) {
        if (shared.has(banKey(b))) continue;
        await this.push({ type: 'ban', ban: b });
        shared.set(banKey(b), b);
      }
    }
    const now = Date.now();
    const put = [...shared.values()].filter((b) => b.expiresAt === undefined || b.expiresAt > now);
    const expired = [...shared.entries()].filter(([, b]) => b.expiresAt !== undefined && b.expiresAt <= now).map(([key]) => key);
    if (expired.length > 0) await this.cmd.hdel(KEYS.bans, ...expired);
    const remove = union ? [] : local.filter((b) => !shared.has(banKey(b)));
    await this.local.bans.applyShared(put, remove);
    for (const b of put) this.disconnectCovered(b);
    this.epoch = epoch;
    return shared.size;
  }

  /** Changes made while a resync ran go out now. */
  flushPending(): void {
    for (const c of this.takePending()) this.onLocalBan(c);
  }

  onLocalBan(change: BanChange): void {
    if (change.type === 'ban') this.disconnectCovered(change.ban);
    if (!this.connected()) {
      this.pending.push(change);
      return;
    }
    this.push(change).catch(() => {
      this.pending.push(change);
    });
  }

  /** A ban or unban another proxy published. */
  async onShared(m: Extract<ClusterMessage, { t: 'ban' | 'unban' }>): Promise<void> {
    if (m.t === 'ban') {
      await this.local.bans.applyShared([m.ban]);
      return this.disconnectCovered(m.ban);
    }
    await this.local.bans.applyShared([], [{ type: m.type, value: m.value }]);
  }

  private async push(change: BanChange): Promise<void> {
    const m = this.cmd.multi();
    if (change.type === 'ban') {
      m.hset(KEYS.bans, banKey(change.ban), JSON.stringify(change.ban));
      m.publish(KEYS.channel, JSON.stringify({ t: 'ban', from: this.id, ban: change.ban } satisfies ClusterMessage));
    } else {
      m.hdel(KEYS.bans, banKey({ type: change.banType, value: change.value }));
      m.publish(KEYS.channel, JSON.stringify({ t: 'unban', from: this.id, type: change.banType, value: change.value } satisfies ClusterMessage));
    }
    await m.exec();
  }

  private disconnectCovered(ban: StoredBan): void {
    for (const p of this.local.players()) {
      if (banCovers(ban.type, ban.value, p)) this.local.disconnect(p.localId, ban.reason ?? 'You are banned from this server');
    }
  }
}
