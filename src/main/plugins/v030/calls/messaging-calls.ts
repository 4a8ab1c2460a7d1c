// The `messaging` interface: plugin channels (§3.15).
import { hostErr, ok, type T } from '../contract-030';
import { channelKey, channelProblem } from '../registries';
import { type CallKit, PASSTHROUGH, type Handlers } from './call-kit';

export function messagingCalls(k: CallKit): Handlers {
  const { ctx, pluginId, quota, denied, onServer, playerAction } = k;
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
    'messaging.sendToPlayer': (id: bigint) => playerAction('plugin-messaging')(id),
    'messaging.sendToBackend': (id: bigint) => playerAction('plugin-messaging')(id),
    'messaging.sendToServer': (server: string) =>
      denied('plugin-messaging') ?? (onServer(String(server)).length === 0 ? hostErr('unavailable', `nobody is on server "${server}" to carry the message`) : hostErr('unsupported', PASSTHROUGH)),
  };
}
