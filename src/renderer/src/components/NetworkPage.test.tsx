// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { NetworkView, PlayerView } from '../../../shared/proxy-views';
import { fakeApi, renderPanel, snapshot } from '../testing/fake-panel';
import { NetworkPage } from './NetworkPage';

afterEach(cleanup);

const now = Date.now();
const network: NetworkView = {
  enabled: true,
  proxyId: 'eu-1',
  state: 'connected',
  redis: 'redis://10.0.0.9:6379',
  error: null,
  since: now - 60_000,
  proxies: [
    { id: 'eu-1', address: '0.0.0.0:25565', players: 1, lastHeartbeat: now, health: 'self' },
    { id: 'eu-2', address: '10.0.0.2:25565', players: 1, lastHeartbeat: now - 5_000, health: 'late' },
  ],
};
const player = (id: string, username: string, proxy: string): PlayerView => ({
  id,
  username,
  uuid: `0bd4a0a8-0000-3000-8000-00000000000${id}`,
  remoteAddr: '203.0.113.9:50000',
  protocolVersion: 767,
  server: 'lobby',
  connectedAt: now - 1000,
  mode: 'passthrough',
  proxy,
});

async function renderPage(view: NetworkView) {
  const api = fakeApi();
  api.network.mockResolvedValue(view);
  const rendered = renderPanel(<NetworkPage />, api, snapshot({ players: [player('1', 'alex', 'eu-1'), player('2', 'sam', 'eu-2')] }));
  await act(async () => undefined);
  return { ...rendered, api };
}

describe('NetworkPage', () => {
  it('lists the proxies with address, players, heartbeat age and health, and the network\'s players with their proxy', async () => {
    await renderPage(network);
    expect(screen.getByText('connected')).toBeTruthy();
    const proxies = screen.getByRole('table', { name: 'Proxies' });
    const self = within(proxies).getByRole('row', { name: /eu-1/ });
    expect(self.textContent).toContain('(this proxy)');
    expect(self.textContent).toContain('0.0.0.0:25565');
    const other = within(proxies).getByRole('row', { name: 'eu-2' });
    for (const text of ['10.0.0.2:25565', '5 s ago', 'late']) expect(other.textContent).toContain(text);
    const players = screen.getByRole('region', { name: 'Network players (2)' });
    expect(within(players).getByRole('row', { name: 'sam' }).textContent).toContain('eu-2');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('warns while Redis is unreachable', async () => {
    await renderPage({ ...network, state: 'redis-down', error: 'connect ECONNREFUSED 10.0.0.9:6379', proxies: network.proxies.slice(0, 1) });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Redis at redis://10.0.0.9:6379 is unreachable (connect ECONNREFUSED 10.0.0.9:6379)');
    expect(alert.textContent).toContain('serves with its own bans and players');
    expect(screen.getByText('Redis unreachable')).toBeTruthy();
  });

  it('runs a command on every proxy or on one, and shows each answer', async () => {
    const { api } = await renderPage(network);
    api.runNetworkCommand.mockResolvedValue([
      { proxy: 'eu-1', ok: true, output: 'reloaded' },
      { proxy: 'eu-2', ok: false, output: 'no answer within 3000 ms' },
    ]);
    fireEvent.change(screen.getByLabelText('Command'), { target: { value: 'reload' } });
    await act(async () => fireEvent.submit(screen.getByRole('form', { name: 'Network command' })));
    expect(api.runNetworkCommand).toHaveBeenCalledWith({ line: 'reload', target: '*' });
    const answers = screen.getByRole('list', { name: 'Answers' });
    expect(answers.textContent).toContain('eu-1reloaded');
    expect(answers.textContent).toContain('eu-2no answer within 3000 ms');
    fireEvent.change(screen.getByLabelText('Target proxy'), { target: { value: 'eu-2' } });
    await act(async () => fireEvent.submit(screen.getByRole('form', { name: 'Network command' })));
    expect(api.runNetworkCommand).toHaveBeenLastCalledWith({ line: 'reload', target: 'eu-2' });
  });

  it('explains how to turn cluster mode on when it is off', async () => {
    await renderPage({ enabled: false, proxyId: null, state: 'off', redis: null, error: null, since: null, proxies: [] });
    expect(screen.getByRole('region', { name: 'Network' }).textContent).toContain('This proxy runs alone');
  });
});
