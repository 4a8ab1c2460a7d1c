// Registering limbo handlers and codec filters (§3.12, §3.13).
import { hostErr, ok } from '../contract-030';
import { type CallKit, PASSTHROUGH, type Handlers } from './call-kit';

export function limboCodecCalls(k: CallKit): Handlers {
  const { ctx, quota, denied } = k;
  return {
    'limbo.registerLimboHandler': (name: string, handler: bigint) => {
      const refused = denied('limbo');
      if (refused) return refused;
      if (ctx.limboHandlers.has(name)) return hostErr('conflict', `limbo handler "${name}" is already registered`);
      if (ctx.limboHandlers.size >= quota().limboHandlers) return hostErr('limit-exceeded', `at most ${quota().limboHandlers} limbo handlers`);
      ctx.limboHandlers.set(name, BigInt(handler));
      return ok(undefined);
    },

    'codec-registry.registerCodecFilter': () => denied('codec-filter') ?? hostErr('unsupported', PASSTHROUGH),
    'codec-registry.unregisterCodecFilter': (id: string) => denied('codec-filter') ?? hostErr('not-found', `this plugin has no codec filter "${id}"`),
  };
}
