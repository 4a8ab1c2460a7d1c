// Server-list MOTD: the text from infrarust.toml and the number of players online on the whole proxy.
//   [plugins.motd.settings]
//   text = "Welcome to the network"
// Capabilities: event-bus, player-read, config-read (all baseline).
import { onlineCount } from 'infrarust:plugin/player-registry@0.2.3';
import { definePlugin, on, setting, text } from '../../kit';

export default definePlugin({
  id: 'motd',
  name: 'MOTD',
  version: '1.0.0',
  authors: ['Infrarust Desktop'],
  description: 'Rewrites the server-list entry: text from [plugins.motd.settings], players online across the proxy.',
  enable() {
    const motd = setting('text');
    on('proxy-ping', ({ response }) => ({
      ...response,
      // Without a configured text the backend's (or the proxy's) own description stays.
      description: motd === undefined ? response.description : text(motd),
      onlinePlayers: onlineCount(),
    }));
  },
});
