// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerView } from '../../../shared/proxy-views';
import { fakeApi, renderPanel, snapshot } from '../testing/fake-panel';
import { ServersPage } from './ServersPage';

afterEach(cleanup);

const base = { domains: ['x.test'], addresses: ['127.0.0.1:25566'], proxyMode: 'offline', state: 'offline' as const, players: 0, problem: null };
const servers: ServerView[] = [
  { ...base, id: 'survival', file: '/s/survival.toml', managed: { state: 'crashed', pid: null, lastExit: 'exit code 3', logFile: '/d/server-logs/survival.log' } },
  { ...base, id: 'creative', file: '/s/creative.toml', managed: { state: 'running', pid: 4242, lastExit: null, logFile: '/d/server-logs/creative.log' } },
  { ...base, id: 'lobby', file: '/s/lobby.toml', state: 'online' },
];

function renderPage() {
  const api = fakeApi();
  renderPanel(<ServersPage />, api, snapshot({ servers }));
  return { api, page: screen.getByRole('region', { name: 'Servers' }) };
}

describe('managed servers on the Servers page', () => {
  it('shows the lifecycle state with how the last run ended, and Start or Stop as it applies', () => {
    const { page } = renderPage();
    const survival = within(page).getByRole('row', { name: 'survival' });
    expect(within(survival).getByText('crashed').getAttribute('title')).toContain('last run: exit code 3');
    expect(within(survival).getByRole('button', { name: 'Start survival' })).toBeTruthy();
    const creative = within(page).getByRole('row', { name: 'creative' });
    expect(within(creative).getByText('running').getAttribute('title')).toContain('pid 4242');
    expect(within(creative).getByRole('button', { name: 'Stop creative' })).toBeTruthy();
    // A server the proxy does not manage keeps the probe's state and has neither button.
    const lobby = within(page).getByRole('row', { name: 'lobby' });
    expect(within(lobby).getByText('online')).toBeTruthy();
    expect(within(lobby).queryByRole('button', { name: /Start|Stop|Log of/ })).toBeNull();
  });

  it('Start and Stop call the host; a refusal is shown', async () => {
    const { api, page } = renderPage();
    api.startServer.mockResolvedValue({ ok: false, error: 'cannot run "java" in /srv/survival: spawn java ENOENT' });
    await act(async () => fireEvent.click(within(page).getByRole('button', { name: 'Start survival' })));
    expect(api.startServer).toHaveBeenCalledWith({ id: 'survival' });
    expect(screen.getByRole('alert').textContent).toContain('survival: cannot run "java"');
    api.stopServer.mockResolvedValue({ ok: true });
    await act(async () => fireEvent.click(within(page).getByRole('button', { name: 'Stop creative' })));
    expect(api.stopServer).toHaveBeenCalledWith({ id: 'creative' });
  });

  it('Log shows the last lines the server printed, and hides them again', async () => {
    const { api, page } = renderPage();
    api.serverLog.mockResolvedValue(['[Server thread/INFO]: Done (1.2s)! For help, type "help"', '[stderr] oops']);
    const button = within(page).getByRole('button', { name: 'Log of survival' });
    await act(async () => fireEvent.click(button));
    expect(api.serverLog).toHaveBeenCalledWith({ id: 'survival' });
    expect(within(page).getByLabelText('Output of survival').textContent).toBe('[Server thread/INFO]: Done (1.2s)! For help, type "help"\n[stderr] oops');
    await act(async () => fireEvent.click(button));
    expect(within(page).queryByLabelText('Output of survival')).toBeNull();
  });
});
