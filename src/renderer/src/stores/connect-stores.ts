// Feeds the stores: a fresh snapshot each time the connection opens, then the event stream.
import type { ControlApi } from '../../../shared/control-api';
import type { ControlTransport } from '../api/transport';
import type { HostStore } from './host-store';
import type { LiveStore } from './live-store';
import type { PluginsStore } from './plugins-store';
import type { UploadsStore } from './uploads-store';

export interface PanelStores {
  host: HostStore;
  plugins: PluginsStore;
  uploads: UploadsStore;
  live: LiveStore;
}

export function connectStores(transport: ControlTransport, api: ControlApi, stores: PanelStores): () => void {
  const offEvents = transport.onEvent((event) => {
    stores.host.getState().applyEvent(event);
    stores.plugins.getState().applyEvent(event);
    stores.uploads.getState().applyEvent(event);
    stores.live.getState().applyEvent(event);
  });
  const offStatus = transport.onStatus((status, reason) => {
    stores.host.getState().setConnection(status, reason);
    if (status !== 'open') return;
    api.snapshot().then(
      (snapshot) => {
        stores.host.getState().reset(snapshot);
        stores.plugins.getState().reset(snapshot.plugins, snapshot.logs);
      },
      (err: Error) => stores.host.getState().setLoadError(err.message),
    );
    // Cluster mode only matters when enabled; a host without it answers `enabled: false`.
    api.network().then(
      (network) => stores.host.getState().setNetwork(network),
      () => undefined,
    );
    // The charts and the event feed are extras: without their history the panel still works.
    api.liveHistory().then(
      (history) => stores.live.getState().reset(history),
      () => undefined,
    );
  });
  return () => {
    offEvents();
    offStatus();
  };
}
