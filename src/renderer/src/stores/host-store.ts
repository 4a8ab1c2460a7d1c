// Everything about the host that is not a plugin: connection, proxy, players, servers, config problems.
import { createStore } from 'zustand/vanilla';
import { MAX_PLUGIN_BYTES, type ConfigStatusView, type ControlEvent, type ControlSnapshot } from '../../../shared/control-api';
import type { RefusedPluginFile } from '../../../shared/plugin-state';
import type { NetworkView, PlayerView, ProxyStatusView, ServerView } from '../../../shared/proxy-views';
import type { ConnectionStatus } from '../api/transport';

export interface HostState {
  connection: ConnectionStatus;
  /** Why the host closed the connection, when it said (a cap reached, a message too large). */
  connectionReason: string | null;
  /** Set when the first snapshot could not be read. */
  loadError: string | null;
  loaded: boolean;
  pluginsDir: string;
  maxPluginBytes: number;
  proxy: ProxyStatusView;
  players: PlayerView[];
  servers: ServerView[];
  config: ConfigStatusView | null;
  /** Plugin files discovery refused, with why: not plugins, so not in the plugins store. */
  refusedFiles: RefusedPluginFile[];
  /** Cluster mode: the network as last reported (null until the Network page or an event reads it). */
  network: NetworkView | null;
  setNetwork(network: NetworkView): void;
  setConnection(status: ConnectionStatus, reason?: string): void;
  setLoadError(message: string | null): void;
  reset(snapshot: ControlSnapshot): void;
  applyEvent(event: ControlEvent): void;
}

export type HostStore = ReturnType<typeof createHostStore>;

export function createHostStore() {
  return createStore<HostState>()((set) => ({
    connection: 'connecting',
    connectionReason: null,
    loadError: null,
    loaded: false,
    pluginsDir: '',
    maxPluginBytes: MAX_PLUGIN_BYTES,
    proxy: { running: false, address: null, startedAt: null, connections: 0 },
    players: [],
    servers: [],
    config: null,
    refusedFiles: [],
    network: null,
    setNetwork: (network) => set({ network }),
    setConnection: (connection, reason) => set({ connection, connectionReason: reason ?? null }),
    setLoadError: (loadError) => set({ loadError }),
    reset: (s) =>
      set({
        loaded: true,
        loadError: null,
        pluginsDir: s.pluginsDir,
        maxPluginBytes: s.maxPluginBytes,
        proxy: s.proxy,
        players: s.players,
        servers: s.servers,
        config: s.config,
        refusedFiles: s.refusedFiles,
      }),
    applyEvent(event) {
      switch (event.type) {
        case 'proxy':
          return set({ proxy: event.status });
        case 'players':
          return set({ players: event.players });
        case 'servers':
          return set({ servers: event.servers });
        case 'config':
          return set({ config: event.config });
        case 'refused-files':
          return set({ refusedFiles: event.files });
        case 'network':
          return set({ network: event.network });
        // Connections also close without a player leaving (pings, refused logins): the once-a-second sample keeps the count true.
        case 'traffic':
          return set((s) => ({ proxy: { ...s.proxy, connections: event.sample.activeConnections } }));
      }
    },
  }));
}
