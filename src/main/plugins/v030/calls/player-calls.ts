// The `players` and `server-manager` interfaces (§3.6, §3.7); the players functions beyond 0.2.3's actions
// are in player-control-calls.ts.
import { hostErr, ok, type T } from '../contract-030';
import { arenaToJson } from '../text-arena';
import { ipText, socketAddressFrom } from '../values';
import { SWITCH_SERVER_WAIT_MS, waitLimitMs, within } from '../waits';
import { type CallKit, componentJson, type Handlers } from './call-kit';
import { manageResult030 } from '../../server-manage-results';

export function playerCalls(k: CallKit): Handlers {
  const { ctx, services, pluginId, denied, players, snapshot, byUuid, info, summary, onServer, act, checkText } = k;
  return {
    // §4.1: the six lookups answer none, an empty list or 0 without player-read.
    'players.get': (id: bigint) => (ctx.granted.has('player-read') && snapshot(id) ? info(snapshot(id)!) : undefined),
    'players.getByName': (name: string) => {
      if (!ctx.granted.has('player-read')) return undefined;
      const p = players().find((x) => x.profile.username.toLowerCase() === String(name).toLowerCase());
      return p && info(p);
    },
    'players.getByUuid': (u: T.Uuid) => {
      if (!ctx.granted.has('player-read')) return undefined;
      const p = byUuid(u);
      return p && info(p);
    },
    'players.list': (server: string | undefined) => (ctx.granted.has('player-read') ? onServer(server).map(summary) : []),
    'players.getByIp': (ip: T.IpAddress) => (ctx.granted.has('player-read') ? players().filter((p) => ipText(socketAddressFrom(p.remoteAddr).ip) === ipText(ip)).map(summary) : []),
    'players.count': (server: string | undefined) => (ctx.granted.has('player-read') ? onServer(server).length : 0),
    'players.sendMessage': (id: bigint, m: T.Component) => checkText(m) ?? act('player-write', id, () => ({ kind: 'message', component: componentJson(m) })),
    'players.sendTitle': (id: bigint, t: T.TitleData) =>
      checkText(t.title, t.subtitle) ??
      act('player-write', id, () => ({ kind: 'title', title: { title: componentJson(t.title), subtitle: componentJson(t.subtitle), fadeInTicks: t.fadeInTicks, stayTicks: t.stayTicks, fadeOutTicks: t.fadeOutTicks } })),
    'players.sendActionBar': (id: bigint, m: T.Component) => checkText(m) ?? act('player-write', id, () => ({ kind: 'action-bar', component: componentJson(m) })),
    'players.sendPacket': (id: bigint, packet: T.RawPacket) => act('raw-packet', id, () => ({ kind: 'packet', packet })),
    'players.disconnect': async (id: bigint, reason: T.Component) => {
      const refused = denied('player-write') ?? checkText(reason);
      if (refused) return refused;
      if (!snapshot(id)) return hostErr('player-gone', `player ${id} is not online`);
      await services.players.disconnect(id, JSON.stringify(arenaToJson(reason)));
      return ok(undefined);
    },
    // §4.3: switch-server waits at most 250 ms; a move still under way then answers `timeout` and goes on
    // (connect, in player-control-calls.ts, waits for the outcome).
    'players.switchServer': (id: bigint, server: string) =>
      within(act('player-write', id, () => ({ kind: 'switch', server: String(server) })), waitLimitMs(ctx.config().wasm.callTimeoutMs, SWITCH_SERVER_WAIT_MS), `moving player ${id} to ${server}`),
    'players.hasPermission': (id: bigint, permission: string) =>
      denied('player-read') ?? (snapshot(id) ? ok(ctx.providers.permissions.has(id, String(permission))) : hostErr('player-gone', `player ${id} is not online`)),
    'players.refreshPermissions': (id: bigint) => {
      const p = snapshot(id);
      return denied('player-write') ?? (p ? ctx.providers.permissions.refresh(pluginId, p) : hostErr('player-gone', `player ${id} is not online`));
    },

    'server-manager.getState': (server: string) => denied('server-manage') ?? ok(services.servers.states().find(([id]) => id === server)?.[1]),
    // §4.3: both wait, for the server to be running (stopped) or the wait limit; a start goes on past it.
    'server-manager.start': (server: string) =>
      denied('server-manage') ?? manageResult030(services.servers.start(String(server)), waitLimitMs(ctx.config().wasm.callTimeoutMs), `starting ${server}`),
    'server-manager.stop': (server: string) =>
      denied('server-manage') ?? manageResult030(services.servers.stop(String(server)), waitLimitMs(ctx.config().wasm.callTimeoutMs), `stopping ${server}`),
    'server-manager.list': () => denied('server-manage') ?? ok(services.servers.states().map(([server, state]) => ({ server, state }))),
  };
}
