// The permission provider (§4.6): the 0.3.0 plugin `[permissions] provider` names, once registered, gives
// each player's snapshot (`permission-snapshot-for`) at login, at each refresh and for the console. The
// host holds one checker per online player and answers `players.has-permission` and command permissions
// from it (permission-resolve.ts). Without a provider every player has node defaults and the console
// every permission. `permissions-setup` listeners may install a custom snapshot for the session.
import type { PlayerSnapshot } from '../contract-services';
import { hostErr, type HostResult, ok, type Ev } from './contract-030';
import { compileSnapshot, EMPTY_CHECKER, MAX_RULES, resolvePermission, type Checker, type NodeDefault } from './permission-resolve';
import { noAnswer, providerDeadline, type ProviderHost } from './provider-host';
import { playerRef, profileFrom, socketAddressFrom } from './values';
import type { PermissionSnapshot, PermissionSubject } from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-permissions.js';

export class PermissionProvider030 {
  private registered: string | null = null;
  /** Refresh every online player once the provider's instance is enabled (it registers from on-enable). */
  private refreshPending = false;
  private readonly held = new Map<bigint, Checker>();
  /** The console's snapshot; null: every permission (no provider, or its answer failed). */
  private console: Checker | null = null;

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
  }

  /** At login: the provider's snapshot, then `permissions-setup`, whose `custom` result replaces it. */
  async joined(p: PlayerSnapshot): Promise<void> {
    const provided = this.registeredBy() ? ((await this.ask(playerSubject(p))) ?? EMPTY_CHECKER) : EMPTY_CHECKER;
    const checker = await this.setupEvent(p, provided);
    if (this.host.players.byId(p.id)) this.held.set(p.id, checker);
  }

  left(id: bigint): void {
    this.held.delete(id);
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
    if (this.host.players.byId(p.id)) this.held.set(p.id, checker);
    return ok(undefined);
  }

  /** `permissions.set-snapshot`: the registered provider replaces a player's snapshot. */
  setSnapshot(caller: string, id: bigint, snapshot: PermissionSnapshot): HostResult<undefined> {
    if (this.registeredBy() !== caller) return hostErr('not-found', 'this plugin has provided no snapshot (it is not the registered permission provider)');
    const checker = compileSnapshot(snapshot);
    if (!checker) return hostErr('invalid-argument', `a snapshot holds at most ${MAX_RULES} rules, not ${snapshot.rules.length}`);
    if (!this.host.players.byId(id)) return hostErr('player-gone', `player ${id} is not online`);
    this.held.set(id, checker);
    return ok(undefined);
  }

  /** `permissions.release`: back to node defaults; always succeeds. */
  release(id: bigint): HostResult<undefined> {
    if (this.held.has(id)) this.held.set(id, EMPTY_CHECKER);
    return ok(undefined);
  }

  private async refreshAll(): Promise<void> {
    this.console = await this.ask({ tag: 'console' });
    for (const p of this.host.players.all()) {
      const checker = (await this.ask(playerSubject(p))) ?? EMPTY_CHECKER;
      if (this.host.players.byId(p.id)) this.held.set(p.id, checker);
    }
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
  private async setupEvent(p: PlayerSnapshot, provided: Checker): Promise<Checker> {
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

function playerSubject(p: PlayerSnapshot): PermissionSubject {
  return { tag: 'player', val: { id: p.id, profile: profileFrom(p.profile), onlineMode: p.onlineMode, virtualHost: p.virtualHost, remoteAddr: socketAddressFrom(p.remoteAddr) } };
}
