// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerView } from '../../../shared/proxy-views';
import { fakeApi, renderPanel, snapshot } from '../testing/fake-panel';
import { ServersPage } from './ServersPage';

afterEach(cleanup);

const servers: ServerView[] = [
  { id: 'lobby', file: '/s/lobby.toml', domains: ['lobby.test', '*.lobby.test'], addresses: ['127.0.0.1:25566'], proxyMode: 'passthrough', state: 'online', players: 2, problem: null },
  { id: 'pvp', file: '/s/pvp.toml', domains: ['pvp.test'], addresses: ['10.0.0.9:25565'], proxyMode: 'passthrough', state: 'offline', players: 0, problem: 'Invalid TOML document: expected "=" (line 3, column 7)' },
];

function renderPage() {
  const api = fakeApi();
  const view = renderPanel(<ServersPage />, api, snapshot({ servers }));
  return { ...view, api, page: screen.getByRole('region', { name: 'Servers' }) };
}

describe('ServersPage', () => {
  it('lists every route with domains, addresses, mode, live state and players; a broken file says where', () => {
    const { page } = renderPage();
    const lobby = within(page).getByRole('row', { name: 'lobby' });
    expect(lobby.textContent).toContain('lobby.test, *.lobby.test');
    expect(lobby.textContent).toContain('127.0.0.1:25566');
    expect(lobby.textContent).toContain('passthrough');
    expect(within(lobby).getByText('online')).toBeTruthy();
    expect(lobby.textContent).toContain('2');
    const pvp = within(page).getByRole('row', { name: 'pvp' });
    expect(within(pvp).getByText('offline').getAttribute('title')).toContain('no address answered');
    expect(within(pvp).getByRole('alert').textContent).toBe('Invalid TOML document: expected "=" (line 3, column 7) — the last good version stays in force');
  });

  it('Edit opens the form filled from the file; saving closes it and says what was written', async () => {
    const { api, page } = renderPage();
    api.serverSettings.mockResolvedValue({ id: 'lobby', domains: ['lobby.test', '*.lobby.test'], addresses: ['127.0.0.1:25566'], motd: 'Hi', maxPlayers: 0, disconnectMessage: '', proxyMode: 'passthrough', forwarding: 'none', forwardingSecret: '' });
    api.saveServer.mockResolvedValue({ ok: true, server: servers[0]! });
    await act(async () => fireEvent.click(within(page).getByRole('button', { name: 'Edit lobby' })));
    expect(api.serverSettings).toHaveBeenCalledWith({ id: 'lobby' });
    const form = within(page).getByRole('form', { name: 'Edit route lobby' });
    expect((within(form).getByLabelText('Domains') as HTMLTextAreaElement).value).toBe('lobby.test\n*.lobby.test');
    expect((within(form).getByLabelText('MOTD') as HTMLInputElement).value).toBe('Hi');
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Save route' })));
    expect(within(page).queryByRole('form')).toBeNull();
    expect(within(page).getByRole('status').textContent).toBe('Saved servers/lobby.toml');
  });

  it('Add route opens an empty form; Remove asks first', async () => {
    const { api, page } = renderPage();
    fireEvent.click(within(page).getByRole('button', { name: 'Add route' }));
    expect((within(page).getByLabelText('Server id') as HTMLInputElement).value).toBe('');
    fireEvent.click(within(page).getByRole('button', { name: 'Cancel' }));
    api.removeServer.mockResolvedValue({ ok: false, error: 'permission denied' });
    fireEvent.click(within(page).getByRole('button', { name: 'Remove pvp' }));
    expect(api.removeServer).not.toHaveBeenCalled();
    const confirm = within(page).getByRole('group', { name: 'Remove route pvp' });
    await act(async () => fireEvent.click(within(confirm).getByRole('button', { name: 'Remove route' })));
    expect(api.removeServer).toHaveBeenCalledWith({ id: 'pvp' });
    expect(screen.getAllByRole('alert').some((a) => a.textContent?.includes('permission denied'))).toBe(true);
  });

  it('a server with no good version cannot be edited, and says how to fix it', async () => {
    const { api, page } = renderPage();
    api.serverSettings.mockResolvedValue(null);
    await act(async () => fireEvent.click(within(page).getByRole('button', { name: 'Edit pvp' })));
    expect(within(page).queryByRole('form')).toBeNull();
    expect(screen.getAllByRole('alert').some((a) => a.textContent?.includes('fix servers/pvp.toml by hand'))).toBe(true);
  });
});
