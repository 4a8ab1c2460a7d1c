// One proxy's membership in a network of proxies sharing state through Redis (ioredis): the connection
// state, heartbeats and the network view, duplicate-login checks and player kicks across proxies; shared
// bans are ban-sync.ts, console commands cluster-commands.ts, player batches player-share.ts. Redis being
// unreachable never stops this proxy: it serves with its own state, says so in the log and the panel, and
// resyncs when Redis returns.

import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { ClusterSettings } from '../config/types.ts';
import type { GameProfile } from '../contract/guest-types.ts';
import type { BanStore } from '../proxy/ban-store.ts';
import {
  isProxyRecord,
  isSharedPlayer,
  KEYS,
  parseJson,
  parseMessage,
  type ClusterMessage,
  type ProxyRecord,
  type SharedPlayer,
} from './cluster-protocol.ts';
import { CommandRouter, type CommandReply } from './cluster-commands.ts';
import { RemoteNetwork, type RemoteProxy } from './remote-network.ts';
import { PlayerShare } from './player-share.ts';
import { BanSync } from './ban-sync.ts';

export type { CommandReply };

/** What the node needs of its own proxy (the host adapts the proxy to this). */
export interface ClusterLocal {
  /** Where players reach this proxy. */
  address: string;
  bans: BanStore;
  players(): SharedPlayer[];
  onPlayers(listener: (type: 'joined' | 'left' | 'updated', player: SharedPlayer) => void): () => void;
  /** Closes a local player's connection; `reason` is plain text. */
  disconnect(localId: string, reason: string): boolean;
  runCommand(line: string): Promise<{ ok: boolean; output: string }>;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

export type ClusterState = 'connecting' | 'connected' | 'redis-down';

export interface ClusterHealth {
  proxyId: string;
  state: ClusterState;
  /** Unix ms of the last state change. */
  since: number;
  /** The Redis URL without credentials. */
  redis: string;
  /** Why Redis is unreachable, while it is. */
  error: string | null;
}

/** Player changes within this window go out as one batch. */
const PLAYER_BATCH_MS = 20;

export class ClusterNode extends EventEmitter<{ change: [] }> {
  readonly view = new RemoteNetwork();
  readonly id: string;
  private readonly cmd: Redis;
  private readonly sub: Redis;
  private state: ClusterState = 'connecting';
  private since = Date.now();
  private lastError: string | null = null;
  private readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly share: PlayerShare;
  private readonly commands: CommandRouter;
  private readonly bans: BanSync;
  private viewSignature = '';
  private stopped = false;

  constructor(
    private readonly settings: ClusterSettings,
    private readonly local: ClusterLocal,
  ) {
    super();
    this.id = settings.proxyId;
    const options = {
      lazyConnect: true,
      // Commands fail at once while Redis is away; pending bans are kept and replayed by us, not by ioredis.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResubscribe: false,
      connectTimeout: Math.max(1000, settings.heartbeatMs * 2),
      // A Redis that stops answering without closing the socket must not hang heartbeats forever.
      commandTimeout: Math.max(1000, settings.heartbeatMs * 2),
      retryStrategy: () => Math.min(1000, settings.heartbeatMs),
    };
    // Named so `CLIENT LIST` on the Redis side shows which proxy holds which connection.
    this.cmd = new Redis(settings.redis, { ...options, connectionName: `infrarust:${settings.proxyId}` });
    this.sub = new Redis(settings.redis, { ...options, connectionName: `infrarust:${settings.proxyId}:events` });
    this.share = new PlayerShare(PLAYER_BATCH_MS, (put, gone) => this.sendPlayers(put, gone));
    this.bans = new BanSync(this.id, this.cmd, local, () => this.state === 'connected');
    this.commands = new CommandRouter(this.id, (m) => this.publish(m), (line) => local.runCommand(line));
  }

  health(): ClusterHealth {
    return { proxyId: this.id, state: this.state, since: this.since, redis: redactUrl(this.settings.redis), error: this.state === 'redis-down' ? this.lastError : null };
  }

  async start(): Promise<void> {
    const { cmd, sub } = this;
    cmd.on('error', (err: Error) => void (this.lastError = err.message));
    sub.on('error', (err: Error) => void (this.lastError = err.message));
    cmd.on('close', () => this.markDown());
    sub.on('close', () => this.markDown());
    cmd.on('ready', () => void this.resync());
    sub.on('ready', () => void sub.subscribe(KEYS.channel).then(() => this.resync(), () => this.markDown()));
    sub.on('message', (_channel: string, text: string) =>
      this.onMessage(text).catch((err: Error) => this.local.log('warn', `cluster: a message could not be applied: ${err.message}`)),
    );
    this.unsubscribe.push(
      this.local.bans.onChange((c) => this.bans.onLocalBan(c)),
      this.local.onPlayers((type, p) => this.onLocalPlayer(type, p)),
    );
    this.timer = setInterval(() => void this.tick(), this.settings.heartbeatMs);
    this.timer.unref();
    // A first connection that fails is retried by ioredis like any other; the proxy starts regardless.
    await Promise.all([cmd.connect(), sub.connect()]).catch((err: Error) => {
      this.lastError = err.message;
      this.markDown();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.share.stop();
    for (const u of this.unsubscribe) u();
    if (this.state === 'connected') {
      // Leave at once rather than after dead_after: the others drop our players on the hello.
      await this.cmd
        .multi()
        .del(KEYS.proxy(this.id), KEYS.players(this.id))
        .srem(KEYS.proxies, this.id)
        .publish(KEYS.channel, JSON.stringify({ t: 'hello', from: this.id } satisfies ClusterMessage))
        .exec()
        .catch(() => undefined);
    }
    this.cmd.disconnect();
    this.sub.disconnect();
  }

  // ---- connection state ----

  private markDown(): void {
    if (this.stopped || this.state === 'redis-down') return;
    this.setState('redis-down');
    this.view.clear();
    this.local.log(
      'warn',
      `cluster: Redis at ${redactUrl(this.settings.redis)} is unreachable${this.lastError ? ` (${this.lastError})` : ''}: ` +
        'serving with this proxy\'s own bans and players; bans made meanwhile are kept and shared when it returns',
    );
  }

  private setState(state: ClusterState): void {
    this.state = state;
    this.since = Date.now();
    this.emit('change');
  }

  private resyncing: Promise<void> | undefined;

  /** After (re)connecting: replay pending bans, merge the network's bans, re-register, read the view. */
  private resync(): Promise<void> {
    if (this.cmd.status !== 'ready' || this.sub.status !== 'ready') return Promise.resolve();
    this.resyncing ??= this.doResync().finally(() => (this.resyncing = undefined));
    return this.resyncing;
  }

  private async doResync(): Promise<void> {
    const wasDown = this.state === 'redis-down';
    const replay = this.bans.takePending();
    try {
      const shared = await this.bans.resync(replay);
      await this.warnIfIdTaken();
      await this.heartbeat(true);
      await this.publish({ t: 'hello', from: this.id });
      this.setState('connected');
      if (wasDown) this.local.log('info', `cluster: Redis is back; resynced (${replay.length} ban change(s) replayed, ${shared} shared ban(s))`);
      else this.local.log('info', `cluster: joined the network as ${JSON.stringify(this.id)} through ${redactUrl(this.settings.redis)}`);
      this.bans.flushPending();
    } catch (err) {
      this.bans.requeue(replay);
      this.lastError = (err as Error).message;
      this.markDown();
    }
  }

  /** Two live proxies with one proxy_id would overwrite each other's keys: say so (a restart of this one is fine). */
  private async warnIfIdTaken(): Promise<void> {
    const other = parseJson(await this.cmd.get(KEYS.proxy(this.id)), isProxyRecord);
    if (other && other.startedAt !== this.startedAt && other.address !== this.local.address) {
      this.local.log('error', `cluster: proxy ${other.address} also uses proxy_id ${JSON.stringify(this.id)}: give each proxy its own proxy_id`);
    }
  }

  private async tick(): Promise<void> {
    if (this.state !== 'connected') return;
    try {
      await this.heartbeat(false);
    } catch (err) {
      // No answer in time: treat the link as down and reconnect, which resyncs once Redis answers again.
      this.lastError = `heartbeat failed: ${(err as Error).message}`;
      this.markDown();
      this.cmd.disconnect(true);
    }
  }

  /** Refreshes our heartbeat key (and with `full`, our whole players hash), then reads the network. */
  private async heartbeat(full: boolean): Promise<void> {
    const players = this.local.players();
    const record: ProxyRecord = { id: this.id, address: this.local.address, startedAt: this.startedAt, heartbeatAt: Date.now(), players: players.length };
    const ttl = this.settings.deadAfterMs;
    const m = this.cmd.multi().set(KEYS.proxy(this.id), JSON.stringify(record), 'PX', ttl).sadd(KEYS.proxies, this.id);
    if (full) {
      m.del(KEYS.players(this.id));
      if (players.length > 0) m.hset(KEYS.players(this.id), Object.fromEntries(players.map((p) => [p.localId, JSON.stringify(p)])));
      this.share.reset(players.map((p) => p.localId));
    }
    await m.pexpire(KEYS.players(this.id), ttl).exec();
    await this.refresh();
  }

  /** Reads every live proxy and its players; proxies whose heartbeat key expired are dropped. */
  private async refresh(): Promise<void> {
    const others = (await this.cmd.smembers(KEYS.proxies)).filter((id) => id !== this.id).sort();
    const records = others.length > 0 ? await this.cmd.mget(others.map(KEYS.proxy)) : [];
    const alive: ProxyRecord[] = [];
    const dead: string[] = [];
    others.forEach((id, i) => {
      const r = parseJson(records[i], isProxyRecord);
      if (r) alive.push(r);
      else dead.push(id);
    });
    if (dead.length > 0) await this.cmd.srem(KEYS.proxies, ...dead);
    const hashes = alive.length > 0 ? await this.cmd.pipeline(alive.map((r) => ['hgetall', KEYS.players(r.id)])).exec() : [];
    const entries: RemoteProxy[] = alive.map((record, i) => {
      const players = new Map<string, SharedPlayer>();
      const [, value] = hashes?.[i] ?? [];
      for (const text of Object.values((value ?? {}) as Record<string, string>)) {
        const p = parseJson(text, isSharedPlayer);
        if (p) players.set(p.localId, p);
      }
      return { record, players };
    });
    if (this.state === 'redis-down') return;
    this.view.replace(entries);
    this.changedIfDifferent();
  }

  private changedIfDifferent(): void {
    const sig = JSON.stringify(this.view.list().map((p) => [p.record.id, p.record.address, [...p.players.values()]]));
    if (sig === this.viewSignature) return;
    this.viewSignature = sig;
    this.emit('change');
  }

  // ---- local players → network ----

  private onLocalPlayer(type: 'joined' | 'left' | 'updated', p: SharedPlayer): void {
    if (this.state === 'connected') this.share.change(type, p); // otherwise the full rewrite at resync catches up
  }

  private async sendPlayers(put: SharedPlayer[], gone: string[]): Promise<void> {
    const key = KEYS.players(this.id);
    const m = this.cmd.multi();
    if (put.length > 0) m.hset(key, Object.fromEntries(put.map((p) => [p.localId, JSON.stringify(p)])));
    if (gone.length > 0) m.hdel(key, ...gone);
    m.pexpire(key, this.settings.deadAfterMs);
    m.publish(KEYS.channel, JSON.stringify({ t: 'players', from: this.id, put, gone } satisfies ClusterMessage));
    await m.exec();
  }

  // ---- network → local ----

  private async onMessage(text: string): Promise<void> {
    const m = parseMessage(text);
    if (!m || m.from === this.id) return;
    switch (m.t) {
      case 'hello':
        return void this.refresh().catch(() => undefined);
      case 'ban':
      case 'unban':
        return this.bans.onShared(m);
      case 'players':
        this.view.update(m.from, m.put, m.gone);
        return this.changedIfDifferent();
      case 'kick': {
        if (m.to !== this.id) return;
        this.local.disconnect(m.localId, m.reason);
        return;
      }
      case 'cmd':
      case 'cmd-reply':
        return this.commands.onMessage(m);
    }
  }

  private async publish(m: ClusterMessage): Promise<void> {
    await this.cmd.publish(KEYS.channel, JSON.stringify(m));
  }

  // ---- what the proxy and the panel ask ----

  /** Refusal text for a login already online on another proxy (refuse_new), or undefined (kick_old kicks the old one). */
  admitLogin(profile: GameProfile): string | undefined {
    const found = this.view.find(profile.uuid, profile.username);
    if (!found) return undefined;
    if (this.settings.duplicateLogin === 'refuse_new') return 'You are already connected to this network';
    this.kickRemote(found.proxy, found.player.localId, 'You logged in from another location');
    return undefined;
  }

  /** Asks the proxy holding a player (by its local id there) to disconnect them; false when Redis is unreachable. */
  kickRemote(proxy: string, localId: string, reason: string): boolean {
    if (this.state !== 'connected') return false;
    this.view.remove(proxy, localId);
    this.publish({ t: 'kick', from: this.id, to: proxy, localId, reason }).catch(() => undefined);
    this.changedIfDifferent();
    return true;
  }

  /** Runs a console command on one proxy (`target` its id) or on all (`"*"`), with each one's answer. */
  runCommand(line: string, target: string): Promise<CommandReply[]> {
    return this.commands.run(line, target, this.view.list().map((p) => p.record.id));
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
