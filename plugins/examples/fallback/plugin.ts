// Fallback: players kicked from a game server land on the fallback server instead of the title screen,
// are told why with a message and a title, and chat keeps a short list of words out. Needs a decoding
// proxy mode (servers with proxy_mode = "offline" or "client_only"); in passthrough the proxy cannot
// talk to players or move them.
//   [plugins.fallback.settings]
//   server = "lobby"            # where kicked players go (default "lobby")
//   blocked_words = "spoiler"   # comma-separated; a chat message with one of them is refused
// Capabilities: event-bus, player-read (baseline).
import { info, warn } from 'infrarust:plugin/log@0.2.3';
import { getPlayerById } from 'infrarust:plugin/player-registry@0.2.3';
import { chatMessage, definePlugin, errorMessage, kickedFromServer, on, plainText, setting, text } from '../../kit';

function welcomeBack(playerId: number, from: string, reason: string): void {
  const player = getPlayerById(playerId);
  if (!player) return;
  try {
    player.sendMessage(text(`You were kicked from ${from}: ${plainText(reason)}`, { color: 'yellow' }));
    player.sendTitle({ title: text('Back in the lobby', { color: 'gold' }), subtitle: text(from), fadeInTicks: 5, stayTicks: 40, fadeOutTicks: 5 });
  } catch (err) {
    warn(`could not tell the player: ${errorMessage(err)}`);
  }
  player[Symbol.dispose]();
}

export default definePlugin({
  id: 'fallback',
  name: 'Fallback',
  version: '1.0.0',
  authors: ['Infrarust Desktop'],
  description: 'Sends kicked players to a fallback server and keeps blocked words out of chat.',
  enable() {
    const fallback = setting('server') ?? 'lobby';
    const blocked = (setting('blocked_words') ?? '')
      .split(',')
      .map((w) => w.trim().toLowerCase())
      .filter((w) => w !== '');
    const pending = new Map<number, { from: string; reason: string }>();

    on('kicked-from-server', ({ playerId, server, reason }) => {
      if (server === fallback) return undefined;
      info(`${server} kicked player #${playerId}: sending them to ${fallback}`);
      pending.set(playerId, { from: server, reason });
      return kickedFromServer.redirectTo(fallback);
    });
    on('server-connected', ({ playerId, server }) => {
      const kick = pending.get(playerId);
      if (!kick || server !== fallback) return;
      pending.delete(playerId);
      welcomeBack(playerId, kick.from, kick.reason);
    });
    on('disconnect', ({ playerId }) => void pending.delete(playerId));
    on('chat-message', ({ message }) => {
      const lower = message.toLowerCase();
      const word = blocked.find((w) => lower.includes(w));
      return word ? chatMessage.deny(text(`Please don't say "${word}" here.`, { color: 'red' })) : undefined;
    });
  },
});
