// The 0.3.0 player controls for one player of a decoding mode (contract/player-controls.ts): packets go
// into the client's stream when it has a world, and otherwise wait for its next Join Game, like messages.
// Boss bars are kept here and shown again on every new world, since a client going back to configuration
// (1.20.2+ server switch) drops them. A cookie the proxy asked for is answered by the client's next
// Cookie Response for that key; responses for keys nobody here asked for go on to the backend.

import type { BossBarChange, BossBarState, ConnectOutcome, ControlResult, PlayerControls, ResourcePack } from '../contract/player-controls.ts';
import {
  bossBarAdd,
  bossBarChange,
  bossBarRemove,
  clearTitlePacket,
  cookieRequestPacket,
  removeResourcePackPacket,
  resourcePackPacket,
  storeCookiePacket,
  tabListPacket,
  transferPacket,
  Unsupported,
} from './control-packets.ts';
import type { DecodedSession } from './decoded-session.ts';
import type { Frame } from './packet-wire.ts';
import type { WireState } from './decoded-protocol.ts';
import { moveServer } from './server-switch.ts';
import { ResourcePackWatch } from './resource-pack-status.ts';

const done: ControlResult = { ok: true, val: undefined };
const fail = (kind: Extract<ControlResult, { ok: false }>['kind'], message: string): ControlResult<never> => ({ ok: false, kind, message });
const GONE = fail('player-gone', 'the player is gone');
/** The client's whole stream is held behind a plugin's decision (a chat message): its answer could not arrive. */
const HELD = fail('invalid-state', "the player's connection is waiting on a plugin's decision about it, so it cannot answer before that decision");

interface PendingCookie {
  resolve: (r: ControlResult<Uint8Array | undefined>) => void;
}

export class SessionControls implements PlayerControls {
  private readonly bars = new Map<string, BossBarState>();
  private readonly cookies = new Map<string, PendingCookie[]>();
  private readonly packs: ResourcePackWatch;

  constructor(private readonly s: DecodedSession) {
    this.packs = new ResourcePackWatch(s);
  }

  setTabList(header: string, footer: string): ControlResult {
    return this.out(tabListPacket(this.s.codec, header, footer));
  }

  clearTitle(reset: boolean): ControlResult {
    return this.out(clearTitlePacket(this.s.codec, reset));
  }

  showBossBar(id: string, bar: BossBarState): ControlResult {
    const p = bossBarAdd(this.s.codec, id, bar);
    if (p instanceof Unsupported) return fail('unsupported', p.reason);
    if (this.s.closed) return GONE;
    this.bars.set(id, { ...bar });
    if (this.s.inPlayWorld) this.s.send(p);
    return done;
  }

  updateBossBar(id: string, change: BossBarChange): ControlResult {
    const bar = this.bars.get(id);
    if (!bar) return fail('not-found', 'the player shows no such boss bar');
    const p = bossBarChange(this.s.codec, id, change);
    if (p instanceof Unsupported) return fail('unsupported', p.reason);
    if (change.kind === 'title') bar.title = change.title;
    else if (change.kind === 'progress') bar.progress = change.progress;
    else if (change.kind === 'style') Object.assign(bar, { color: change.color, overlay: change.overlay });
    else bar.flags = change.flags;
    if (this.s.inPlayWorld) this.s.send(p);
    return done;
  }

  hideBossBar(id: string): ControlResult {
    if (!this.bars.delete(id)) return fail('not-found', 'the player shows no such boss bar');
    const p = bossBarRemove(this.s.codec, id);
    if (!(p instanceof Unsupported) && this.s.inPlayWorld) this.s.send(p);
    return done;
  }

  sendResourcePack(pack: ResourcePack): ControlResult {
    const r = this.out(resourcePackPacket(this.s.codec, pack));
    if (r.ok) this.packs.sent(pack.id, this.s.codec.id('play', 'toClient', 'add_resource_pack') !== undefined);
    return r;
  }

  removeResourcePack(id: string | undefined): ControlResult {
    return this.out(removeResourcePackPacket(this.s.codec, id));
  }

  transfer(host: string, port: number): ControlResult {
    const r = this.out(transferPacket(this.s.codec, host, port));
    if (r.ok) this.s.ctx.log('info', `${this.s.who}: transferred to ${host}:${port} by a plugin`);
    return r;
  }

  storeCookie(key: string, data: Uint8Array): ControlResult {
    return this.out(storeCookiePacket(this.s.codec, key, data));
  }

  requestCookie(key: string, waitMs: number): Promise<ControlResult<Uint8Array | undefined>> {
    const p = cookieRequestPacket(this.s.codec, key);
    if (p instanceof Unsupported) return Promise.resolve(fail('unsupported', p.reason));
    if (this.s.heldByPlugin) return Promise.resolve(HELD);
    const sent = this.out(p);
    if (!sent.ok) return Promise.resolve(sent);
    return new Promise((resolve) => {
      const waiting = this.cookies.get(key) ?? [];
      this.cookies.set(key, waiting);
      const entry: PendingCookie = {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        const list = this.cookies.get(key);
        list?.splice(list.indexOf(entry), 1);
        if (list?.length === 0) this.cookies.delete(key);
        entry.resolve(fail('timeout', `the client did not answer the cookie request for "${key}" within ${waitMs} ms`));
      }, waitMs);
      waiting.push(entry);
    });
  }

  async connect(server: string): Promise<ControlResult<ConnectOutcome>> {
    if (this.s.closed) return GONE;
    if (this.s.heldByPlugin) return HELD;
    if (this.s.switching) return fail('invalid-state', 'a move of this player is already in progress');
    const o = await moveServer(this.s, server);
    switch (o.tag) {
      case 'moved':
        return { ok: true, val: { tag: 'success' } };
      case 'already-connected':
        return { ok: true, val: { tag: 'already-connected' } };
      case 'denied':
        return { ok: true, val: { tag: 'denied', reason: o.reason } };
      case 'failed':
        return { ok: true, val: { tag: 'failed', reason: JSON.stringify({ text: o.reason }) } };
      // A plugin's server-pre-connect sent the player to limbo instead: this connection did not happen.
      case 'limbo':
        return { ok: true, val: { tag: 'cancelled' } };
      case 'not-found':
        return fail('not-found', `no server "${o.server}"`);
      case 'busy':
        return fail('invalid-state', 'a move of this player is already in progress');
      case 'gone':
        return GONE;
    }
  }

  // ---- hooks from the session ----

  /** A client frame the controls consume (a Cookie Response the proxy asked for); false = not ours. */
  takeClientFrame(state: WireState, frame: Frame): boolean {
    if (state === 'login') return false;
    this.packs.observe(state, frame);
    if (this.cookies.size === 0) return false;
    if (this.s.codec.name(state, 'toServer', frame.id()) !== 'cookie_response') return false;
    const { key, value } = this.s.codec.decode(state, 'toServer', frame.packet()).params as { key: string; value?: Buffer };
    const waiting = this.cookies.get(key);
    const entry = waiting?.shift();
    if (!entry) return false;
    if (waiting!.length === 0) this.cookies.delete(key);
    entry.resolve({ ok: true, val: value === undefined ? undefined : new Uint8Array(value) });
    return true;
  }

  /** The client has a new world: the boss bars the plugins show come back. */
  worldReady(): void {
    for (const [id, bar] of this.bars) {
      const p = bossBarAdd(this.s.codec, id, bar);
      if (!(p instanceof Unsupported)) this.s.send(p);
    }
  }

  closed(): void {
    this.bars.clear();
    for (const list of this.cookies.values()) for (const c of list) c.resolve(GONE);
    this.cookies.clear();
  }

  /** Sends now or after the next Join Game. */
  private out(p: Buffer | Unsupported): ControlResult {
    if (p instanceof Unsupported) return fail('unsupported', p.reason);
    const failed = this.s.sendInWorld([p]);
    if (!failed) return done;
    return failed.tag === 'disconnected' ? GONE : fail('unavailable', 'too many packets already wait for the player to reach a server');
  }
}
