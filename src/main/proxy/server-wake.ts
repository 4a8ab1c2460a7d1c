// What a player sees of a managed server that is not running. Decoding modes: the built-in limbo handler
// `server_wake` (Infrarust's name for it, so its server files work unchanged) holds the player in the
// proxy's limbo world with a "Starting <server>…" title, starts the server and lets the player go on to it
// once it is ready, or disconnects them with why when it fails (bounded by start_timeout). A managed server
// that does not list it gets it appended to its limbo handlers while it is not running. A move to such a
// server (a plugin's switch-server/connect, a limbo or kick redirect) wakes it too: a player with a world
// (on a server, or in limbo) waits there under the same title and the move answers how the start went; one
// without (kicked, leaving limbo) is held in the limbo under `server_wake`. Waiting players count for the
// server's idle timer (server-manager.ts) until they arrive. Passthrough cannot
// hold a player: the join starts the server and the player is told to come back in a moment. Status pings
// answer the state's MOTD instead of asking a backend that is not there.

import type { ServerId, TitleData } from '../contract/guest-types.ts';
import type { LimboDispatcher } from '../contract/limbo-types.ts';
import type { DecodedSession } from './decoded-session.ts';
import type { LimboSessions } from './limbo-sessions.ts';
import { DEFAULT_MANAGED_MOTD, type ManagedMotdState } from './server-manager-config.ts';
import type { ManagedState, ServerManager } from './server-manager.ts';
import type { MotdSettings, ServerDefinition } from './server-file.ts';
import type { SwitchOutcome } from './server-switch.ts';
import { componentJson } from './text-component.ts';

const SERVER_WAKE_HANDLER = 'server_wake';
/** How often the title is sent again while the player waits (a title fades after its stay time). */
const TITLE_EVERY_MS = 4000;

const MOTD_OF: Record<Exclude<ManagedState, 'running'>, ManagedMotdState> = { stopped: 'sleeping', starting: 'starting', stopping: 'stopping', crashed: 'crashed' };

/** The limbo handlers a decoding-mode join runs: `server_wake` last while the managed server is not running. */
export function handlersWithWake(manager: ServerManager, server: ServerDefinition): string[] {
  const state = manager.state(server.id);
  if (state === undefined || state === 'running' || server.limboHandlers.includes(SERVER_WAKE_HANDLER)) return server.limboHandlers;
  return [...server.limboHandlers, SERVER_WAKE_HANDLER];
}

/** Passthrough: starts a managed server that is not running and answers the kick message (JSON); undefined when it runs. */
export function passthroughWake(manager: ServerManager, server: ServerDefinition): string | undefined {
  const state = manager.state(server.id);
  if (state === undefined || state === 'running') return undefined;
  void manager.start(server.id);
  return componentJson(`${server.id} is starting, try again in a moment`);
}

/** The MOTD for a status ping of a managed server that is not running; undefined when it runs (or is unmanaged). */
export function managedMotd(manager: ServerManager, server: ServerDefinition): MotdSettings | undefined {
  const state = manager.state(server.id);
  if (state === undefined || state === 'running') return undefined;
  const which = MOTD_OF[state];
  return server.managedMotds[which] ?? { text: DEFAULT_MANAGED_MOTD[which], versionName: undefined, maxPlayers: undefined, onlinePlayers: undefined, protocolVersion: undefined, favicon: undefined };
}

function startingTitle(server: ServerId): TitleData {
  return { title: componentJson(`§eStarting ${server}…`), subtitle: componentJson('§7You will be sent on when it is ready'), fadeInTicks: 0, stayTicks: 100, fadeOutTicks: 10 };
}

/** Before a move: wakes a managed target that is not running. Undefined: go on with the move (it runs now). */
export async function wakeForMove(s: DecodedSession, server: ServerId): Promise<SwitchOutcome | undefined> {
  const { manager } = s.ctx;
  const state = manager.state(server);
  if (state === undefined || state === 'running') return undefined;
  if (!s.backend && !s.limbo) {
    s.enterLimbo({ handlers: [SERVER_WAKE_HANDLER], context: { tag: 'plugin-redirect', val: server }, target: server });
    return { tag: 'limbo' };
  }
  s.ctx.log('info', `${s.who}: waits for ${server} to start`);
  manager.expect(server, s.playerId);
  const title = () => void s.act({ kind: 'title', title: startingTitle(server) });
  title();
  const refresh = setInterval(title, TITLE_EVERY_MS);
  const result = await manager.start(server).finally(() => clearInterval(refresh));
  if (s.closed || !result.ok) manager.arrived(s.playerId, server);
  if (s.closed) return { tag: 'gone' };
  return result.ok ? undefined : { tag: 'failed', reason: `${server} could not start: ${result.message}` };
}

/** The plugins' limbo dispatcher with `server_wake` answered by the proxy itself. */
export function withServerWake(inner: LimboDispatcher, sessions: () => LimboSessions, manager: ServerManager): LimboDispatcher {
  const ours = (name: string) => name === SERVER_WAKE_HANDLER;
  return {
    // Forwarded one by one: `inner` may be a class instance whose methods a spread would not copy.
    onGone: (listener) => inner.onGone(listener),
    entered: (player, handlers, context) => inner.entered?.(player, handlers, context),
    exited: (player, reason, next) => inner.exited?.(player, reason, next),
    owner: (name) => (ours(name) ? undefined : inner.owner(name)),
    chat: (name, session, message) => (ours(name) ? Promise.resolve() : inner.chat(name, session, message)),
    command: (name, session, command, args) => (ours(name) ? Promise.resolve() : inner.command(name, session, command, args)),
    disconnect: (name, player) => (ours(name) ? Promise.resolve() : inner.disconnect(name, player)),
    sessionEnd: (name, player, reason) => (ours(name) ? Promise.resolve() : inner.sessionEnd(name, player, reason)),
    async enter(name, id) {
      if (!ours(name)) return inner.enter(name, id);
      const run = sessions().get(id);
      const ctx = run?.entryContext;
      const server = ctx?.tag === 'initial-connection' ? ctx.val : ctx?.tag === 'plugin-redirect' ? ctx.val : ctx?.tag === 'kicked-from-server' ? ctx.val[0] : undefined;
      const state = server === undefined ? undefined : manager.state(server);
      if (!run || server === undefined || state === undefined || state === 'running') return { tag: 'result', val: { tag: 'accept' } };
      // The player counts for the idle timer until on the server (or gone, or sent elsewhere).
      manager.expect(server, run.playerId);
      const title = () => run.title(startingTitle(server));
      title();
      const refresh = setInterval(() => (run.cancelled() ? clearInterval(refresh) : title()), TITLE_EVERY_MS);
      void manager.start(server).then((result) => {
        clearInterval(refresh);
        if (run.cancelled() || !result.ok) manager.arrived(run.playerId, server);
        if (result.ok) run.complete({ tag: 'accept' });
        else run.complete({ tag: 'deny', val: componentJson(`§c${server} could not start: ${result.message}`) });
      });
      return { tag: 'result', val: { tag: 'hold' } };
    },
  };
}
