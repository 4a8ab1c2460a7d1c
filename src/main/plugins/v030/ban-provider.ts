// The ban provider (§4.6): the 0.3.0 plugin `[ban] provider` names, once it has registered, answers the
// proxy's login checks (`ban-provider-check`) and stores every ban `ban-service` issues
// (`ban-provider-ban/unban/get/list`). The host fires `ban-issued`/`ban-revoked` and kicks covered players
// itself. A failure fails closed for logins and open for pings; without a provider setting the built-in
// list stays in charge (proxy/ban-gate.ts).
import { BAN_CHECK_UNAVAILABLE, banMessage, type BanDecision, type LoginAttemptInfo } from '../../proxy/ban-gate';
import { type Bans, hostErr, type HostResult, ok } from './contract-030';
import { canonicalTarget, entryFrom023, entryOf, kickCovered, sourceOf } from './ban-targets';
import { toEntry, type BanChange } from '../../proxy/ban-store';
import { noAnswer, providerDeadline, type ProviderHost } from './provider-host';
import { arenaToJson } from './text-arena';
import { ipFrom } from './values';
import { uuidFrom } from '../../../shared/contract/uuid-halves';

export class BanProvider030 {
  private registered: { pluginId: string; features: Bans.BanFeatures } | null = null;

  constructor(private readonly host: ProviderHost) {}

  /** The plugin `[ban] provider` names, or null when the built-in list decides. */
  selected(): string | null {
    return this.host.config().ban.provider;
  }

  /** Who registered (the panel shows it); null before registration or when another plugin is selected now. */
  registeredBy(): string | null {
    return this.registered && this.registered.pluginId === this.selected() ? this.registered.pluginId : null;
  }

  /** `providers.register-ban-provider`: only the selected plugin; a repeat call updates the features. */
  register(pluginId: string, features: Bans.BanFeatures): HostResult<undefined> {
    const selected = this.selected();
    if (selected !== pluginId) {
      return hostErr('conflict', selected ? `[ban] provider names "${selected}", not this plugin` : 'no [ban] provider setting names this plugin: the built-in ban list stays in charge');
    }
    this.registered = { pluginId, features: { ipRanges: !!features.ipRanges, pagination: !!features.pagination } };
    this.host.log(pluginId, 'info', `registered as the ban provider (ip ranges: ${this.registered.features.ipRanges ? 'yes' : 'no'})`);
    return ok(undefined);
  }

  /** The plugin was disabled or unloaded (a recovery keeps the registration, §4.9). */
  forget(pluginId: string): void {
    if (this.registered?.pluginId === pluginId) this.registered = null;
  }

  /** The proxy's gate: null when no provider is selected. */
  check(attempt: LoginAttemptInfo): Promise<BanDecision> | null {
    const selected = this.selected();
    return selected === null ? null : this.runCheck(selected, attempt);
  }

  private async runCheck(pluginId: string, a: LoginAttemptInfo): Promise<BanDecision> {
    const failed = (why: string): BanDecision => {
      // Pings stay answered; logins fail closed (§4.6).
      if (a.stage === 'status') return { banned: false };
      this.host.log(pluginId, 'error', `ban check (${a.stage}) failed, login refused: ${why}`);
      return { banned: true, reasonJson: JSON.stringify({ text: BAN_CHECK_UNAVAILABLE }), why: `ban status unavailable (${why})` };
    };
    if (this.registeredBy() !== pluginId) return failed(`the ban provider "${pluginId}" has not registered`);
    const attempt: Bans.LoginAttempt = {
      stage: a.stage,
      ip: ipFrom(a.ip),
      username: a.username,
      uuid: a.uuid === undefined ? undefined : uuidFrom(a.uuid),
      uuidVerified: a.uuidVerified,
      virtualHost: a.virtualHost,
      server: a.server,
    };
    const config = this.host.config();
    const answer = await this.host.call(pluginId, 'banProviderCheck', [attempt], providerDeadline(config.wasm.callTimeoutMs, config.ban.checkTimeoutMs));
    if (answer.tag !== 'ok') return failed(noAnswer(answer));
    const verdict = answer.val as Bans.BanVerdict | undefined | null;
    if (!verdict) return { banned: false };
    const e = verdict.entry;
    const reasonJson = verdict.kickMessage ? JSON.stringify(arenaToJson(verdict.kickMessage)) : banMessage(e.reason, e.expiresAt);
    return { banned: true, reasonJson, why: `banned by ${pluginId} (${e.id})`, byIp: e.target.tag === 'ip' || e.target.tag === 'ip-range' };
  }

  /**
   * `ban-service` for `caller` when a provider is selected (null: the built-in list answers). The provider
   * calling from its own call would re-enter its instance: `unavailable` at once (§4.6).
   */
  route(caller: string): ((fn: 'ban' | 'unban' | 'get' | 'list', ...args: unknown[]) => Promise<HostResult<unknown>>) | null {
    const selected = this.selected();
    if (selected === null) return null;
    return async (fn, ...args) => {
      if (caller === selected) return hostErr('unavailable', 'the ban provider cannot call ban-service from its own calls');
      if (this.registeredBy() !== selected) return hostErr('unavailable', `the ban provider "${selected}" has not registered`);
      const source: Bans.BanSource = { tag: 'plugin', val: caller };
      if (fn === 'list') {
        const [cursor, limit] = args as [string | undefined, number];
        return this.provider(selected, 'banProviderList', [{ cursor, limit: Math.max(1, Math.min(Number(limit) || 100, 1000)) }], (page: Bans.BanRecordPage) => ({
          entries: page.entries.map(entryOf),
          nextCursor: page.nextCursor,
        }));
      }
      const target = this.target(selected, fn === 'ban' ? (args[0] as Bans.BanRequest).target : (args[0] as Bans.BanTarget));
      if (target.tag === 'err') return target;
      const t = target;
      if (fn === 'get') return this.provider(selected, 'banProviderGet', [t], (r: Bans.BanRecord | undefined) => r && entryOf(r));
      if (fn === 'unban') {
        return this.provider(selected, 'banProviderUnban', [{ target: t, source, silent: false }], (r: Bans.BanRecord | undefined) => {
          if (r) this.announce('ban-revoked', r, source, false);
          return r && entryOf(r);
        });
      }
      const req = args[0] as Bans.BanRequest;
      return this.provider(selected, 'banProviderBan', [{ ...req, target: t }, source], (r: Bans.BanRecord) => {
        this.announce('ban-issued', r, source, req.silent);
        if (req.kick) kickCovered(this.host.players, r.target, banMessage(r.reason, r.expiresAt));
        return entryOf(r);
      });
    };
  }

  /** The canonical target, or why not: ranges reach the provider only with its `ip-ranges` feature. */
  private target(selected: string, t: Bans.BanTarget): Bans.BanTarget | HostResult<never> {
    const canonical = canonicalTarget(t);
    if (typeof canonical === 'string') return hostErr('invalid-argument', canonical);
    if (canonical.tag === 'ip-range' && !this.registered?.features.ipRanges) return hostErr('unsupported', `the ban provider "${selected}" does not handle IP ranges`);
    return canonical;
  }

  private async provider<V, R>(pluginId: string, fn: 'banProviderBan' | 'banProviderUnban' | 'banProviderGet' | 'banProviderList', args: unknown[], map: (v: V) => R): Promise<HostResult<R>> {
    const answer = await this.host.call(pluginId, fn, args, providerDeadline(this.host.config().wasm.callTimeoutMs));
    if (answer.tag === 'ok') return ok(map(answer.val as V));
    // The provider's own err(...) reaches the caller; no answer at all is the service being unavailable.
    return answer.tag === 'err' ? hostErr('internal', answer.message) : hostErr('unavailable', `the ban provider "${pluginId}" could not answer: ${noAnswer(answer)}`);
  }

  /** A ban or unban through the built-in list (panel, 0.2.3 and 0.3.0 `ban-service` without a provider). */
  builtInChanged(c: BanChange): void {
    const stored = c.type === 'ban' ? c.ban : c.removed;
    const entry = entryFrom023(toEntry(stored));
    this.announceEntry(c.type === 'ban' ? 'ban-issued' : 'ban-revoked', entry, sourceOf(c.type === 'ban' ? c.ban.source : c.source), false);
  }

  private announce(kind: 'ban-issued' | 'ban-revoked', r: Bans.BanRecord, source: Bans.BanSource, silent: boolean): void {
    this.announceEntry(kind, entryOf(r), source, silent);
  }

  /** Observe-only, unawaited: the caller is still inside its own call (§4.3). */
  private announceEntry(kind: 'ban-issued' | 'ban-revoked', entry: Bans.BanEntry, source: Bans.BanSource, silent: boolean): void {
    const event = { tag: kind, val: { entry, source, silent } } as const;
    for (const l of this.host.listeners(kind)) void this.host.deliver(l.pluginId, l.handle, event);
  }
}
