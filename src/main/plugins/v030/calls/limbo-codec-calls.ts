// Limbo handlers and their sessions, and codec filters (§3.12, §3.13, §4.7, §4.8). A borrowed
// `limbo-session` works only while the limbo-on-* call it was lent to runs; an acquired
// `limbo-session-handle` lives as long as the player's session (then `cancelled()`, and `complete` is a
// no-op). `complete` refuses invalid text and new holds with `invalid-argument`, keeping the current hold.
import { RESOURCE_TAG } from '../../../guest/host-interfaces';
import { hostErr, type HostResult, ok, type CodecReg, type Limbo, type T } from '../contract-030';
import { completeProblem, entryContext030, handlerResultFrom030 } from '../limbo-030';
import { profileFrom } from '../values';
import { type CallKit, componentJson, type Handlers } from './call-kit';

const STALE = 'this limbo-session was borrowed by a call that has returned; acquire a handle to keep the session';

export function limboCodecCalls(k: CallKit): Handlers {
  const { ctx, pluginId, quota, denied, checkText } = k;
  const run = (id: unknown) => (typeof id === 'bigint' ? k.services.limbo.session(id) : undefined);
  /** The run behind a borrowed session, only during its call. */
  const borrowed = (id: unknown) => (typeof id === 'bigint' && ctx.limbo.isLent(id) ? run(id) : undefined);
  const sent = (done: boolean | undefined): HostResult<undefined> => (done ? ok(undefined) : hostErr('player-gone', 'the limbo session has ended'));

  /** The methods both resources share; `live` finds the run behind the resource. */
  const shared = (cls: 'LimboSession' | 'LimboSessionHandle', live: (id: unknown) => ReturnType<typeof run>, staleErr: () => HostResult<never>): Handlers => ({
    [`limbo.${cls}.playerId`]: (id: unknown) => live(id)?.playerId ?? 0n,
    [`limbo.${cls}.sendMessage`]: (id: unknown, m: T.Component) => {
      const r = live(id);
      return checkText(m) ?? (r ? sent(r.message(componentJson(m), false)) : staleErr());
    },
    [`limbo.${cls}.sendActionBar`]: (id: unknown, m: T.Component) => {
      const r = live(id);
      return checkText(m) ?? (r ? sent(r.message(componentJson(m), true)) : staleErr());
    },
    [`limbo.${cls}.sendTitle`]: (id: unknown, t: T.TitleData) => {
      const r = live(id);
      const title = () => ({ title: componentJson(t.title), subtitle: componentJson(t.subtitle), fadeInTicks: t.fadeInTicks, stayTicks: t.stayTicks, fadeOutTicks: t.fadeOutTicks });
      return checkText(t.title, t.subtitle) ?? (r ? sent(r.title(title())) : staleErr());
    },
    [`limbo.${cls}.complete`]: (id: unknown, outcome: Limbo.HandlerResult) => {
      const problem = completeProblem(outcome);
      if (problem) return hostErr('invalid-argument', problem);
      const r = live(id);
      if (!r) return cls === 'LimboSessionHandle' ? ok(undefined) : staleErr(); // a stale handle's complete is a no-op
      r.complete(handlerResultFrom030(outcome));
      return ok(undefined);
    },
  });

  return {
    'limbo.registerLimboHandler': (name: string, handler: bigint) => {
      const refused = denied('limbo');
      if (refused) return refused;
      const owner = ctx.limbo.owner(String(name));
      if (owner) return hostErr('conflict', `limbo handler "${name}" is already registered${owner === pluginId ? ' by this plugin' : ` by ${owner}`}`);
      if (ctx.limbo.handlers(pluginId).length >= quota().limboHandlers) return hostErr('limit-exceeded', `at most ${quota().limboHandlers} limbo handlers`);
      ctx.limbo.register030(pluginId, String(name), BigInt(handler));
      return ok(undefined);
    },
    ...shared('LimboSession', borrowed, () => hostErr('invalid-state', STALE)),
    'limbo.LimboSession.profile': (id: unknown) => {
      const r = borrowed(id);
      return r ? profileFrom(r.profile) : { uuid: { hi: 0n, lo: 0n }, username: '', properties: [] };
    },
    'limbo.LimboSession.entryContext': (id: unknown) => {
      const r = borrowed(id);
      return r ? entryContext030(r.entryContext) : { tag: 'plugin-redirect', val: undefined };
    },
    'limbo.LimboSession.acquireHandle': (id: unknown) => ({ [RESOURCE_TAG]: 'LimboSessionHandle', id: typeof id === 'bigint' ? id : 0n }),
    ...shared('LimboSessionHandle', run, () => hostErr('player-gone', 'the limbo session has ended')),
    'limbo.LimboSessionHandle.cancelled': (id: unknown) => run(id)?.cancelled() ?? true,

    'codec-registry.registerCodecFilter': (meta: CodecReg.CodecFilterMetadata, factory: bigint) => {
      const refused = denied('codec-filter');
      if (refused) return refused;
      const id = String(meta.id);
      const mine = ctx.codecs.filtersOf(pluginId);
      if (!mine.includes(id) && mine.length >= quota().codecFilters) return hostErr('limit-exceeded', `at most ${quota().codecFilters} codec filters`);
      const problem = ctx.codecs.register030(pluginId, meta, BigInt(factory));
      return problem ? hostErr(problem.kind, `codec filter "${id}": ${problem.message}`) : ok(undefined);
    },
    'codec-registry.unregisterCodecFilter': (id: string) => {
      const refused = denied('codec-filter');
      if (refused) return refused;
      if (!ctx.codecs.has(pluginId, String(id))) return hostErr('not-found', `this plugin has no codec filter "${id}"`);
      ctx.codecs.unregister(pluginId, String(id));
      return ok(undefined);
    },
  };
}
