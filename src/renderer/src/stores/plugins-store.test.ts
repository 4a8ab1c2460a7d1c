// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { LOG_LINES_KEPT } from '../../../shared/control-api';
import { fakeApi, pluginView } from '../testing/fake-panel';
import { createPluginsStore } from './plugins-store';

const deferred = <T,>() => {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

describe('plugins store', () => {
  it('keys plugins by file, so an id that changes (file:… → real id) replaces the same entry', () => {
    const store = createPluginsStore(fakeApi());
    const file = '/data/plugins/a.wasm';
    store.getState().reset([pluginView({ id: `file:${file}`, file, state: 'loading', metadata: null })], []);
    store.getState().applyEvent({ type: 'plugin', plugin: pluginView({ id: 'alpha', file }) });
    expect(Object.values(store.getState().byFile).map((p) => p.id)).toEqual(['alpha']);
    store.getState().applyEvent({ type: 'plugin-removed', id: 'alpha', file });
    expect(store.getState().byFile).toEqual({});
  });

  it('groups log lines by plugin and keeps only the newest', () => {
    const store = createPluginsStore(fakeApi());
    store.getState().reset([], [{ pluginId: 'a', level: 'info', message: 'old', time: 1 }]);
    for (let i = 0; i < LOG_LINES_KEPT + 5; i++) {
      store.getState().applyEvent({ type: 'log', line: { pluginId: 'a', level: 'info', message: `m${i}`, time: i + 2 } });
    }
    const lines = store.getState().logs.a!;
    expect(lines).toHaveLength(LOG_LINES_KEPT);
    expect(lines.at(-1)!.message).toBe(`m${LOG_LINES_KEPT + 4}`);
  });

  it('shows a permission change as pending until the host answers, then takes the answered state', async () => {
    const api = fakeApi();
    const answer = deferred<Awaited<ReturnType<typeof api.setPermission>>>();
    api.setPermission.mockReturnValue(answer.promise);
    const store = createPluginsStore(api);
    store.getState().reset([pluginView({ id: 'bans', state: 'capability-denied', missingCapabilities: ['ban'] })], []);

    const done = store.getState().setPermission('bans', 'ban', true);
    expect(api.setPermission).toHaveBeenCalledWith({ id: 'bans', capability: 'ban', granted: true });
    expect(store.getState().pending.bans).toMatchObject({ label: 'Granting ban…', permissions: { ban: true } });

    answer.resolve({ ok: true, plugin: pluginView({ id: 'bans', requested: ['ban'] }) });
    await done;
    expect(store.getState().pending.bans).toBeUndefined();
    expect(store.getState().byFile['/data/plugins/bans.wasm']).toMatchObject({ state: 'enabled', requested: ['ban'] });
  });

  it('keeps the error of a failed command (or a lost connection) until dismissed', async () => {
    const api = fakeApi();
    api.setEnabled.mockResolvedValue({ ok: false, error: 'infrarust.toml no longer parses' });
    api.reloadPlugin.mockRejectedValue(new Error('not connected to the host'));
    const store = createPluginsStore(api);
    store.getState().reset([pluginView({ id: 'a' })], []);
    await store.getState().setEnabled('a', false);
    expect(store.getState().errors.a).toBe('infrarust.toml no longer parses');
    expect(store.getState().pending.a).toBeUndefined();
    await store.getState().reload('a');
    expect(store.getState().errors.a).toBe('not connected to the host');
    store.getState().dismissError('a');
    expect(store.getState().errors).toEqual({});
  });

  it('sends removals with the forget-config choice', async () => {
    const api = fakeApi();
    api.removePlugin.mockResolvedValue({ ok: true, plugin: null });
    const store = createPluginsStore(api);
    await store.getState().remove('a', true);
    expect(api.removePlugin).toHaveBeenCalledWith({ id: 'a', forgetConfig: true });
  });
});
