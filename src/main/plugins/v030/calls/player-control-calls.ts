// The `players` functions that need the proxy's decoding modes beyond 0.2.3's actions (§3.6): tab list,
// title clear, boss bars, resource packs, transfer, cookies and connect. Each checks `player-write` and
// its inputs here; the player's session sends the packets for the client's version (proxy/session-controls.ts)
// and answers `unsupported` when that version lacks them; passthrough players answer `unsupported` too.
import type { ControlResult, PlayerControls } from '../../../contract/player-controls';
import { hostErr, ok, type HostResult, type Players, type T } from '../contract-030';
import { BOSS_BARS_PER_PLUGIN } from '../boss-bars';
import { arenaFromComponentString } from '../text-arena';
import { uuidFrom, uuidText } from '../../../../shared/contract/uuid-halves';
import { waitLimitMs, within } from '../waits';
import { type CallKit, componentJson, type Handlers } from './call-kit';
import { approveTransfer, type TransferApproval } from '../transfer-030';

const COLORS: Players.BossBarColor[] = ['pink', 'blue', 'red', 'green', 'yellow', 'purple', 'white'];
const OVERLAYS: Players.BossBarOverlay[] = ['progress', 'notched6', 'notched10', 'notched12', 'notched20'];
/** Vanilla's limits: a cookie holds at most 5 KiB; keys are resource locations. */
const COOKIE_MAX_BYTES = 5120;
const RESOURCE_LOCATION = /^(?:[a-z0-9_.-]+:)?[a-z0-9_./-]+$/;

const flagBits = (f: Players.BossBarFlags): number => (f.darkenScreen ? 1 : 0) | (f.playBossMusic ? 2 : 0) | (f.createWorldFog ? 4 : 0);
const answer = <V>(r: ControlResult<V>): HostResult<V> => (r.ok ? ok(r.val) : hostErr(r.kind, r.message));
const bad = (message: string) => hostErr('invalid-argument', message);
const progressProblem = (p: number) => (Number.isFinite(p) && p >= 0 && p <= 1 ? null : bad(`boss bar progress must be between 0 and 1, not ${p}`));

export function playerControlCalls(k: CallKit): Handlers {
  const { ctx, services, denied, snapshot, checkText, pluginId } = k;
  const bars = ctx.bossBars;
  const waitMs = () => waitLimitMs(ctx.config().wasm.callTimeoutMs);

  /** The player's controls, or why there are none (gone, passthrough, another proxy). */
  const controlsOf = (id: bigint): PlayerControls | HostResult<never> => {
    const c = snapshot(id) ? services.players.controls(id) : undefined;
    if (c === undefined) return hostErr('player-gone', `player ${id} is not online`);
    return typeof c === 'string' ? hostErr('unsupported', c) : c;
  };
  /** player-write, then the input check, then the player's controls. */
  const withPlayer = <V>(id: bigint, problem: HostResult<never> | null, fn: (c: PlayerControls) => ControlResult<V>): HostResult<V> => {
    const refused = denied('player-write') ?? problem;
    if (refused) return refused;
    const c = controlsOf(id);
    return 'tag' in c ? c : answer(fn(c));
  };

  return {
    'players.setPlayerListHeaderFooter': (id: bigint, header: T.Component, footer: T.Component) =>
      withPlayer(id, checkText(header, footer), (c) => c.setTabList(componentJson(header), componentJson(footer))),
    'players.clearTitle': (id: bigint, reset: boolean) => withPlayer(id, null, (c) => c.clearTitle(Boolean(reset))),

    'players.showBossBar': (id: bigint, bar: Players.BossBar) => {
      const problem = checkText(bar.title) ?? progressProblem(bar.progress);
      const state = { title: componentJson(bar.title), progress: bar.progress, color: COLORS.indexOf(bar.color), overlay: OVERLAYS.indexOf(bar.overlay), flags: flagBits(bar.flags) };
      let barId: string | null = null;
      const r = withPlayer(id, problem, (c) => {
        barId = bars.claim(pluginId, id);
        if (!barId) return { ok: false, kind: 'conflict', message: `this plugin already shows ${BOSS_BARS_PER_PLUGIN} boss bars, the most it may` };
        const shown = c.showBossBar(barId, state);
        if (!shown.ok) bars.release(barId);
        return shown;
      });
      return r.tag === 'ok' ? ok(uuidFrom(barId!)) : r;
    },
    'players.updateBossBar': (bar: T.Uuid, update: Players.BossBarUpdate) => {
      const refused = denied('player-write');
      if (refused) return refused;
      const barId = uuidText(bar);
      const player = bars.playerOf(pluginId, barId);
      if (player === undefined) return hostErr('not-found', 'this plugin owns no such boss bar');
      let problem: HostResult<never> | null = null;
      if (update.tag === 'title') problem = checkText(update.val);
      else if (update.tag === 'progress') problem = progressProblem(update.val);
      const r = withPlayer(player, problem, (c) => {
        switch (update.tag) {
          case 'title':
            return c.updateBossBar(barId, { kind: 'title', title: componentJson(update.val) });
          case 'progress':
            return c.updateBossBar(barId, { kind: 'progress', progress: update.val });
          case 'style':
            return c.updateBossBar(barId, { kind: 'style', color: COLORS.indexOf(update.val[0]), overlay: OVERLAYS.indexOf(update.val[1]) });
          case 'flags':
            return c.updateBossBar(barId, { kind: 'flags', flags: flagBits(update.val) });
        }
      });
      if (r.tag === 'err' && (r.val.kind === 'player-gone' || r.val.kind === 'not-found')) bars.release(barId);
      return r;
    },
    'players.hideBossBar': (bar: T.Uuid) => {
      const refused = denied('player-write');
      if (refused) return refused;
      const barId = uuidText(bar);
      const player = bars.playerOf(pluginId, barId);
      if (player === undefined) return hostErr('not-found', 'this plugin owns no such boss bar');
      bars.release(barId);
      return withPlayer(player, null, (c) => c.hideBossBar(barId));
    },

    'players.sendResourcePack': (id: bigint, pack: Players.ResourcePackRequest) => {
      let problem = pack.prompt ? checkText(pack.prompt) : null;
      if (!pack.url || pack.url.length > 32767) problem ??= bad('a resource pack needs a URL of at most 32767 characters');
      if (pack.hash != null && !/^[0-9a-fA-F]{40}$/.test(pack.hash)) problem ??= bad('a resource pack hash is a SHA-1: 40 hexadecimal digits');
      return withPlayer(id, problem, (c) =>
        c.sendResourcePack({ id: uuidText(pack.id), url: pack.url, hash: pack.hash ?? undefined, required: pack.required, prompt: pack.prompt ? componentJson(pack.prompt) : undefined }),
      );
    },
    'players.removeResourcePack': (id: bigint, pack: T.Uuid | undefined) => withPlayer(id, null, (c) => c.removeResourcePack(pack == null ? undefined : uuidText(pack))),

    'players.transfer': async (id: bigint, target: T.ServerAddress) => {
      const port = Number(target.port);
      const refused = denied('player-write') ?? (!target.host || target.host.length > 255 || !(port >= 1 && port <= 65535) ? bad('transfer needs a host name of at most 255 characters and a port from 1 to 65535') : null);
      if (refused) return refused;
      if ('tag' in controlsOf(id)) return controlsOf(id) as HostResult<never>;
      // pre-transfer (an access event) may refuse the transfer or change its target.
      const to = await within(approveTransfer(ctx.events, pluginId, id, target.host, port).then((a): HostResult<TransferApproval> => ok(a)), waitMs(), `the pre-transfer of player ${id}`);
      if (to.tag === 'err') return to;
      if ('denied' in to.val) return hostErr('permission-denied', `a plugin refused the transfer: ${to.val.denied}`);
      const c = controlsOf(id);
      return 'tag' in c ? c : answer(c.transfer(to.val.host, to.val.port));
    },
    'players.storeCookie': (id: bigint, key: string, data: Uint8Array) => {
      const problem = cookieKeyProblem(key) ?? (data.byteLength > COOKIE_MAX_BYTES ? bad(`a cookie holds at most ${COOKIE_MAX_BYTES} bytes, not ${data.byteLength}`) : null);
      return withPlayer(id, problem, (c) => c.storeCookie(key, data));
    },
    'players.requestCookie': async (id: bigint, key: string) => {
      const refused = denied('player-write') ?? cookieKeyProblem(key);
      if (refused) return refused;
      const c = controlsOf(id);
      return 'tag' in c ? c : answer(await c.requestCookie(key, waitMs()));
    },
    'players.connect': async (id: bigint, server: string) => {
      const refused = denied('player-write');
      if (refused) return refused;
      const c = controlsOf(id);
      if ('tag' in c) return c;
      const ms = waitMs();
      return within(
        c.connect(String(server)).then((r): HostResult<Players.ConnectionResult> => {
          if (!r.ok) return hostErr(r.kind, r.message);
          const o = r.val;
          if (o.tag === 'denied' || o.tag === 'failed') return ok({ tag: o.tag, val: reasonArena(o.reason) });
          return ok(o);
        }),
        ms,
        `connecting player ${id} to ${server}`,
      );
    },
  };
}

/** A reason from the proxy or another plugin as an arena; text past the arena limits becomes a placeholder. */
function reasonArena(json: string): T.Component {
  try {
    return arenaFromComponentString(json);
  } catch {
    return arenaFromComponentString('(the reason is too large to show)');
  }
}

function cookieKeyProblem(key: string): HostResult<never> | null {
  return typeof key === 'string' && key.length <= 32767 && RESOURCE_LOCATION.test(key) ? null : bad(`"${key}" is not a cookie key (a resource location such as "myplugin:token")`);
}
