// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fakeApi, pluginView } from '../testing/fake-panel';
import { createUploadsStore } from './uploads-store';

const MAX = 1024;
const wasm = (name: string, bytes = [0, 97, 115, 109, 13, 0, 1, 0]) => new File([new Uint8Array(bytes)], name);

describe('uploads store', () => {
  it('refuses bad names and sizes at once, without calling the host', async () => {
    const api = fakeApi();
    const store = createUploadsStore(api);
    await store.getState().addFiles([wasm('notes.txt'), wasm('big.wasm', new Array(MAX + 1).fill(0)), wasm('empty.wasm', [])], MAX);
    expect(store.getState().uploads.map((u) => [u.name, u.status, u.message])).toEqual([
      ['notes.txt', 'refused', 'it is not a .wasm file'],
      ['big.wasm', 'refused', 'it is 1.0 KiB, above the 1.0 KiB limit'],
      ['empty.wasm', 'refused', 'the file is empty'],
    ]);
    expect(api.deployPlugin).not.toHaveBeenCalled();
  });

  it('sends the file as base64 and shows the host refusal with its reason', async () => {
    const api = fakeApi();
    api.deployPlugin.mockResolvedValue({ kind: 'refused', reason: 'it is a core WebAssembly module, not a component' });
    const store = createUploadsStore(api);
    await store.getState().addFiles([wasm('core.wasm')], MAX);
    expect(api.deployPlugin).toHaveBeenCalledWith({ name: 'core.wasm', data: 'AGFzbQ0AAQA=', replace: false });
    expect(store.getState().uploads[0]).toMatchObject({ status: 'refused', message: 'it is a core WebAssembly module, not a component' });
  });

  it('asks before replacing, then resends the same bytes with replace', async () => {
    const api = fakeApi();
    api.deployPlugin
      .mockResolvedValueOnce({ kind: 'needs-confirmation', id: 'alpha', existingFile: '/p/alpha.wasm', existingVersion: '1.0.0', incomingVersion: '1.1.0' })
      .mockResolvedValueOnce({ kind: 'deployed', plugin: pluginView({ id: 'alpha' }) });
    const store = createUploadsStore(api);
    await store.getState().addFiles([wasm('alpha-1.1.wasm')], MAX);
    const [waiting] = store.getState().uploads;
    expect(waiting).toMatchObject({ status: 'needs-confirmation', confirmation: { id: 'alpha' } });
    await store.getState().confirmReplace(waiting!.key);
    expect(api.deployPlugin).toHaveBeenLastCalledWith({ name: 'alpha-1.1.wasm', data: 'AGFzbQ0AAQA=', replace: true });
    expect(store.getState().uploads[0]).toMatchObject({ status: 'deployed', message: 'Deployed alpha (enabled)' });
  });

  it('follows progress events of the matching upload while it works', async () => {
    const api = fakeApi();
    let finish!: () => void;
    api.deployPlugin.mockReturnValue(new Promise((r) => (finish = () => r({ kind: 'deployed', plugin: pluginView({ id: 'big' }) }))));
    const store = createUploadsStore(api);
    const done = store.getState().addFiles([wasm('big.wasm')], MAX);
    await expect.poll(() => store.getState().uploads[0]?.status).toBe('working');
    store.getState().applyEvent({ type: 'deploy-progress', progress: { name: 'big.wasm', phase: 'compiling', message: 'compiling the component' } });
    expect(store.getState().uploads[0]).toMatchObject({ phase: 'compiling', message: 'Compiling the component…' });
    finish();
    await done;
    store.getState().dismiss(store.getState().uploads[0]!.key);
    expect(store.getState().uploads).toEqual([]);
  });
});
