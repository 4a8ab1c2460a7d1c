// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, renderPanel, snapshot } from '../testing/fake-panel';
import { ConfigProblems } from './ConfigProblems';
import { PlayersList } from './PlayersList';
import { ServersList } from './ServersList';
import { StatusStrip } from './StatusStrip';

afterEach(cleanup);

describe('ConfigProblems', () => {
  it('shows a parse error with its line and column, and the warnings', () => {
    renderPanel(
      <ConfigProblems />,
      fakeApi(),
      snapshot({
        config: {
          file: '/data/infrarust.toml',
          error: { file: '/data/infrarust.toml', message: 'expected a value', line: 3, column: 8 },
          warnings: [{ message: 'infrarust.toml: [wasm] memory_limit_mb: must be an integer from 1 to 4096; using 64' }],
        },
      }),
    );
    expect(screen.getByRole('alert').textContent).toContain('Line 3, column 8: expected a value');
    expect(screen.getByText(/last good configuration stays in force/)).toBeTruthy();
    expect(screen.getByText('1 configuration warning')).toBeTruthy();
  });

  it('shows nothing for a clean file', () => {
    const { container } = renderPanel(<ConfigProblems />);
    expect(container.innerHTML).toBe('');
  });
});

describe('status, servers and players', () => {
  const snap = snapshot({
    proxy: { running: true, address: '127.0.0.1:25565', startedAt: 1, connections: 2 },
    players: [{ id: '1', username: 'Steve', uuid: 'u', remoteAddr: '127.0.0.1:5000', protocolVersion: 767, server: 'example', connectedAt: 0, mode: 'passthrough' }],
    servers: [{ id: 'example', file: '/s/example.toml', domains: ['localhost'], addresses: ['127.0.0.1:25566'], proxyMode: 'passthrough', state: 'online', players: 1, problem: null }],
  });

  it('the strip shows the proxy address and the player count', () => {
    renderPanel(<StatusStrip />, fakeApi(), snap);
    const strip = screen.getByLabelText('Status');
    expect(strip.textContent).toContain('listening on 127.0.0.1:25565');
    expect(strip.textContent).toMatch(/Players1/);
    expect(strip.textContent).toContain('connected');
  });

  it('servers and players come from the host', () => {
    renderPanel(
      <>
        <ServersList />
        <PlayersList />
      </>,
      fakeApi(),
      snap,
    );
    expect(screen.getByRole('region', { name: 'Servers' }).textContent).toContain('localhost → 127.0.0.1:25566 (passthrough)');
    expect(screen.getByRole('region', { name: 'Players (1)' }).textContent).toContain('Steve');
  });
});
