// Server-list MOTD: the text from infrarust.toml and the number of players online on the whole proxy.
//   [plugins.motd.settings]
//   text = "Welcome to the network"
// Capabilities: event-bus, player-read, config-read (all baseline).
import { count } from 'infrarust:plugin/players@0.3.0';
import { definePlugin, on, setting, text } from '../../kit';

export default definePlugin({
  id: 'motd',
  name: 'MOTD',
  version: '1.0.0',
  authors: ['Infrarust Desktop'],
  description: 'Rewrites the server-list entry: text from [plugins.motd.settings], players online across the proxy.',
  enable() {
    const motd = setting('text');
    const description = motd === undefined ? undefined : text(motd);
    // The result holds the answer so far; the description is a heavy field that applies only when set,
    // so without a configured text the backend's (or the proxy's) own stays.
    on('proxy-ping', ({ result }) => ({ ...result, description, onlinePlayers: count(null) }));
  },
});
