// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExamplePluginView } from '../../../shared/control-api';
import { fakeApi, pluginView, renderPanel, snapshot } from '../testing/fake-panel';
import { PluginsPage } from './PluginsPage';

afterEach(cleanup);

const motd: ExamplePluginView = {
  file: 'motd.wasm',
  id: 'motd',
  name: 'MOTD',
  version: '1.0.0',
  description: 'Rewrites the server-list entry.',
  size: 1_700_000,
  capabilities: ['config-read', 'event-bus', 'player-read'],
};
const banGuard: ExamplePluginView = { ...motd, file: 'ban-guard.wasm', id: 'ban_guard', name: 'Ban Guard', description: 'Ban commands.', capabilities: ['ban', 'command'] };

function withExamples(...examples: ExamplePluginView[]) {
  const api = fakeApi();
  api.examplePlugins.mockResolvedValue(examples);
  return api;
}

describe('ExampleGallery on the Plugins page', () => {
  it('on an empty folder, offers each shipped example: name, what it does, the capabilities it asks for', async () => {
    renderPanel(<PluginsPage />, withExamples(motd, banGuard));
    const gallery = await screen.findByRole('region', { name: 'Try an example plugin' });
    expect(within(gallery).getAllByRole('heading', { level: 4 }).map((h) => h.textContent)).toEqual(['MOTD', 'Ban Guard']);
    const card = within(gallery).getByRole('listitem', { name: 'Ban Guard' });
    expect(card.textContent).toContain('Ban commands.');
    const caps = within(card).getByRole('list', { name: 'Capabilities Ban Guard asks for' });
    expect(within(caps).getAllByRole('listitem').map((c) => c.textContent)).toEqual(['ban (opt-in)', 'command']);
    expect(within(gallery).getByRole('button', { name: 'Install MOTD' })).toBeTruthy();
  });

  it('says what else a provider needs: the [ban] provider setting and its capability', async () => {
    const banList: ExamplePluginView = { ...motd, file: 'ban_list.wasm', id: 'ban_list', name: 'Ban List', description: 'Bans in bans.json.', capabilities: ['ban-provider', 'config-read'] };
    renderPanel(<PluginsPage />, withExamples(motd, banList));
    const gallery = await screen.findByRole('region', { name: 'Try an example plugin' });
    const card = within(gallery).getByRole('listitem', { name: 'Ban List' });
    expect(within(card).getByLabelText('What else Ban List needs').textContent).toBe(
      'To use it, also set [ban] provider = "ban_list" in infrarust.toml and tick ban-provider on its card: until then the built-in ban list decides and this plugin stays stopped.',
    );
    expect(within(within(gallery).getByRole('listitem', { name: 'MOTD' })).queryByLabelText('What else MOTD needs')).toBeNull();
  });

  it('is not shown once the folder has a plugin, nor when the app ships no examples', async () => {
    const api = withExamples(motd);
    renderPanel(<PluginsPage />, api, snapshot({ plugins: [pluginView({ id: 'alpha' })] }));
    expect(screen.queryByRole('region', { name: 'Try an example plugin' })).toBeNull();
    expect(api.examplePlugins).not.toHaveBeenCalled();
    cleanup();
    const none = withExamples();
    renderPanel(<PluginsPage />, none);
    await act(async () => undefined);
    expect(none.examplePlugins).toHaveBeenCalled();
    expect(screen.queryByRole('region', { name: 'Try an example plugin' })).toBeNull();
    expect(screen.getByText(/No plugins yet/)).toBeTruthy();
  });

  it('one click installs through the deploy path: the same progress, then the result', async () => {
    const api = withExamples(motd);
    let finish!: (r: Awaited<ReturnType<typeof api.installExample>>) => void;
    api.installExample.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    const { panel } = renderPanel(<PluginsPage />, api);
    const install = await screen.findByRole('button', { name: 'Install MOTD' });
    await act(async () => fireEvent.click(install));
    expect(api.installExample).toHaveBeenCalledWith({ file: 'motd.wasm', replace: false });
    expect(api.deployPlugin).not.toHaveBeenCalled();
    await screen.findByRole('progressbar', { name: 'Deploying motd.wasm' });
    expect((screen.getByRole('button', { name: 'Install MOTD' }) as HTMLButtonElement).disabled).toBe(true);
    act(() => panel.uploads.getState().applyEvent({ type: 'deploy-progress', progress: { name: 'motd.wasm', phase: 'compiling', message: 'compiling the component' } }));
    expect(screen.getByText('Compiling the component…')).toBeTruthy();
    await act(async () => finish({ kind: 'deployed', plugin: pluginView({ id: 'motd' }) }));
    expect(screen.getByText('Deployed motd (enabled)')).toBeTruthy();
  });

  it('an example whose id is installed asks first, and Replace sends it again with replace', async () => {
    const api = withExamples(motd);
    api.installExample
      .mockResolvedValueOnce({ kind: 'needs-confirmation', id: 'motd', existingFile: '/data/plugins/motd.wasm', existingVersion: '0.9.0', incomingVersion: '1.0.0' })
      .mockResolvedValueOnce({ kind: 'deployed', plugin: pluginView({ id: 'motd' }) });
    renderPanel(<PluginsPage />, api);
    const install = await screen.findByRole('button', { name: 'Install MOTD' });
    await act(async () => fireEvent.click(install));
    const question = await screen.findByRole('group', { name: 'Replace motd?' });
    await act(async () => fireEvent.click(within(question).getByRole('button', { name: 'Replace' })));
    expect(api.installExample).toHaveBeenLastCalledWith({ file: 'motd.wasm', replace: true });
    expect(await screen.findByText('Deployed motd (enabled)')).toBeTruthy();
  });

  it('a refused example shows the reason like a refused drop', async () => {
    const api = withExamples(motd);
    api.installExample.mockResolvedValue({ kind: 'refused', reason: 'it could not be checked: boom' });
    renderPanel(<PluginsPage />, api);
    const install = await screen.findByRole('button', { name: 'Install MOTD' });
    await act(async () => fireEvent.click(install));
    expect((await screen.findByRole('alert')).textContent).toBe('motd.wasm was refused: it could not be checked: boom');
  });
});
