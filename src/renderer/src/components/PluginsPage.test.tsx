// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, pluginView, renderPanel, snapshot } from '../testing/fake-panel';
import { PluginsPage } from './PluginsPage';

afterEach(cleanup);

const wasmFile = (name: string) => new File([new Uint8Array([0, 97, 115, 109, 13, 0, 1, 0])], name);

function drop(files: File[]) {
  const zone = screen.getByTestId('drop-zone');
  return act(async () => {
    fireEvent.drop(zone, { dataTransfer: { files, types: ['Files'] } });
  });
}

describe('PluginsPage', () => {
  it('lists one card per plugin, sorted by file, and says so when there are none', () => {
    renderPanel(<PluginsPage />, fakeApi(), snapshot({ plugins: [pluginView({ id: 'zeta' }), pluginView({ id: 'alpha' })] }));
    expect(screen.getAllByRole('article').map((a) => a.getAttribute('aria-labelledby') && a.querySelector('h3')!.textContent)).toEqual(['alpha', 'zeta']);
    cleanup();
    renderPanel(<PluginsPage />);
    expect(screen.getByText(/No plugins yet/)).toBeTruthy();
  });

  it('a dropped non-wasm file is refused with its reason, and nothing is sent', async () => {
    const { api } = renderPanel(<PluginsPage />);
    await drop([new File(['x'], 'readme.md')]);
    expect(screen.getByRole('alert').textContent).toBe('readme.md was refused: it is not a .wasm file');
    expect(api.deployPlugin).not.toHaveBeenCalled();
  });

  it('deploys a dropped file, and asks before replacing an installed id', async () => {
    const api = fakeApi();
    api.deployPlugin
      .mockResolvedValueOnce({ kind: 'needs-confirmation', id: 'alpha', existingFile: '/data/plugins/alpha.wasm', existingVersion: '1.0.0', incomingVersion: '2.0.0' })
      .mockResolvedValueOnce({ kind: 'deployed', plugin: pluginView({ id: 'alpha' }) });
    renderPanel(<PluginsPage />, api);
    await drop([wasmFile('alpha-2.wasm')]);
    const question = await screen.findByRole('group', { name: 'Replace alpha?' });
    expect(question.textContent).toContain('A plugin with id alpha is already installed (v1.0.0, alpha.wasm). Replace it with alpha-2.wasm (v2.0.0)?');
    await act(async () => fireEvent.click(within(question).getByRole('button', { name: 'Replace' })));
    expect(await screen.findByText('Deployed alpha (enabled)')).toBeTruthy();
    expect(api.deployPlugin).toHaveBeenLastCalledWith(expect.objectContaining({ name: 'alpha-2.wasm', replace: true }));
  });

  it('"Keep installed" drops the upload without sending anything more', async () => {
    const api = fakeApi();
    api.deployPlugin.mockResolvedValue({ kind: 'needs-confirmation', id: 'alpha', existingFile: '/p/alpha.wasm', existingVersion: null, incomingVersion: '2.0.0' });
    renderPanel(<PluginsPage />, api);
    await drop([wasmFile('alpha.wasm')]);
    fireEvent.click(await screen.findByRole('button', { name: 'Keep installed' }));
    expect(screen.queryByRole('list', { name: 'Uploads' })).toBeNull();
    expect(api.deployPlugin).toHaveBeenCalledTimes(1);
  });

  it('shows progress while the host works on a file, and files can be picked too', async () => {
    const api = fakeApi();
    api.deployPlugin.mockReturnValue(new Promise(() => undefined));
    const { panel } = renderPanel(<PluginsPage />, api);
    const input = screen.getByLabelText('Plugin files to deploy') as HTMLInputElement;
    await act(async () => {
      fireEvent.change(input, { target: { files: [wasmFile('big.wasm')] } });
    });
    await screen.findByRole('progressbar', { name: 'Deploying big.wasm' });
    await screen.findByText('Checking the component…');
    act(() => panel.uploads.getState().applyEvent({ type: 'deploy-progress', progress: { name: 'big.wasm', phase: 'compiling', message: 'compiling the component' } }));
    expect(screen.getByText('Compiling the component…')).toBeTruthy();
  });
});
