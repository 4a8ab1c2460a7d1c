// Hands the stores to components; tests pass their own (built on a fake API).
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ControlApi } from '../../../shared/control-api';
import type { DeployFile } from '../api/deploy-file';
import type { PanelStores } from './connect-stores';
import { createHostStore, type HostState } from './host-store';
import { createLiveStore, type LiveState } from './live-store';
import { createPluginsStore, type PluginsState } from './plugins-store';
import { createUploadsStore, type UploadsState } from './uploads-store';

export interface Panel extends PanelStores {
  api: ControlApi;
}

/** `deployFile`: how dropped files reach the host (default: through `api`). */
export function createPanel(api: ControlApi, deployFile?: DeployFile): Panel {
  return { api, host: createHostStore(), plugins: createPluginsStore(api), uploads: createUploadsStore(api, deployFile), live: createLiveStore() };
}

const PanelContext = createContext<Panel | null>(null);

export function PanelProvider({ panel, children }: { panel: Panel; children: ReactNode }) {
  return <PanelContext.Provider value={panel}>{children}</PanelContext.Provider>;
}

export function usePanel(): Panel {
  const panel = useContext(PanelContext);
  if (!panel) throw new Error('usePanel needs a <PanelProvider>');
  return panel;
}

export const useHost = <T,>(select: (s: HostState) => T): T => useStore(usePanel().host, select);
export const usePlugins = <T,>(select: (s: PluginsState) => T): T => useStore(usePanel().plugins, select);
export const useUploads = <T,>(select: (s: UploadsState) => T): T => useStore(usePanel().uploads, select);
export const useLive = <T,>(select: (s: LiveState) => T): T => useStore(usePanel().live, select);
