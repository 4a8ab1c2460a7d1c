// Fallback: players kicked from a game server land on the fallback server instead of the title screen,
// are told why with a message and a title, and chat keeps a short list of words out. Needs a decoding
// proxy mode (servers with proxy_mode = "offline" or "client_only"); in passthrough the proxy cannot
// talk to players or move them. Refusing chat needs the `chat-intercept` capability (0.3.0):
//   [plugins.fallback]
//   permissions = ["chat-intercept"]
//   [plugins.fallback.settings]
//   server = "lobby"            # where kicked players go (default "lobby")
//   blocked_words = "spoiler"   # comma-separated; a chat message with one of them is refused
// Capabilities: event-bus, player-read, player-write (baseline), chat-intercept when blocked_words is set.
import { info, warn } from 'infrarust:plugin/log@0.3.0';
import { sendMessage, sendTitle } from 'infrarust:plugin/players@0.3.0';
import type { Component } from 'infrarust:plugin/types@0.3.0';
import { chatMessage, definePlugin, errorMessage, kickedFromServer, on, plainText, setting, text } from '../../kit';

function welcomeBack(playerId: number, from: string, reason: Component | undefined): void {
  try {
    sendMessage(playerId, text(`You were kicked from ${from}${reason ? `: ${plainText(reason)}` : ''}`, { color: 'yellow' }));
    sendTitle(playerId, { title: text('Back in the lobby', { color: 'gold' }), subtitle: text(from), fadeInTicks: 5, stayTicks: 40, fadeOutTicks: 5 });
  } catch (err) {
    warn(`could not tell the player: ${errorMessage(err)}`);
  }
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
    const pending = new Map<number, { from: string; reason: Component | undefined }>();

    on('kicked-from-server', ({ player, server, reason }) => {
      if (server === fallback) return undefined;
      info(`${server} kicked player #${player.id}: sending them to ${fallback}`);
      pending.set(player.id, { from: server, reason: reason ?? undefined });
      return kickedFromServer.redirectTo(fallback);
    });
    on('server-connected', ({ player, server }) => {
      const kick = pending.get(player.id);
      if (!kick || server !== fallback) return;
      pending.delete(player.id);
      welcomeBack(player.id, kick.from, kick.reason);
    });
    on('disconnect', ({ player }) => void pending.delete(player.id));
    // Only with words to block: subscribing to chat needs chat-intercept.
    if (blocked.length > 0) {
      on('chat-message', ({ message }) => {
        const lower = message.toLowerCase();
        const word = blocked.find((w) => lower.includes(w));
        return word ? chatMessage.deny(text(`Please don't say "${word}" here.`, { color: 'red' })) : undefined;
      });
    }
  },
});
