// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, renderPanel } from '../testing/fake-panel';
import { commonPrefix, Console } from './Console';

afterEach(cleanup);

function renderConsole() {
  const api = fakeApi();
  api.runCommand.mockImplementation(async ({ line }) => (line.startsWith('nope') ? { ok: false, output: 'unknown command: nope' } : { ok: true, output: `ran ${line}` }));
  renderPanel(<Console />, api);
  const input = screen.getByRole('textbox', { name: 'Console command' }) as HTMLInputElement;
  const run = async (line: string) => {
    fireEvent.change(input, { target: { value: line } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Run' })));
  };
  const key = async (k: string) => act(async () => fireEvent.keyDown(input, { key: k }));
  return { api, input, run, key };
}

describe('Console', () => {
  it('runs plugin commands and shows their output', async () => {
    const { api, run } = renderConsole();
    await run('kick alex');
    await run('nope');
    expect(api.runCommand).toHaveBeenCalledWith({ line: 'kick alex' });
    const output = screen.getByRole('list', { name: 'Console output' });
    expect(output.textContent).toContain('ran kick alex');
    expect(output.textContent).toContain('unknown command: nope');
  });

  it('Up and Down walk the history of commands run, back to the line being typed', async () => {
    const { input, run, key } = renderConsole();
    await run('first');
    await run('second');
    await run('second');
    fireEvent.change(input, { target: { value: 'draft' } });
    await key('ArrowUp');
    expect(input.value).toBe('second');
    await key('ArrowUp');
    expect(input.value).toBe('first');
    await key('ArrowUp');
    expect(input.value).toBe('first');
    await key('ArrowDown');
    expect(input.value).toBe('second');
    await key('ArrowDown');
    expect(input.value).toBe('draft');
  });

  it('Tab completes from tab-complete: one option replaces the word, several complete their common start', async () => {
    const { api, input, key } = renderConsole();
    api.tabComplete.mockResolvedValueOnce(['alexander', 'alexis']).mockResolvedValueOnce(['alexis']);
    fireEvent.change(input, { target: { value: 'ban al' } });
    await key('Tab');
    expect(api.tabComplete).toHaveBeenCalledWith({ line: 'ban al' });
    expect(input.value).toBe('ban alex');
    expect(screen.getByText('alexander alexis')).toBeTruthy();
    fireEvent.change(input, { target: { value: 'ban alexi' } });
    await key('Tab');
    expect(input.value).toBe('ban alexis ');
  });

  it('commonPrefix', () => {
    expect(commonPrefix(['stop', 'status', 'start'])).toBe('st');
    expect(commonPrefix(['a'])).toBe('a');
  });
});
