// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlayerView } from '../../../shared/proxy-views';
import { fakeApi, renderPanel, snapshot } from '../testing/fake-panel';
import { ProxyPage } from './ProxyPage';

afterEach(cleanup);

const alex: PlayerView = { id: '4', username: 'alex', uuid: '0bd4a0a8-0000-3000-8000-000000000001', remoteAddr: '127.0.0.1:53000', protocolVersion: 767, server: 'survival', connectedAt: Date.now() - 90_000, mode: 'offline' };

async function renderPage() {
  const api = fakeApi();
  api.bans.mockResolvedValue([]);
  const view = renderPanel(<ProxyPage />, api, snapshot({ players: [alex], proxy: { running: true, address: '127.0.0.1:25565', startedAt: Date.now() - 3_725_000, connections: 3 } }));
  await act(async () => undefined);
  return { ...view, api };
}

describe('ProxyPage', () => {
  it('shows the listening address and uptime', async () => {
    await renderPage();
    const page = screen.getByRole('region', { name: 'Proxy' });
    expect(page.textContent).toContain('Listening on127.0.0.1:25565');
    expect(page.textContent).toContain('Uptime1 h 2 min');
    expect(page.textContent).toContain('Open connections3');
  });

  it('lists live players with name, uuid, address, server and since when', async () => {
    await renderPage();
    const row = within(screen.getByRole('region', { name: 'Players (1)' })).getByRole('row', { name: 'alex' });
    for (const text of ['alex', alex.uuid, '127.0.0.1:53000', 'survival', '(1 min 30 s)']) expect(row.textContent).toContain(text);
  });

  it('bans a live player through the host, then shows the ban', async () => {
    const { api } = await renderPage();
    api.banPlayer.mockResolvedValue({ ok: true });
    fireEvent.click(screen.getByRole('button', { name: 'Ban alex' }));
    const form = screen.getByRole('form', { name: 'Ban alex' });
    fireEvent.change(within(form).getByLabelText('Ban by'), { target: { value: 'ip' } });
    fireEvent.change(within(form).getByLabelText('Reason'), { target: { value: 'griefing' } });
    fireEvent.change(within(form).getByLabelText('Duration'), { target: { value: '2' } });
    api.bans.mockResolvedValue([{ by: 'ip', value: '127.0.0.1', reason: 'griefing', expiresAt: Date.now() + 86_400_000, createdAt: Date.now(), source: 'panel' }]);
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Ban player' })));
    expect(api.banPlayer).toHaveBeenCalledWith({ id: '4', by: 'ip', reason: 'griefing', durationMinutes: 1440 });
    expect(screen.queryByRole('form', { name: 'Ban alex' })).toBeNull();
    const bans = screen.getByRole('region', { name: 'Bans (1)' });
    expect(bans.textContent).toContain('127.0.0.1');
    expect(bans.textContent).toContain('by panel');
    api.unban.mockResolvedValue({ ok: true });
    api.bans.mockResolvedValue([]);
    await act(async () => fireEvent.click(within(bans).getByRole('button', { name: 'Unban 127.0.0.1' })));
    expect(api.unban).toHaveBeenCalledWith({ by: 'ip', value: '127.0.0.1' });
    expect(screen.getByRole('region', { name: 'Bans (0)' }).textContent).toContain('No bans.');
  });

  it('disconnect asks the host; a refusal is shown', async () => {
    const { api } = await renderPage();
    api.disconnectPlayer.mockResolvedValue({ ok: false, error: 'player 4 is not online' });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Disconnect alex' })));
    expect(api.disconnectPlayer).toHaveBeenCalledWith({ id: '4' });
    expect(screen.getByRole('alert').textContent).toBe('player 4 is not online');
  });

  it('sends a message to and moves a player of a decoding mode; a passthrough player cannot be', async () => {
    const { api, panel } = await renderPage();
    act(() => panel.host.getState().applyEvent({ type: 'servers', servers: [
      { id: 'survival', file: '/s/survival.toml', domains: ['s.test'], addresses: ['127.0.0.1:1'], proxyMode: 'offline', state: 'online', players: 1, problem: null },
      { id: 'creative', file: '/s/creative.toml', domains: ['c.test'], addresses: ['127.0.0.1:2'], proxyMode: 'offline', state: 'online', players: 0, problem: null },
    ] }));
    const row = within(screen.getByRole('region', { name: 'Players (1)' })).getByRole('row', { name: 'alex' });
    expect(row.textContent).toContain('offline');
    api.messagePlayer.mockResolvedValue({ ok: true });
    fireEvent.click(screen.getByRole('button', { name: 'Message alex' }));
    const message = screen.getByRole('form', { name: 'Message alex' });
    fireEvent.change(within(message).getByLabelText('Message'), { target: { value: 'server restarts in 5 minutes' } });
    await act(async () => fireEvent.click(within(message).getByRole('button', { name: 'Send' })));
    expect(api.messagePlayer).toHaveBeenCalledWith({ id: '4', message: 'server restarts in 5 minutes' });
    expect(screen.queryByRole('form', { name: 'Message alex' })).toBeNull();

    api.movePlayer.mockResolvedValue({ ok: false, error: 'no backend address answered' });
    fireEvent.click(screen.getByRole('button', { name: 'Move alex' }));
    const move = screen.getByRole('form', { name: 'Move alex' });
    expect((within(move).getByLabelText('To server') as HTMLSelectElement).value).toBe('creative');
    await act(async () => fireEvent.click(within(move).getByRole('button', { name: 'Move player' })));
    expect(api.movePlayer).toHaveBeenCalledWith({ id: '4', server: 'creative' });
    expect(screen.getByRole('alert').textContent).toBe('no backend address answered');

    act(() => panel.host.getState().applyEvent({ type: 'players', players: [{ ...alex, mode: 'passthrough' }] }));
    expect((screen.getByRole('button', { name: 'Message alex' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Move alex' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('the event feed shows events as they arrive, newest first, with the plugins that changed the outcome', async () => {
    const { panel } = await renderPage();
    expect(screen.getByRole('region', { name: 'Events' }).textContent).toContain('No events yet');
    act(() => {
      panel.live.getState().applyEvent({ type: 'proxy-event', event: { seq: 1, time: 1000, kind: 'proxy-ping', summary: 'ping from 127.0.0.1:5', changes: [], durationMs: 0.2 } });
      panel.live.getState().applyEvent({
        type: 'proxy-event',
        event: { seq: 2, time: 2000, kind: 'pre-login', summary: 'bob from 127.0.0.1:6 → a.test', changes: [{ pluginId: 'guard', outcome: 'denied: "no"' }], durationMs: 1.5 },
      });
    });
    const items = within(screen.getByRole('list', { name: 'Event feed' })).getAllByRole('listitem').filter((li) => li.classList.contains('event'));
    expect(items.map((li) => li.querySelector('.event-kind')!.textContent)).toEqual(['pre-login', 'proxy-ping']);
    expect(items[0]!.textContent).toContain('guard → denied: "no"');
  });

  it('draws connections/s and bytes/s from the traffic samples', async () => {
    const { panel } = await renderPage();
    act(() => {
      for (const [i, c] of [0, 2, 5].entries()) {
        const event = { type: 'traffic', sample: { time: i * 1000, connectionsPerSec: c, bytesFromClientsPerSec: 2048, bytesFromBackendsPerSec: 100, activeConnections: 1 } } as const;
        // As connectStores does: every store sees every event.
        panel.live.getState().applyEvent(event);
        panel.host.getState().applyEvent(event);
      }
    });
    const traffic = screen.getByRole('region', { name: 'Traffic' });
    expect(within(traffic).getByRole('img', { name: 'connections/s: 5.0' })).toBeTruthy();
    expect(within(traffic).getByRole('img', { name: 'from clients: 2.0 KiB/s' })).toBeTruthy();
    expect(within(traffic).getByRole('img', { name: 'from backends: 100 B/s' })).toBeTruthy();
    // The samples also keep the open connection count current (3 in the snapshot).
    expect(screen.getByRole('region', { name: 'Proxy' }).textContent).toContain('Open connections1');
  });
});
