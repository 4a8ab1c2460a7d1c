// The one control API the panel speaks, whatever carries it (Electron IPC or the headless WebSocket).
// Everything here is plain JSON: file contents travel as base64 so both transports stay identical.
import type { Capability, OptInCapability } from './capabilities';
import type { BanBy, BanView, LiveHistory, MetricsSample, ProxyEventView, TrafficSample } from './live-views';
import type { PluginLogLine, PluginView, RefusedPluginFile } from './plugin-state';
import type { NetworkView, PlayerView, ProxyStatusView, ServerView } from './proxy-views';
import type { RouteProblem, RouteSettings } from './route-rules';

/** Largest plugin file the panel accepts. */
export const MAX_PLUGIN_BYTES = 64 * 1024 * 1024;

/** Log lines kept per plugin for a panel that connects later. */
export const LOG_LINES_KEPT = 200;

export interface ConfigProblemView {
  file: string;
  message: string;
  line: number | null;
  column: number | null;
}

export interface ConfigWarningView {
  message: string;
  table?: string;
  key?: string;
}

export interface ConfigStatusView {
  file: string;
  /** Set while infrarust.toml does not parse; the last good configuration stays in force. */
  error: ConfigProblemView | null;
  warnings: ConfigWarningView[];
}

export interface ControlSnapshot {
  pluginsDir: string;
  maxPluginBytes: number;
  plugins: PluginView[];
  /** `.wasm` files under plugins_dir that are not loaded, each with why (data-folder rule, symbolic link). */
  refusedFiles: RefusedPluginFile[];
  logs: PluginLogLine[];
  proxy: ProxyStatusView;
  players: PlayerView[];
  servers: ServerView[];
  config: ConfigStatusView;
}

export interface DeployRequest {
  /** File name only: no folder parts. */
  name: string;
  /** The file's bytes, base64. */
  data: string;
  /** Set after the user confirmed replacing the plugin with the same id (or file name). */
  replace?: boolean;
}

export type DeployResult =
  | { kind: 'deployed'; plugin: PluginView }
  | { kind: 'refused'; reason: string }
  | {
      kind: 'needs-confirmation';
      /** The id the new file reports. */
      id: string;
      existingFile: string;
      existingVersion: string | null;
      incomingVersion: string;
    };

/** An example plugin the app ships, offered on an empty plugins folder. */
export interface ExamplePluginView {
  /** Its file name among the app's examples: what `installExample` takes (never a path). */
  file: string;
  id: string;
  name: string;
  version: string;
  description: string;
  /** The component's size in bytes. */
  size: number;
  /** Every capability its imports need; opt-in ones must be ticked after installing. */
  capabilities: Capability[];
}

export type DeployPhase = 'checking' | 'compiling' | 'reading-metadata' | 'writing' | 'loading';

export interface DeployProgress {
  name: string;
  phase: DeployPhase;
  message: string;
}

/** A command's answer: the plugin as it is once the change really took effect. */
export type PluginCommandResult = { ok: true; plugin: PluginView | null } | { ok: false; error: string };

export interface ConsoleResult {
  ok: boolean;
  output: string;
}

/** A route change's answer: the server as the proxy now sees it (null once removed), or why nothing was written. */
export type ServerCommandResult =
  | { ok: true; server: ServerView | null }
  | { ok: false; error: string; problems?: RouteProblem[] };

export type ActionResult = { ok: true } | { ok: false; error: string };

/** Every call: its parameters and its answer. */
export interface ControlCalls {
  snapshot: { params: void; result: ControlSnapshot };
  listPlugins: { params: void; result: PluginView[] };
  proxyStatus: { params: void; result: ProxyStatusView };
  players: { params: void; result: PlayerView[] };
  servers: { params: void; result: ServerView[] };
  configStatus: { params: void; result: ConfigStatusView };
  deployPlugin: { params: DeployRequest; result: DeployResult };
  /** The example plugins shipped with the app (empty when the app was not built with them). */
  examplePlugins: { params: void; result: ExamplePluginView[] };
  /** Deploys one shipped example exactly as a dropped file (same checks, same progress events, named `file`). */
  installExample: { params: { file: string; replace?: boolean }; result: DeployResult };
  setPermission: { params: { id: string; capability: OptInCapability; granted: boolean }; result: PluginCommandResult };
  setEnabled: { params: { id: string; enabled: boolean }; result: PluginCommandResult };
  reloadPlugin: { params: { id: string }; result: PluginCommandResult };
  /** Deletes the plugin's file; `forgetConfig` also drops its `[plugins.<id>]` table. Its data folder stays. */
  removePlugin: { params: { id: string; forgetConfig?: boolean }; result: PluginCommandResult };
  runCommand: { params: { line: string }; result: ConsoleResult };
  tabComplete: { params: { line: string }; result: string[] };
  /** The last good version of servers/<id>.toml as the route form edits it; null for an unknown server. */
  serverSettings: { params: { id: string }; result: RouteSettings | null };
  /** Writes servers/<id>.toml (comments kept) and applies it; `create` refuses to replace an existing file. */
  saveServer: { params: RouteSettings & { create: boolean }; result: ServerCommandResult };
  removeServer: { params: { id: string }; result: ServerCommandResult };
  /** A managed server (`[server_manager]`): runs its configured command; answers once it is running or failed. */
  startServer: { params: { id: string }; result: ActionResult };
  /** `stop` on its stdin, then killed after its shutdown_timeout; answers once it has exited. */
  stopServer: { params: { id: string }; result: ActionResult };
  /** The last lines a managed server printed (empty for any other server). */
  serverLog: { params: { id: string }; result: string[] };
  disconnectPlayer: { params: { id: string }; result: ActionResult };
  /** A system chat message (plain text) to a player of a decoding mode (offline, client_only). */
  messagePlayer: { params: { id: string; message: string }; result: ActionResult };
  /** Moves a player of a decoding mode to another server without reconnecting them. */
  movePlayer: { params: { id: string; server: string }; result: ActionResult };
  /** Bans through the same ban store plugins use (source "panel"), then disconnects the player. */
  banPlayer: { params: { id: string; by: BanBy; reason?: string; durationMinutes?: number }; result: ActionResult };
  bans: { params: void; result: BanView[] };
  unban: { params: { by: BanBy; value: string }; result: ActionResult };
  /** Traffic, plugin metrics and events kept on the host (the `traffic`, `metrics` and `proxy-event` events extend it). */
  liveHistory: { params: void; result: LiveHistory };
  /** Bans a name, uuid or ip whether or not it is online (in cluster mode: on every proxy of the network). */
  ban: { params: { by: BanBy; value: string; reason?: string; durationMinutes?: number }; result: ActionResult };
  /** Cluster mode: the proxies of the network and this proxy's link to Redis (`enabled: false` without `[cluster]`). */
  network: { params: void; result: NetworkView };
  /** Cluster mode: a console command on one proxy (`target`: its id) or on all (`"*"`), with each one's answer. */
  runNetworkCommand: { params: { line: string; target: string }; result: NetworkCommandReply[] };
}

export interface NetworkCommandReply {
  proxy: string;
  ok: boolean;
  output: string;
}

export type ControlMethod = keyof ControlCalls;
export type ControlParams<M extends ControlMethod> = ControlCalls[M]['params'];
export type ControlResult<M extends ControlMethod> = ControlCalls[M]['result'];

export const CONTROL_METHODS = [
  'snapshot',
  'listPlugins',
  'proxyStatus',
  'players',
  'servers',
  'configStatus',
  'deployPlugin',
  'examplePlugins',
  'installExample',
  'setPermission',
  'setEnabled',
  'reloadPlugin',
  'removePlugin',
  'runCommand',
  'tabComplete',
  'serverSettings',
  'saveServer',
  'removeServer',
  'startServer',
  'stopServer',
  'serverLog',
  'disconnectPlayer',
  'messagePlayer',
  'movePlayer',
  'banPlayer',
  'bans',
  'unban',
  'liveHistory',
  'ban',
  'network',
  'runNetworkCommand',
] as const satisfies readonly ControlMethod[];

export function isControlMethod(value: unknown): value is ControlMethod {
  return typeof value === 'string' && (CONTROL_METHODS as readonly string[]).includes(value);
}

/** The API as methods: what the host implements and what the renderer calls. */
export type ControlApi = { [M in ControlMethod]: (params: ControlParams<M>) => Promise<ControlResult<M>> };

export type ControlEvent =
  | { type: 'plugin'; plugin: PluginView }
  /** The plugin of `file` is gone (its file left plugins_dir). */
  | { type: 'plugin-removed'; id: string; file: string }
  /** The whole list of refused plugin files, each time it changes. */
  | { type: 'refused-files'; files: RefusedPluginFile[] }
  | { type: 'log'; line: PluginLogLine }
  | { type: 'proxy'; status: ProxyStatusView }
  | { type: 'players'; players: PlayerView[] }
  | { type: 'servers'; servers: ServerView[] }
  | { type: 'config'; config: ConfigStatusView }
  | { type: 'deploy-progress'; progress: DeployProgress }
  /** Once a second while the proxy runs. */
  | { type: 'traffic'; sample: TrafficSample }
  /** Every couple of seconds, one sample per plugin that has claimed its id. */
  | { type: 'metrics'; metrics: MetricsSample[] }
  | { type: 'proxy-event'; event: ProxyEventView }
  /** Cluster mode: a proxy joined or left, or the link to Redis changed. */
  | { type: 'network'; network: NetworkView };

// ---- Electron IPC ----

/** ipcRenderer.invoke(CONTROL_CALL_CHANNEL, method, params) → the method's result. */
export const CONTROL_CALL_CHANNEL = 'infrarust:control-call';
/** webContents.send(CONTROL_EVENT_CHANNEL, event) */
export const CONTROL_EVENT_CHANNEL = 'infrarust:control-event';

/** What the preload exposes as `window.infrarust`. */
export interface ControlBridge {
  call<M extends ControlMethod>(method: M, params: ControlParams<M>): Promise<ControlResult<M>>;
  /** Returns a function that stops listening. */
  onEvent(listener: (event: ControlEvent) => void): () => void;
}

// ---- headless WebSocket (`/api`; the token in the panel's cookie, a Bearer header or `?token=`) ----

export const CONTROL_WS_PATH = '/api';
/** GET: 204 while the page's token is valid, else 401 saying what to do (the panel asks after a refused connection). */
export const SESSION_PATH = '/api/session';

export interface WsRequest {
  id: number;
  method: string;
  params?: unknown;
}

export type WsServerMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number | null; ok: false; error: string }
  | { event: ControlEvent };
