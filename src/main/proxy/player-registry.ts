// Live players of the proxy. A player exists from the moment its backend connection is up until either
// side closes. In passthrough the proxy never decodes play traffic, so `disconnect` can only close the
// sockets: the reason is logged, not shown to the client (the backend may already have enabled
// compression or encryption, so no packet can be injected), and every other action answers the
// contract's error. Players of the decoding modes (offline, client_only) come with their actions.

import type { GameProfile, PlayerAction, PlayerError, PlayerId, ProtocolVersion, ServerId } from '../contract/guest-types.ts';
import type { ProxyModeName } from '../../shared/proxy-modes.ts';
import type { PlayerControls } from '../contract/player-controls.ts';

export interface PlayerInfo {
  id: PlayerId;
  profile: GameProfile;
  protocolVersion: ProtocolVersion;
  /** ip:port of the client. */
  remoteAddr: string;
  currentServer: ServerId | undefined;
  /** Unix ms. */
  connectedAt: number;
  /** Whether the client sent its own uuid (otherwise profile.uuid is the offline-mode one). */
  clientSentUuid: boolean;
  /** The proxy mode the player's connection runs in. */
  mode: ProxyModeName;
  /** Authenticated by the proxy against the session server (client_only). */
  onlineMode: boolean;
  /** Decoding modes: the backend address (host:port) the player's connection runs to now. */
  backendAddress?: string;
  /** The host the client's handshake named (lowercased), which picked the server. */
  virtualHost?: string;
}

/** undefined = done. */
export type ActionResult = PlayerError | undefined;
export type PlayerActor = (action: PlayerAction) => ActionResult | Promise<ActionResult>;

export const PASSTHROUGH_ONLY = 'not possible in passthrough mode: the proxy does not decode play packets (use proxy_mode "offline" or "client_only")';

export type PlayerChange = { type: 'joined' | 'left' | 'updated'; player: PlayerInfo };

interface Entry {
  info: PlayerInfo;
  close: (reason: string) => void;
  act: PlayerActor | undefined;
  controls: PlayerControls | undefined;
}

export class PlayerRegistry {
  private nextIdValue = 1n;
  private readonly byId = new Map<PlayerId, Entry>();
  private readonly listeners = new Set<(change: PlayerChange) => void>();

  /** Ids are allocated before the player joins so events can name it from pre-connect on. */
  allocateId(): PlayerId {
    return this.nextIdValue++;
  }

  add(info: PlayerInfo, close: (reason: string) => void, act?: PlayerActor, controls?: PlayerControls): void {
    this.byId.set(info.id, { info, close, act, controls });
    this.emit({ type: 'joined', player: { ...info } });
  }

  remove(id: PlayerId): PlayerInfo | undefined {
    const e = this.byId.get(id);
    if (!e) return undefined;
    this.byId.delete(id);
    this.emit({ type: 'left', player: { ...e.info } });
    return e.info;
  }

  setServer(id: PlayerId, server: ServerId | undefined): void {
    const e = this.byId.get(id);
    if (!e || e.info.currentServer === server) return;
    e.info.currentServer = server;
    this.emit({ type: 'updated', player: { ...e.info } });
  }

  /** Not announced: only messaging's per-address copies read it. */
  setBackendAddress(id: PlayerId, address: string | undefined): void {
    const e = this.byId.get(id);
    if (e) e.info.backendAddress = address;
  }

  get(id: PlayerId): PlayerInfo | undefined {
    return snapshot(this.byId.get(BigInt(id)));
  }

  getByUsername(username: string): PlayerInfo | undefined {
    const name = username.toLowerCase();
    return this.find((p) => p.profile.username.toLowerCase() === name);
  }

  getByUuid(uuid: string): PlayerInfo | undefined {
    const u = uuid.toLowerCase();
    return this.find((p) => p.profile.uuid === u);
  }

  onServer(server: ServerId): PlayerInfo[] {
    return this.all().filter((p) => p.currentServer === server);
  }

  all(): PlayerInfo[] {
    return [...this.byId.values()].map((e) => ({ ...e.info }));
  }

  count(): number {
    return this.byId.size;
  }

  countOn(server: ServerId): number {
    let n = 0;
    for (const e of this.byId.values()) if (e.info.currentServer === server) n++;
    return n;
  }

  /** Closes the player's connection; false when no such player. `reason` is a JSON text component. */
  disconnect(id: PlayerId, reason: string): boolean {
    const e = this.byId.get(BigInt(id));
    if (!e) return false;
    e.close(reason);
    return true;
  }

  /** Runs a player action; passthrough players answer the contract's error for it. */
  async act(id: PlayerId, action: PlayerAction): Promise<ActionResult> {
    const e = this.byId.get(BigInt(id));
    if (!e) return { tag: 'disconnected' };
    if (!e.act) return action.kind === 'switch' ? { tag: 'switch-failed', val: PASSTHROUGH_ONLY } : { tag: 'send-failed', val: PASSTHROUGH_ONLY };
    try {
      return await e.act(action);
    } catch (err) {
      return { tag: action.kind === 'switch' ? 'switch-failed' : 'send-failed', val: (err as Error).message };
    }
  }

  /** The 0.3.0 controls of a decoding-mode player; `passthrough` when the player's mode cannot have them. */
  controls(id: PlayerId): PlayerControls | 'passthrough' | undefined {
    const e = this.byId.get(BigInt(id));
    return e && (e.controls ?? 'passthrough');
  }

  onChange(listener: (change: PlayerChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private find(pred: (p: PlayerInfo) => boolean): PlayerInfo | undefined {
    for (const e of this.byId.values()) if (pred(e.info)) return { ...e.info };
    return undefined;
  }

  private emit(change: PlayerChange): void {
    for (const l of this.listeners) l(change);
  }
}

function snapshot(e: Entry | undefined): PlayerInfo | undefined {
  return e && { ...e.info };
}
