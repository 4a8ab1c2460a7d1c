// The `ban-service` interface (§3.8): the consumer side of bans. With a `[ban] provider` selected every call
// goes to that plugin (v030/ban-provider.ts); without one the proxy's built-in list answers, and a ban with
// `kick` disconnects the online players it covers.
import type { BanTarget as BanTarget023 } from '../../../contract/guest-types';
import { type Bans, hostErr, type HostResult, ok } from '../contract-030';
import { entryFrom023 as banEntry, kickCovered } from '../ban-targets';
import { banMessage } from '../../../proxy/ban-gate';
import { ipText } from '../values';
import { uuidText } from '../../../../shared/contract/uuid-halves';
import { type CallKit, type Handlers } from './call-kit';

export function banCalls(k: CallKit): Handlers {
  const { ctx, services, pluginId, denied } = k;
  const provider = () => ctx.providers.bans.route(pluginId);
  const banTarget = (t: Bans.BanTarget): BanTarget023 | HostResult<never> => {
    if (t.tag === 'ip') return { tag: 'ip', val: ipText(t.val) };
    // A QuickJS plugin's uuid has each half rounded (uuid-halves.ts): an online player's it names is kept exact.
    if (t.tag === 'uuid') return { tag: 'uuid', val: k.byUuid(t.val)?.profile.uuid ?? uuidText(t.val) };
    if (t.tag === 'username') return { tag: 'username', val: t.val };
    return hostErr('unsupported', 'this host\'s ban list holds single addresses, not IP ranges');
  };
  const serviceErr = (e: { tag: string; val: string }) => hostErr(e.tag === 'not-found' ? 'not-found' : e.tag === 'unavailable' ? 'unavailable' : 'internal', e.val);
  const isErr = (v: unknown): v is HostResult<never> => typeof v === 'object' && v !== null && (v as { tag?: unknown }).tag === 'err';

  return {
    'ban-service.ban': async (req: Bans.BanRequest) => {
      const refused = denied('ban');
      if (refused) return refused;
      const routed = provider();
      if (routed) return routed('ban', req);
      const target = banTarget(req.target);
      if (isErr(target)) return target;
      const done = await services.bans.ban(target, req.reason, req.durationMs === undefined ? undefined : BigInt(req.durationMs), `plugin:${pluginId}`);
      if (done.tag === 'err') return serviceErr(done.val);
      const entry = await services.bans.getBan(target);
      if (entry.tag !== 'ok' || !entry.val) return hostErr('internal', 'the ban was recorded but cannot be read back');
      const issued = banEntry(entry.val);
      if (req.kick) kickCovered(services.players, issued.target, banMessage(issued.reason, issued.expiresAt));
      return ok(issued);
    },
    'ban-service.unban': async (t: Bans.BanTarget) => {
      const refused = denied('ban');
      if (refused) return refused;
      const routed = provider();
      if (routed) return routed('unban', t);
      const target = banTarget(t);
      if (isErr(target)) return target;
      const before = await services.bans.getBan(target);
      const done = await services.bans.unban(target, `plugin:${pluginId}`);
      if (done.tag === 'err') return serviceErr(done.val);
      return ok(done.val && before.tag === 'ok' && before.val ? banEntry(before.val) : undefined);
    },
    'ban-service.get': async (t: Bans.BanTarget) => {
      const refused = denied('ban');
      if (refused) return refused;
      const routed = provider();
      if (routed) return routed('get', t);
      const target = banTarget(t);
      if (isErr(target)) return target;
      const got = await services.bans.getBan(target);
      return got.tag === 'err' ? serviceErr(got.val) : ok(got.val && banEntry(got.val));
    },
    'ban-service.list': async (cursor: string | undefined, limit: number) => {
      const refused = denied('ban');
      if (refused) return refused;
      const routed = provider();
      if (routed) return routed('list', cursor, limit);
      const all = await services.bans.getAllBans();
      if (all.tag === 'err') return serviceErr(all.val);
      const start = cursor === undefined ? 0 : Number(cursor);
      if (!Number.isInteger(start) || start < 0) return hostErr('invalid-argument', `"${cursor}" is not a cursor this host gave`);
      const n = Math.max(1, Math.min(Number(limit) || 100, 1000));
      const page = all.val.slice(start, start + n).map(banEntry);
      return ok({ entries: page, nextCursor: start + n < all.val.length ? String(start + n) : undefined });
    },
  };
}
