// The permission provider (§4.6): the 0.3.0 plugin `[permissions] provider` names, once registered, gives
// each player's snapshot (`permission-snapshot-for`) at login, at each refresh and for the console. The
// host holds one checker per online player and answers `players.has-permission` and command permissions
// from it (permission-resolve.ts). Without a provider every player has node defaults and the console
// every permission. `permissions-setup` listeners may install a custom snapshot for the session. A login
// asks for the snapshot before the player reaches a backend (`prepare`); registration takes it from there.
// Every change of a player's snapshot is told to `onChange` listeners (the command tree is sent again).
import type { PlayerSnapshot } from '../contract-services';
import type { LoginSubject } from '../../contract/player-commands';
import { hostErr, type HostResult, ok, type Ev } from './contract-030';
import { compileSnapshot, EMPTY_CHECKER, MAX_RULES, resolvePermission, type Checker, type NodeDefault } from './permission-resolve';
import { noAnswer, providerDeadline, type ProviderHost } from './provider-host';
import { playerRef, profileFrom, socketAddressFrom } from './values';
import type { PermissionSnapshot, PermissionSubject } from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-permissions.js';

/** A prepared snapshot whose login never registered its player is dropped after this long. */
const PREPARED_TTL_MS = 120_000;

export class PermissionProvider030 {
  private registered: string | null = null;
  /** Refresh every online player once the provider's instance is enabled (it registers from on-enable). */
  private refreshPending = false;
  private readonly held = new Map<bigint, Checker>();
  /** The console's snapshot; null: every permission (no provider, or its answer failed). */
  private console: Checker | null = null;
  /** Snapshots a login prepared, until its player registers (or, for a login that failed, the sweep). */
  private readonly prepared = new Map<bigint, { checker: Checker; at: number }>();
  private readonly listeners = new Set<(id: bigint | undefined) => void>();

  constructor(
    private readonly host: ProviderHost,
    private readonly nodeDefault: (name: string) => NodeDefault | undefined,
  ) {}

  selected(): string | null {
    return this.host.config().permissions.provider;
  }

  registeredBy(): string | null {
    return this.registered !== null && this.registered === this.selected() ? this.registered : null;
  }

  /** `providers.register-permission-provider`: only the selected plugin; success refreshes every online player. */
  register(pluginId: string): HostResult<undefined> {
    const selected = this.selected();
    if (selected !== pluginId) {
      return hostErr('conflict', selected ? `[permissions] provider names "${selected}", not this plugin` : 'no [permissions] provider setting names this plugin: node defaults stay in charge');
    }
    this.registered = pluginId;
    this.refreshPending = true;
    this.host.log(pluginId, 'info', 'registered as the permission provider');
    return ok(undefined);
  }

  /** A plugin's instance is enabled: the refresh its registration asked for runs now, after its own call. */
  enabled(pluginId: string): void {
    if (this.registered !== pluginId || !this.refreshPending) return;
    this.refreshPending = false;
    void this.refreshAll();
  }

  forget(pluginId: string): void {
    if (this.registered !== pluginId) return;
    this.registered = null;
    this.console = null;
    this.held.clear();
    this.changed(undefined);
  }

  /** A node's default changed (registered): what every player may run can differ. */
  defaultsChanged(): void {
    this.changed(undefined);
  }

  onChange(listener: (id: bigint | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Before the player reaches a backend: the provider's snapshot and `permissions-setup`, held for `joined`. */
  async prepare(p: LoginSubject): Promise<void> {
    const now = Date.now();
    for (const [id, e] of this.prepared) if (now - e.at > PREPARED_TTL_MS) this.prepared.delete(id);
    try {
      this.prepared.set(p.id, { checker: await this.resolve(p), at: now });
    } catch (err) {
      // Never the login's failure: registration asks again.
      this.host.log('(host)', 'error', `permissions for ${p.profile.username}: ${(err as Error).message}`);
    }
  }

  /** The player is registered: the snapshot its login prepared, else (none was prepared) asked now. */
  async joined(p: PlayerSnapshot): Promise<void> {
    const ready = this.prepared.get(p.id);
    this.prepared.delete(p.id);
    const checker = ready?.checker ?? (await this.resolve(p));
    if (this.host.players.byId(p.id)) this.hold(p.id, checker);
  }

  left(id: bigint): void {
    this.held.delete(id);
    this.prepared.delete(id);
  }

  has(id: bigint, node: string): boolean {
    return resolvePermission(this.held.get(id) ?? EMPTY_CHECKER, node, this.nodeDefault);
  }

  consoleHas(node: string): boolean {
    return this.console === null || resolvePermission(this.console, node, this.nodeDefault);
  }

  /** The snapshot held for a player (the panel and tests read it). */
  snapshotOf(id: bigint): PermissionSnapshot {
    return (this.held.get(id) ?? EMPTY_CHECKER).snapshot;
  }

  /** `players.refresh-permissions`: inside the provider's own call the held snapshot stays (no re-entry). */
  async refresh(caller: string, p: PlayerSnapshot): Promise<HostResult<undefined>> {
    const provider = this.registeredBy();
    if (provider === null || caller === provider) return ok(undefined);
    const checker = (await this.ask(playerSubject(p))) ?? EMPTY_CHECKER;
    if (this.host.players.byId(p.id)) this.hold(p.id, checker);
    return ok(undefined);
  }

  /** `permissions.set-snapshot`: the registered provider replaces a player's snapshot. */
  setSnapshot(caller: string, id: bigint, snapshot: PermissionSnapshot): HostResult<undefined> {
    if (this.registeredBy() !== caller) return hostErr('not-found', 'this plugin has provided no snapshot (it is not the registered permission provider)');
    const checker = compileSnapshot(snapshot);
    if (!checker) return hostErr('invalid-argument', `a snapshot holds at most ${MAX_RULES} rules, not ${snapshot.rules.length}`);
    if (!this.host.players.byId(id)) return hostErr('player-gone', `player ${id} is not online`);
    this.hold(id, checker);
    return ok(undefined);
  }

  /** `permissions.release`: back to node defaults; always succeeds. */
  release(id: bigint): HostResult<undefined> {
    if (this.held.has(id)) this.hold(id, EMPTY_CHECKER);
    return ok(undefined);
  }

  private async refreshAll(): Promise<void> {
    this.console = await this.ask({ tag: 'console' });
    for (const p of this.host.players.all()) {
      const checker = (await this.ask(playerSubject(p))) ?? EMPTY_CHECKER;
      if (this.host.players.byId(p.id)) this.hold(p.id, checker);
    }
  }

  private hold(id: bigint, checker: Checker): void {
    this.held.set(id, checker);
    this.changed(id);
  }

  private changed(id: bigint | undefined): void {
    for (const l of this.listeners) l(id);
  }

  /** At login: the provider's snapshot, then `permissions-setup`, whose `custom` result replaces it. */
  private async resolve(p: LoginSubject): Promise<Checker> {
    const provided = this.registeredBy() ? ((await this.ask(playerSubject(p))) ?? EMPTY_CHECKER) : EMPTY_CHECKER;
    return this.setupEvent(p, provided);
  }

  /** The provider's snapshot for a subject; null when it could not answer (§4.6: the caller decides the fallback). */
  private async ask(subject: PermissionSubject): Promise<Checker | null> {
    const provider = this.registeredBy();
    if (provider === null) return null;
    const answer = await this.host.call(provider, 'permissionSnapshotFor', [subject], providerDeadline(this.host.config().wasm.callTimeoutMs));
    const checker = answer.tag === 'ok' ? compileSnapshot(answer.val as PermissionSnapshot) : null;
    if (!checker) this.host.log(provider, 'warn', `permission-snapshot-for failed: ${answer.tag === 'ok' ? `more than ${MAX_RULES} rules` : noAnswer(answer)}`);
    return checker;
  }

  /** `permissions-setup` (an access event, §4.4): a listener that cannot answer leaves an empty checker. */
  private async setupEvent(p: LoginSubject, provided: Checker): Promise<Checker> {
    let result: Ev.PermissionsSetupResult = { tag: 'use-default' };
    let checker = provided;
    for (const l of this.host.listeners('permissions-setup')) {
      const event: Ev.Event = { tag: 'permissions-setup', val: { player: playerRef(p.id, p.profile), onlineMode: p.onlineMode, result } };
      const out = await this.host.deliver(l.pluginId, l.handle, event);
      if (!out) {
        result = { tag: 'custom', val: EMPTY_CHECKER.snapshot };
        checker = EMPTY_CHECKER;
      } else if (out.tag === 'permissions-setup') {
        result = out.val;
        checker = out.val.tag === 'custom' ? (compileSnapshot(out.val.val) ?? EMPTY_CHECKER) : provided;
      }
    }
    return checker;
  }
}

function playerSubject(p: LoginSubject): PermissionSubject {
  return { tag: 'player', val: { id: p.id, profile: profileFrom(p.profile), onlineMode: p.onlineMode, virtualHost: p.virtualHost, remoteAddr: socketAddressFrom(p.remoteAddr) } };
}
