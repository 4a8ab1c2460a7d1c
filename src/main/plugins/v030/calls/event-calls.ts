// `log`, `text`, the ping readers of `events` and `event-bus` (§3.2–§3.5).
import { type Bus, hostErr, ok, type T } from '../contract-030';
import { ArenaError, arenaFromComponentString, arenaFromJson, arenaFromLegacy, arenaToJson, arenaToPlain } from '../text-arena';
import { type CallKit, type Handlers } from './call-kit';

export function eventCalls(k: CallKit): Handlers {
  const { ctx, pluginId, quota, denied, checkText } = k;
  return {
    'log.maxLevel': () => 'trace',

    'text.parseJson': (json: string) => {
      try {
        return ok(arenaFromJson(JSON.parse(json)));
      } catch (err) {
        return hostErr('invalid-argument', err instanceof ArenaError ? `invalid text component: ${err.message}` : `not JSON: ${(err as Error).message}`);
      }
    },
    'text.parseLegacy': (legacy: string) => arenaFromLegacy(String(legacy)),
    'text.toJson': (c: T.Component) => checkText(c) ?? ok(JSON.stringify(arenaToJson(c))),
    'text.toPlain': (c: T.Component) => checkText(c) ?? ok(arenaToPlain(c)),

    'events.pingDescription': () => {
      const ping = ctx.currentPing();
      return ping ? arenaFromComponentString(ping.description) : undefined;
    },
    'events.pingFavicon': () => ctx.currentPing()?.favicon,
    'events.pingPlayerSample': () => [],

    'event-bus.subscribe': (kind: string, priority: number) => {
      const refused = denied('event-bus');
      if (refused) return refused;
      if (kind === 'raw-packet') return denied('raw-packet') ?? hostErr('invalid-argument', 'raw packets are subscribed with subscribe-packets');
      if (kind === 'chat-message' || kind === 'command-execute') {
        const r = denied('chat-intercept');
        if (r) return r;
      }
      if (kind === 'plugin-message') {
        const r = denied('plugin-messaging');
        if (r) return r;
      }
      if (ctx.events.count(pluginId) >= quota().listeners) return hostErr('limit-exceeded', `at most ${quota().listeners} listeners`);
      return ok(ctx.events.subscribe(pluginId, kind, priority));
    },
    // A packet subscription's handle removes the listeners of all its filters (§4.4).
    'event-bus.unsubscribe': (handle: bigint) => denied('event-bus') ?? ok(ctx.rawPackets.unsubscribe(pluginId, BigInt(handle)) ?? ctx.events.unsubscribe(pluginId, BigInt(handle))),
    'event-bus.subscribeNamed': (name: string, priority: number) => {
      const refused = denied('event-bus');
      if (refused) return refused;
      if (ctx.events.count(pluginId) >= quota().listeners) return hostErr('limit-exceeded', `at most ${quota().listeners} listeners`);
      return ok(ctx.events.subscribe(pluginId, `named:${name}`, priority));
    },
    'event-bus.fireNamed': async (name: string, contentType: string, payload: Uint8Array) =>
      denied('event-bus') ?? ok(await ctx.events.fireNamed(pluginId, String(name), String(contentType), payload)),
    // One listener per filter; packets reach them only in the decoding proxy modes, in play (codec-router.ts).
    'event-bus.subscribePackets': (filters: Bus.PacketFilter[], priority: number) => {
      const refused = denied('event-bus') ?? denied('raw-packet');
      if (refused) return refused;
      if (!Array.isArray(filters) || filters.length === 0) return hostErr('invalid-argument', 'subscribe-packets needs at least one packet filter');
      if (ctx.events.count(pluginId) + filters.length > quota().listeners) return hostErr('limit-exceeded', `at most ${quota().listeners} listeners (one per packet filter)`);
      return ok(ctx.rawPackets.subscribe(pluginId, filters, priority));
    },
  };
}
