// Lobby: every player joins the lobby server first while it is online; when it is not, they go where
// their address points as usual. Whether a server is online is server-manager's get-state, so this
// plugin needs the opt-in `server-manage` capability (the contract has no read-only variant). 0.3.0 checks
// capabilities when a function is called, so the plugin asks proxy-info at enable and refuses to start
// without it, rather than fail at every join:
//   [plugins.lobby]
//   permissions = ["server-manage"]
//   [plugins.lobby.settings]
//   server = "hub"          # the lobby's server id (default "lobby")
// Other capabilities: event-bus, config-read (baseline).
import { grantedCapabilities } from 'infrarust:plugin/proxy-info@0.3.0';
import { getState } from 'infrarust:plugin/server-manager@0.3.0';
import { chooseInitialServer, definePlugin, on, setting } from '../../kit';

export default definePlugin({
  id: 'lobby',
  name: 'Lobby',
  version: '1.0.0',
  authors: ['Infrarust Desktop'],
  description: 'Sends joining players to the lobby server while it is online.',
  enable() {
    if (!grantedCapabilities().includes('server-manage')) {
      throw new Error('the lobby plugin needs the server-manage capability: add permissions = ["server-manage"] to [plugins.lobby]');
    }
    const lobby = setting('server') ?? 'lobby';
    on('player-choose-initial-server', ({ initialServer }) => {
      if (initialServer === lobby || getState(lobby) !== 'online') return undefined;
      return chooseInitialServer.redirect(lobby);
    });
  },
});
