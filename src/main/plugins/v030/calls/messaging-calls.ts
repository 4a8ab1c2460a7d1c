// The `messaging` interface: plugin channels (§3.15). Registered channels route the players' custom payloads
// through plugin-message (proxy/session-messages.ts); the sends write custom payloads in the decoding
// modes, and passthrough players answer `unsupported` (the proxy does not decode their packets).
import { hostErr, ok, type HostResult, type T } from '../contract-030';
import { channelKey, channelProblem } from '../registries';
import type { PlayerSnapshot } from '../../contract-services';
import { type CallKit, type Handlers } from './call-kit';

/** §3.15: payload limits towards a client and towards a backend. */
const MAX_TO_CLIENT = 1_048_576;
const MAX_TO_BACKEND = 32_767;
/** Modern channel names exist from Minecraft 1.13 (protocol 393). */
const PV_1_13 = 393;

export function messagingCalls(k: CallKit): Handlers {
  const { ctx, services, pluginId, quota, denied, snapshot, onServer, act } = k;

  /** The channel name and payload checks every send shares; null when they pass. */
  const badSend = (channel: T.ChannelId, data: Uint8Array, max: number, to: string): HostResult<never> | null => {
    const refused = denied('plugin-messaging');
    if (refused) return refused;
    const problem = channelProblem(channel);
    if (problem) return hostErr('invalid-argument', problem);
    if (!(data instanceof Uint8Array)) return hostErr('invalid-argument', 'the payload must be bytes');
    if (data.length > max) return hostErr('invalid-argument', `a payload to ${to} may be at most ${max} bytes (got ${data.length})`);
    return null;
  };
  /** The name the player's client speaks: legacy before 1.13 when the channel has one. */
  const nameFor = (p: PlayerSnapshot, c: T.ChannelId): string => (p.protocolVersion < PV_1_13 ? (c.legacy ?? c.modern!) : (c.modern ?? c.legacy!));
  const send = (to: 'client' | 'backend', max: number) => (id: bigint, channel: T.ChannelId, data: Uint8Array) => {
    const bad = badSend(channel, data, max, to === 'client' ? 'a client' : 'a backend');
    if (bad) return bad;
    const p = snapshot(id);
    if (!p) return hostErr('player-gone', `player ${id} is not online`);
    if (to === 'backend' && p.currentServer === undefined) return hostErr('invalid-state', `player ${id} is not on a server`);
    return act('plugin-messaging', id, () => ({ kind: 'plugin-message', to, channel: nameFor(p, channel), data }));
  };

  return {
    'messaging.registerChannel': (channel: T.ChannelId) => {
      const refused = denied('plugin-messaging');
      if (refused) return refused;
      const problem = channelProblem(channel);
      if (problem) return hostErr('invalid-argument', problem);
      const mine = ctx.registries.channelsOf(pluginId);
      if (!mine.has(channelKey(channel)) && mine.size >= quota().channels) return hostErr('limit-exceeded', `at most ${quota().channels} channels`);
      mine.set(channelKey(channel), channel);
      return ok(undefined);
    },
    'messaging.unregisterChannel': (channel: T.ChannelId) => denied('plugin-messaging') ?? ok(ctx.registries.channelsOf(pluginId).delete(channelKey(channel))),
    'messaging.channels': () => denied('plugin-messaging') ?? ok([...ctx.registries.channelsOf(pluginId).values()]),
    'messaging.sendToPlayer': send('client', MAX_TO_CLIENT),
    'messaging.sendToBackend': send('backend', MAX_TO_BACKEND),
    /** One copy per backend address that has a player on it, carried by one of those players' connections. */
    'messaging.sendToServer': async (server: string, channel: T.ChannelId, data: Uint8Array) => {
      const bad = badSend(channel, data, MAX_TO_BACKEND, 'a server');
      if (bad) return bad;
      const carriers = new Map<string, PlayerSnapshot>();
      for (const p of onServer(String(server))) if (p.backendAddress && !carriers.has(p.backendAddress)) carriers.set(p.backendAddress, p);
      if (carriers.size === 0) {
        return onServer(String(server)).length === 0
          ? hostErr('unavailable', `nobody is on server "${server}" to carry the message`)
          : hostErr('unsupported', `the players on "${server}" run in passthrough mode, whose packets the proxy does not decode`);
      }
      let copies = 0;
      for (const p of carriers.values()) {
        const failed = await services.players.act(p.id, { kind: 'plugin-message', to: 'backend', channel: nameFor(p, channel), data });
        if (!failed) copies++;
      }
      return copies > 0 ? ok(copies) : hostErr('unavailable', `no connection to "${server}" could carry the message`);
    },
  };
}
