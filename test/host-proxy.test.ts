// The whole host with real parts: jco-loaded plugins, the real proxy on a real socket, and
// minecraft-protocol backends and clients. Plugin outcomes reach the client; hot reloads do not
// restart the proxy; a misbehaving plugin does not stop it.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/main/fs/atomic-write';
import { Host } from '../src/main/host/host';
import { startBackend, joinVia, pingVia, type Backend } from './support/minecraft-peers';
import { tempHost, type TempHost } from './support/temp-host';

describe('host: plugins and proxy together', () => {
  let tmp: TempHost;
  let host: Host;
  let backend: Backend;
  let port: number;

  beforeAll(async () => {
    tmp = await tempHost();
    backend = await startBackend('Backend A');
    await mkdir(join(tmp.dir, 'servers'));
    await writeFileAtomic(join(tmp.dir, 'servers', 'a.toml'), `domains = ["a.test"]\naddresses = ["127.0.0.1:${backend.port}"]\n`);
    await tmp.writeConfig('bind = "127.0.0.1:0"\n\n[wasm]\ncall_timeout_ms = 500\n');
    await tmp.addPlugin('events-echo');
    await tmp.addPlugin('minimal');
    await tmp.addPlugin('cpu-spin-event');
    host = await Host.start({ cwd: tmp.dir });
    port = Number(host.proxyStatus().address!.split(':').pop());
  });

  afterAll(async () => {
    await host?.stop();
    backend?.close();
    await tmp?.cleanup();
  });

  it('a plugin replaces the ping response, and a runaway one is stopped without stalling pings', async () => {
    expect(host.plugins.get('cpu_spin_event')!.state).toBe('enabled');
    // The spinner (priority 255) spins on the first ping until its 500 ms deadline, then is poisoned.
    const first = await pingVia(port, 'a.test');
    expect(first.description).toEqual({ text: 'echo MOTD' });
    expect(host.plugins.get('cpu_spin_event')).toMatchObject({ state: 'poisoned', poisonCause: 'cpu-deadline' });
    // Poisoned: the next ping never reaches it (it would spin to the deadline a second time).
    const again = await pingVia(port, 'a.test');
    expect(again.description).toEqual({ text: 'echo MOTD' });
    expect(host.plugins.pluginMetrics('cpu_spin_event').deadlineHits).toBe(1);
    expect(host.plugins.get('events_echo')!.state).toBe('enabled');
  });

  it("a plugin's pre-login denial reaches the client as its disconnect reason; others join the backend", async () => {
    const denied = await joinVia(port, 'a.test', 'denied_user', [backend]);
    expect(denied.kicked).toContain('Denied by events_echo');
    const ok = await joinVia(port, 'a.test', 'alice', [backend]);
    expect(ok.backend).toBe(0);
    expect(backend.logins).toContain('alice');
    expect(backend.logins).not.toContain('denied_user');
  });

  it('disabling a plugin hot-reloads it alone: the proxy keeps its socket and the ping loses that MOTD', async () => {
    const address = host.proxyStatus().address;
    const startedAt = host.proxyStatus().startedAt;
    await writeFileAtomic(join(tmp.dir, 'infrarust.toml'), 'bind = "127.0.0.1:0"\n\n[wasm]\ncall_timeout_ms = 500\n\n[plugins.events_echo]\nenabled = false\n');
    const { reloaded } = await host.reloadConfig();
    expect(reloaded).toEqual(['events_echo']);
    expect(host.plugins.get('events_echo')!.state).toBe('disabled');
    expect(host.plugins.get('minimal')!.state).toBe('enabled');
    const ping = await pingVia(port, 'a.test');
    expect(ping.description).toMatchObject({ text: 'Backend A' });
    expect(host.proxyStatus()).toMatchObject({ running: true, address, startedAt });
    const joined = await joinVia(port, 'a.test', 'denied_user', [backend]);
    expect(joined.backend).toBe(0);
  });
});
