// A server file's `[server_manager]` table, in Infrarust's keys, and the MOTDs shown while a managed server
// is not running (`[motd.sleeping]`, `[motd.starting]`, `[motd.stopping]`, `[motd.crashed]`):
//
//   [server_manager]
//   type = "local"                                   # the only provider this proxy runs (pterodactyl / crafty: warned, unmanaged)
//   command = "java"                                 # the executable; never a shell line
//   args = ["-Xmx2G", "-jar", "paper.jar", "nogui"]
//   working_dir = "/srv/minecraft/survival"          # relative: from the server file's folder
//   ready_pattern = 'For help, type "help"'          # a stdout substring that means "ready" (Infrarust's default)
//   start_timeout = "60s"                            # no ready line by then: the start failed (crashed)
//   shutdown_timeout = "30s"                         # after writing `stop` to stdin, kill when still running
//   shutdown_after = "10m"                           # idle stop once nobody is on it; absent or 0 = never
//
// Durations are Infrarust's strings ("30s", "10m", "1h 30m", "500ms"); a bare number is seconds.

import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDurationMs } from '../config/config-reader.ts';
import type { MotdSettings } from './server-file.ts';

export interface LocalManagerSettings {
  type: 'local';
  command: string;
  args: string[];
  /** Absolute. */
  workingDir: string;
  readyPattern: string;
  startTimeoutMs: number;
  shutdownTimeoutMs: number;
  /** 0 = never stop an idle server. */
  shutdownAfterMs: number;
}

/** The MOTD a managed server shows per state while it is not running; absent ones use the built-in text. */
export type ManagedMotds = Partial<Record<ManagedMotdState, MotdSettings>>;
const MANAGED_MOTD_STATES = ['sleeping', 'starting', 'stopping', 'crashed'] as const;
export type ManagedMotdState = (typeof MANAGED_MOTD_STATES)[number];

/** Infrarust's default texts for the states without a `[motd.<state>]`. */
export const DEFAULT_MANAGED_MOTD: Record<ManagedMotdState, string> = {
  sleeping: 'Server sleeping - Connect to wake up!',
  starting: 'Server is starting...',
  stopping: 'Server is stopping...',
  crashed: 'Server unavailable',
};

const DEFAULT_READY_PATTERN = 'For help, type "help"';
const DEFAULT_START_TIMEOUT_MS = 60_000;
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;
const LOCAL_KEYS = new Set(['type', 'command', 'args', 'working_dir', 'ready_pattern', 'start_timeout', 'shutdown_timeout', 'shutdown_after']);
const REMOTE_TYPES = new Set(['pterodactyl', 'crafty']);
const STATE_MOTD_KEYS = new Set(['text', 'version_name', 'max_players', 'favicon']);

type Report = (message: string) => void;

/** `undefined` when the file has no manager (or one this proxy does not run: then a warning says so). */
export function parseServerManager(value: unknown, file: string, error: Report, warn: Report): LocalManagerSettings | undefined {
  if (value === undefined) return undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    error('`server_manager` must be a table ([server_manager] with type = "local", command, working_dir)');
    return undefined;
  }
  const t = value as Record<string, unknown>;
  const type = t.type;
  if (typeof type === 'string' && REMOTE_TYPES.has(type)) {
    warn(`server_manager type "${type}" is not supported here (only "local"): the server is not managed`);
    return undefined;
  }
  if (type !== 'local') {
    error(`\`server_manager.type\` must be "local" (got ${JSON.stringify(type)})`);
    return undefined;
  }
  for (const key of Object.keys(t)) if (!LOCAL_KEYS.has(key)) warn(`unknown key \`server_manager.${key}\` ignored`);
  const command = t.command;
  if (typeof command !== 'string' || command.trim() === '') error('`server_manager.command` is required: the executable to run (e.g. "java")');
  const args = t.args ?? [];
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) error('`server_manager.args` must be a list of strings');
  const dir = t.working_dir;
  if (typeof dir !== 'string' || dir === '') error('`server_manager.working_dir` is required: the folder the server runs in');
  const ready = t.ready_pattern ?? DEFAULT_READY_PATTERN;
  if (typeof ready !== 'string' || ready === '') error('`server_manager.ready_pattern` must be a non-empty string');
  const duration = (key: string, fallback: number, allowZero: boolean) => {
    const raw = t[key];
    if (raw === undefined) return fallback;
    const ms = typeof raw === 'number' ? (Number.isInteger(raw) && raw >= 0 ? raw * 1000 : null) : parseDurationMs(raw);
    if (ms === null || ms < 0 || (!allowZero && ms === 0)) {
      error(`\`server_manager.${key}\` must be a duration like "30s", "10m" or "1h 30m" (a number is seconds)`);
      return fallback;
    }
    return ms;
  };
  const startTimeoutMs = duration('start_timeout', DEFAULT_START_TIMEOUT_MS, false);
  const shutdownTimeoutMs = duration('shutdown_timeout', DEFAULT_SHUTDOWN_TIMEOUT_MS, true);
  const shutdownAfterMs = duration('shutdown_after', 0, true);
  if (typeof command !== 'string' || typeof dir !== 'string' || !Array.isArray(args) || typeof ready !== 'string') return undefined;
  return {
    type: 'local',
    command,
    args: args as string[],
    workingDir: isAbsolute(dir) ? dir : resolve(dirname(file), dir),
    readyPattern: ready,
    startTimeoutMs,
    shutdownTimeoutMs,
    shutdownAfterMs,
  };
}

/** Removes the state tables from a `[motd]` table (what is left is the server's own motd) and parses them. */
export function takeManagedMotds(motd: Record<string, unknown>, error: Report): ManagedMotds {
  const motds: ManagedMotds = {};
  for (const state of MANAGED_MOTD_STATES) {
    const t = motd[state];
    if (t === undefined) continue;
    delete motd[state];
    if (!t || typeof t !== 'object' || Array.isArray(t)) {
      error(`\`motd.${state}\` must be a table (text, version_name, max_players, favicon)`);
      continue;
    }
    const m = t as Record<string, unknown>;
    const bad = Object.keys(m).find((k) => !STATE_MOTD_KEYS.has(k));
    if (bad) error(`unknown key \`motd.${state}.${bad}\``);
    const str = (k: string) => (m[k] === undefined || typeof m[k] === 'string' ? (m[k] as string | undefined) : void error(`\`motd.${state}.${k}\` must be a string`));
    const maxPlayers = m.max_players;
    if (maxPlayers !== undefined && !(typeof maxPlayers === 'number' && Number.isInteger(maxPlayers))) error(`\`motd.${state}.max_players\` must be a whole number`);
    const favicon = str('favicon');
    if (favicon !== undefined && !favicon.startsWith('data:image/png;base64,')) error(`\`motd.${state}.favicon\` must be a data:image/png;base64, URL`);
    motds[state] = {
      text: str('text') ?? DEFAULT_MANAGED_MOTD[state],
      versionName: str('version_name'),
      maxPlayers: typeof maxPlayers === 'number' ? maxPlayers : undefined,
      onlinePlayers: undefined,
      protocolVersion: undefined,
      favicon,
    };
  }
  return motds;
}
