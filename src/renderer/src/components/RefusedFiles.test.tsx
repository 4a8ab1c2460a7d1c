// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RefusedPluginFile } from '../../../shared/plugin-state';
import { fakeApi, pluginView, renderPanel, snapshot } from '../testing/fake-panel';
import { PluginsPage } from './PluginsPage';

afterEach(cleanup);

const inMotd: RefusedPluginFile = {
  file: '/data/plugins/motd/motd.wasm',
  dataFolderOf: 'motd',
  reason: '/data/plugins/motd/motd.wasm is inside /data/plugins/motd, the data folder of plugin "motd", which that plugin can write: move the file out of it or rename the folder.',
};
const link: RefusedPluginFile = { file: '/data/plugins/linked.wasm', dataFolderOf: null, reason: '/data/plugins/linked.wasm is a symbolic link' };

describe('RefusedFiles on the Plugins page', () => {
  it('lists each refused file with its path under the plugins folder, its owner and the reason, beside the plugins', () => {
    renderPanel(<PluginsPage />, fakeApi(), snapshot({ plugins: [pluginView({ id: 'alpha' })], refusedFiles: [inMotd, link] }));
    const section = screen.getByRole('region', { name: '2 plugin files not loaded' });
    const items = within(section).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('code')!.textContent)).toEqual(['motd/motd.wasm', 'linked.wasm']);
    expect(items[0]!.textContent).toContain('in the data folder of motd');
    expect(items[0]!.textContent).toContain('move the file out of it or rename the folder');
    expect(items[1]!.textContent).not.toContain('data folder of');
    expect(screen.getAllByRole('article')).toHaveLength(1); // the plugin card is still there
  });

  it('follows the refused-files event, and shows nothing when no file is refused', () => {
    const { panel } = renderPanel(<PluginsPage />, fakeApi(), snapshot());
    expect(screen.queryByRole('region', { name: /not loaded/ })).toBeNull();
    act(() => panel.host.getState().applyEvent({ type: 'refused-files', files: [inMotd] }));
    expect(screen.getByRole('region', { name: '1 plugin file not loaded' })).toBeTruthy();
    act(() => panel.host.getState().applyEvent({ type: 'refused-files', files: [] }));
    expect(screen.queryByRole('region', { name: /not loaded/ })).toBeNull();
  });
});
