// What the decoding proxy modes can do to a connected player beyond the 0.2.3 actions (guest-types'
// PlayerAction): the 0.3.0 `players` functions that need packets of their own — tab list, title clear,
// boss bars, resource packs, transfer, cookies and `connect`. The proxy implements it per session
// (proxy/session-controls.ts), the 0.3.0 host calls use it (plugins/v030/calls/player-control-calls.ts).
// Text travels as JSON text and uuids as text, as in guest-types; failures carry a 0.3.0 error kind.
import type { ErrorKind } from '../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-types.js';

export type ControlResult<V = undefined> = { ok: true; val: V } | { ok: false; kind: ErrorKind; message: string };

/** A boss bar as the wire carries it: colour, overlay and flag bits in the contract's (and the protocol's) order. */
export interface BossBarState {
  title: string;
  /** 0 to 1. */
  progress: number;
  color: number;
  overlay: number;
  flags: number;
}

export type BossBarChange =
  | { kind: 'title'; title: string }
  | { kind: 'progress'; progress: number }
  | { kind: 'style'; color: number; overlay: number }
  | { kind: 'flags'; flags: number };

export interface ResourcePack {
  id: string;
  url: string;
  /** SHA-1 as 40 hex digits. */
  hash: string | undefined;
  required: boolean;
  prompt: string | undefined;
}

/** The contract's connection-result, with JSON text reasons. */
export type ConnectOutcome =
  | { tag: 'success' }
  | { tag: 'already-connected' }
  | { tag: 'denied'; reason: string }
  | { tag: 'failed'; reason: string }
  | { tag: 'cancelled' };

export interface PlayerControls {
  setTabList(header: string, footer: string): ControlResult;
  clearTitle(reset: boolean): ControlResult;
  /** Adds (or replaces) the bar `id`; it is shown again on every server the player moves to. */
  showBossBar(id: string, bar: BossBarState): ControlResult;
  updateBossBar(id: string, change: BossBarChange): ControlResult;
  hideBossBar(id: string): ControlResult;
  sendResourcePack(pack: ResourcePack): ControlResult;
  removeResourcePack(id: string | undefined): ControlResult;
  transfer(host: string, port: number): ControlResult;
  storeCookie(key: string, data: Uint8Array): ControlResult;
  /** The client's stored cookie (none when it has none), or `timeout` after `waitMs`. */
  requestCookie(key: string, waitMs: number): Promise<ControlResult<Uint8Array | undefined>>;
  /** Moves the player and answers how it went; the move goes on past the caller's wait. */
  connect(server: string): Promise<ControlResult<ConnectOutcome>>;
}
