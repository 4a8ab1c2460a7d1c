// Test support: a ControlApi whose every method is a vi.fn, plugin views to feed it, and a render helper.
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi, type Mock } from 'vitest';
import { BASELINE_CAPABILITIES } from '../../../shared/capabilities';
import { CONTROL_METHODS, type ControlApi, type ControlSnapshot } from '../../../shared/control-api';
import type { PluginView } from '../../../shared/plugin-state';
import { createPanel, PanelProvider, type Panel } from '../stores/panel-context';

export type FakeApi = { [K in keyof ControlApi]: Mock<ControlApi[K]> };

export function fakeApi(): FakeApi {
  const api = Object.fromEntries(CONTROL_METHODS.map((m) => [m, vi.fn()])) as unknown as FakeApi;
  api.snapshot.mockResolvedValue(snapshot());
  api.liveHistory.mockResolvedValue({ traffic: [], metrics: {}, events: [] });
  api.bans.mockResolvedValue([]);
  api.examplePlugins.mockResolvedValue([]);
  api.network.mockResolvedValue({ enabled: false, proxyId: null, state: 'off', redis: null, error: null, since: null, proxies: [] });
  return api;
}

export function pluginView(over: Partial<PluginView> & { id: string }): PluginView {
  return {
    kind: 'wasm',
    contract: '0.3.0',
    file: `/data/plugins/${over.id}.wasm`,
    state: 'enabled',
    reason: null,
    poisonCause: null,
    missingCapabilities: [],
    warnings: [],
    metadata: { id: over.id, name: over.id.replace(/_/g, ' '), version: '1.2.3', authors: [], description: null, dependencies: [] },
    granted: [...BASELINE_CAPABILITIES],
    requested: [],
    enabledInConfig: true,
    ...over,
  };
}

export function snapshot(over: Partial<ControlSnapshot> = {}): ControlSnapshot {
  return {
    pluginsDir: '/data/plugins',
    maxPluginBytes: 64 * 1024 * 1024,
    plugins: [],
    refusedFiles: [],
    logs: [],
    proxy: { running: true, address: '127.0.0.1:25565', startedAt: 0, connections: 0 },
    players: [],
    servers: [],
    config: { file: '/data/infrarust.toml', error: null, warnings: [] },
    ...over,
  };
}

/** Renders `ui` inside a panel built on `api`, its stores loaded from `snap`. */
export function renderPanel(ui: ReactElement, api: FakeApi = fakeApi(), snap: ControlSnapshot = snapshot()) {
  const panel: Panel = createPanel(api);
  panel.host.getState().reset(snap);
  panel.host.getState().setConnection('open');
  panel.plugins.getState().reset(snap.plugins, snap.logs);
  return { api, panel, ...render(<PanelProvider panel={panel}>{ui}</PanelProvider>) };
}
