// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import type { ControlEvent } from '../../../shared/control-api';
import type { ConnectionStatus, ControlTransport } from '../api/transport';
import { fakeApi, pluginView, snapshot } from '../testing/fake-panel';
import { connectStores } from './connect-stores';
import { createPanel } from './panel-context';

function fakeTransport() {
  let emitEvent: (e: ControlEvent) => void = () => undefined;
  let emitStatus: (s: ConnectionStatus) => void = () => undefined;
  const transport: ControlTransport = {
    call: vi.fn(),
    onEvent: (l) => ((emitEvent = l), () => undefined),
    onStatus: (l) => ((emitStatus = l), l('connecting'), () => undefined),
  };
  return { transport, event: (e: ControlEvent) => emitEvent(e), status: (s: ConnectionStatus) => emitStatus(s) };
}

describe('connectStores', () => {
  it('loads a snapshot on every (re)connection and routes events to each store', async () => {
    const api = fakeApi();
    api.snapshot.mockResolvedValue(snapshot({ plugins: [pluginView({ id: 'a' })], pluginsDir: '/srv/plugins' }));
    const panel = createPanel(api);
    const t = fakeTransport();
    connectStores(t.transport, api, panel);
    expect(panel.host.getState().connection).toBe('connecting');
    t.status('open');
    await vi.waitFor(() => expect(panel.host.getState().loaded).toBe(true));
    expect(panel.host.getState().pluginsDir).toBe('/srv/plugins');
    expect(Object.keys(panel.plugins.getState().byFile)).toEqual(['/data/plugins/a.wasm']);

    t.event({ type: 'players', players: [] });
    t.event({ type: 'config', config: { file: 'f', error: { file: 'f', message: 'bad', line: 1, column: 2 }, warnings: [] } });
    t.event({ type: 'plugin', plugin: pluginView({ id: 'b' }) });
    expect(panel.host.getState().config?.error?.line).toBe(1);
    expect(Object.keys(panel.plugins.getState().byFile)).toHaveLength(2);

    t.status('closed');
    expect(panel.host.getState().connection).toBe('closed');
    t.status('open');
    await vi.waitFor(() => expect(api.snapshot).toHaveBeenCalledTimes(2));
  });

  it('reports a snapshot that cannot be read', async () => {
    const api = fakeApi();
    api.snapshot.mockRejectedValue(new Error('refused'));
    const panel = createPanel(api);
    const t = fakeTransport();
    connectStores(t.transport, api, panel);
    t.status('open');
    await vi.waitFor(() => expect(panel.host.getState().loadError).toBe('refused'));
  });
});
