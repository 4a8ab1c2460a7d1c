// `[cluster]`: several proxies sharing bans, players and commands through Redis.
import { hostname } from 'node:os';
import { CLUSTER_DEFAULTS, CONFIG_LIMITS } from './config-defaults';
import type { Reader, Table } from './config-reader';
import { parseHostPort } from './host-port';
import type { ClusterSettings } from './types';

const DUPLICATE_LOGIN = ['refuse_new', 'kick_old'] as const;

export function readCluster(r: Reader, root: Table, bind: string): ClusterSettings | null {
  if (root.cluster === undefined) return null;
  const t = r.table(root, 'cluster', undefined);
  r.unknownKeys(t, 'cluster', ['redis', 'proxy_id', 'heartbeat_interval', 'dead_after', 'duplicate_login']);
  const redis = t.redis;
  if (typeof redis !== 'string' || !isRedisUrl(redis)) {
    r.warn('cluster', 'redis', 'must be "redis://host:port" (or rediss://); cluster mode is off');
    return null;
  }
  const c = CLUSTER_DEFAULTS;
  const heartbeatMs = r.duration(t, 'cluster', 'heartbeat_interval', c.heartbeat_interval, CONFIG_LIMITS.heartbeat_interval);
  let deadAfterMs = r.duration(t, 'cluster', 'dead_after', c.dead_after, CONFIG_LIMITS.dead_after);
  if (deadAfterMs < heartbeatMs * 2) {
    r.warn('cluster', 'dead_after', `must be at least twice heartbeat_interval (${heartbeatMs} ms); using ${heartbeatMs * 2}`);
    deadAfterMs = heartbeatMs * 2;
  }
  let duplicateLogin: ClusterSettings['duplicateLogin'] = c.duplicate_login;
  if (t.duplicate_login !== undefined) {
    if ((DUPLICATE_LOGIN as readonly unknown[]).includes(t.duplicate_login)) duplicateLogin = t.duplicate_login as ClusterSettings['duplicateLogin'];
    else r.warn('cluster', 'duplicate_login', `must be "refuse_new" or "kick_old"; using ${JSON.stringify(c.duplicate_login)}`);
  }
  const port = parseHostPort(bind)?.port ?? 25565;
  return {
    redis,
    proxyId: r.string(t, 'cluster', 'proxy_id', `${hostname()}:${port}`),
    heartbeatMs,
    deadAfterMs,
    duplicateLogin,
  };
}

function isRedisUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '';
  } catch {
    return false;
  }
}

