// Ban and permission providers (contract 0.3.0 §4.6) with real 0.3.0 guests (test/fixtures/js030/guard.js
// and consumer.js), the real proxy and minecraft-protocol clients: the provider answers the proxy's ban checks
// at each stage, stores what ban-service issues, fails closed for logins and open for pings; its snapshots
// answer has-permission and command permissions; config documents reach a plugin redacted, and its write
// keeps the file's hand edits.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginLogLine } from '../src/shared/plugin-state';
import type { Host } from '../src/main/host/host';
import { joinAndStay, joinVia, pingVia, startBackend, until, type Backend } from './support/minecraft-peers';
import { tempHost, type TempHost } from './support/temp-host';

const CONFIG = (port = 0) => `# hand-written: keep me
bind = "127.0.0.1:${port}"

[wasm]
call_timeout_ms = 1500

[panel]
token = "panel-token-never-for-plugins"

[ban]
provider = "guard"
check_timeout = "1s"

[permissions]
provider = "guard"

# the provider
[plugins.guard]
permissions = ["ban-provider", "permission-provider", "ban"]

[plugins.consumer]
permissions = ["ban", "config-write"]

[plugins.consumer.settings]
mood = "curious"

[plugins.someone_else.settings]
api_key = "someone-elses-api-key"
`;

describe('0.3.0 ban and permission providers through the proxy', () => {
  let tmp: TempHost;
  let host: Host;
  let backend: Backend;
  let port: number;
  const lines: PluginLogLine[] = [];
  /** The JSON a consumer command logged (`<name> <json>`), after `from` lines. */
  const answer = async (name: string, from: number) => {
    const line = await until(`${name} answered`, () => lines.slice(from).find((l) => l.pluginId === 'consumer' && l.message.startsWith(`${name} `)));
    return JSON.parse(line.message.slice(name.length + 1)) as { ok?: unknown; err?: { kind: string; message: string } };
  };
  const command = async (line: string) => {
    const from = lines.length;
    await host.runCommand(line);
    return answer(line.split(' ')[0]!, from);
  };

  beforeAll(async () => {
    tmp = await tempHost();
    backend = await startBackend('Backend A');
    await tmp.addPlugin('guard-030');
    await tmp.addPlugin('consumer-030');
    ({ host, port } = await tmp.run({
      servers: {
        a: `domains = ["a.test"]\naddresses = ["127.0.0.1:${backend.port}"]\n`,
        o: `domains = ["o.test"]\naddresses = ["127.0.0.1:${backend.port}"]\nproxy_mode = "offline"\nforwarding = "velocity"\nforwarding_secret = "velocity-secret-never-for-plugins"\n`,
      },
      config: CONFIG(),
      listen: (h) => h.plugins.on('log', (l) => lines.push(l)),
    }));
  });

  afterAll(async () => {
    await tmp?.cleanup();
    backend?.close();
  });

  it('the selected plugin registers; others get conflict', () => {
    expect(host.plugins.get('guard')!.state).toBe('enabled');
    expect(host.plugins.providers.bans.registeredBy()).toBe('guard');
    expect(host.plugins.providers.permissions.registeredBy()).toBe('guard');
    expect(host.plugins.providers.bans.register('consumer', { ipRanges: true, pagination: false })).toMatchObject({ tag: 'err', val: { kind: 'conflict' } });
  });

  it('checks pings (address only) and logins (username first, then uuid in a decoding mode)', async () => {
    const from = lines.length;
    await pingVia(port, 'a.test');
    expect((await joinVia(port, 'a.test', 'alice', [backend])).backend).toBe(0);
    expect((await joinVia(port, 'o.test', 'olga', [backend])).backend).toBe(0);
    const checks = lines.slice(from).filter((l) => l.pluginId === 'guard' && l.message.startsWith('check ')).map((l) => l.message);
    expect(checks).toEqual(['check status - - false', 'check pre-auth alice uuid false', 'check pre-auth olga uuid false', 'check post-auth olga uuid false']);
  });

  it('ban-service reaches the provider: ban-issued fires, the covered player is kicked, the next login refused with its message', async () => {
    const mallory = await joinAndStay(port, 'a.test', 'mallory', backend);
    const from = lines.length;
    const banned = await command('cban Mallory');
    expect(banned.ok).toMatchObject({ id: 'g1', target: { tag: 'username', val: 'mallory' }, reason: 'testing', source: 'plugin:consumer' });
    expect(lines.some((l) => l.pluginId === 'guard' && l.message === 'stored {"tag":"username","val":"mallory"} from {"tag":"plugin","val":"consumer"}')).toBe(true);
    await until('ban-issued', () => lines.slice(from).find((l) => l.message.startsWith('event ban-issued')));
    await mallory.ended;
    expect((await joinVia(port, 'a.test', 'mallory', [backend])).kicked).toContain('Banned by guard: testing');
    expect((await command('clist')).ok).toEqual(['g1']);
    // Without the ip-ranges feature a range never reaches the provider.
    expect((await command('crange')).err!.kind).toBe('unsupported');
    const revoked = lines.length;
    expect((await command('cunban mallory')).ok).toMatchObject({ id: 'g1' });
    await until('ban-revoked', () => lines.slice(revoked).find((l) => l.message.startsWith('event ban-revoked')));
    expect((await joinVia(port, 'a.test', 'mallory', [backend])).backend).toBe(0);
  });

  it('the provider calling ban-service from its own call gets unavailable at once', async () => {
    const from = lines.length;
    await host.runCommand('selfban');
    const line = await until('selfban', () => lines.slice(from).find((l) => l.pluginId === 'guard' && l.message.startsWith('selfban ')));
    expect(JSON.parse(line.message.slice('selfban '.length)).err.kind).toBe('unavailable');
  });

  it('an err, a trap or a deadline refuses the login with the reference message; pings are still answered', async () => {
    const message = 'Your ban status cannot be checked right now. Please try again later.';
    expect((await joinVia(port, 'a.test', 'errme', [backend])).kicked).toContain(message);
    expect(host.plugins.get('guard')!.state).toBe('enabled');
    expect((await joinVia(port, 'a.test', 'trapme', [backend])).kicked).toContain(message);
    expect((await joinVia(port, 'a.test', 'spinme', [backend])).kicked).toContain(message);
    // The spin was a fault: the provider recovers in a fresh instance and keeps its registration.
    expect((await pingVia(port, 'a.test')).description).toMatchObject({ text: 'Backend A' });
    await until('guard recovered', () => host.plugins.get('guard')!.state === 'enabled', 10_000);
    expect(host.plugins.providers.bans.registeredBy()).toBe('guard');
    expect((await joinVia(port, 'a.test', 'bob', [backend])).backend).toBe(0);
  });

  it('snapshots answer has-permission and gate commands; the console has its own snapshot', async () => {
    const carol = await joinAndStay(port, 'a.test', 'carol', backend);
    const al = await joinAndStay(port, 'a.test', 'admin_al', backend);
    const idOf = (name: string) => host.players().find((p) => p.username === name)!.id;
    await until('snapshots held', () => host.plugins.providers.permissions.snapshotOf(BigInt(idOf('carol'))).rules.length > 0 && host.plugins.providers.permissions.snapshotOf(BigInt(idOf('admin_al'))).admin);
    expect((await command(`cperm ${idOf('carol')} guard.fly`)).ok).toBe(true);
    expect((await command(`cperm ${idOf('carol')}  GUARD.Secret `)).ok).toBe(false);
    expect((await command(`cperm ${idOf('carol')} other.node`)).ok).toBe(false);
    expect((await command(`cperm ${idOf('admin_al')} guard.secret`)).ok).toBe(true);
    expect((await command('cperm 999999 guard.fly')).err!.kind).toBe('player-gone');
    // The console's snapshot denies guard.secret: the command never reaches the plugin.
    const from = lines.length;
    expect(await host.runCommand('secret')).toEqual({ ok: false, output: 'missing permission guard.secret' });
    expect(lines.slice(from).some((l) => l.message === 'secret ran')).toBe(false);
    await carol.leave();
    await al.leave();
  });

  it('config documents are redacted; a write keeps the hand edits and is validated', async () => {
    const doc = (await command('cdoc')).ok as string;
    const eff = (await command('ceff')).ok as string;
    for (const d of [doc, eff]) {
      expect(d).not.toContain('panel-token-never-for-plugins');
      expect(d).not.toContain('someone-elses-api-key');
      expect(d).not.toContain('[panel]');
      expect(d).toContain('mood = "curious"');
    }
    expect(eff).toContain('memory_limit_mb = 64');
    const server = (await command('csrv o')).ok as string;
    expect(server).toContain('proxy_mode = "offline"');
    expect(server).not.toContain('velocity-secret-never-for-plugins');
    expect((await command('csrv nope')).ok).toBeNull();

    expect((await command('cwrite 77')).ok).toBeNull();
    const text = await readFile(join(tmp.dir, 'infrarust.toml'), 'utf8');
    expect(text).toContain('# hand-written: keep me');
    expect(text).toContain('# the provider');
    expect(text).toContain('token = "panel-token-never-for-plugins"');
    expect(text).toContain('api_key = "someone-elses-api-key"');
    expect(text).toMatch(/^max_connections = 77$/m);
    expect((await command('cwritepanel')).err!.kind).toBe('permission-denied');
    expect((await command('cwrite 0')).err!.kind).toBe('invalid-argument');
    expect(await readFile(join(tmp.dir, 'infrarust.toml'), 'utf8')).toBe(text);
  });

  it('an address ban refuses pings too', async () => {
    expect((await command('cbanip')).ok).toMatchObject({ target: { tag: 'ip' } });
    await expect(pingVia(port, 'a.test')).rejects.toThrow();
    expect((await joinVia(port, 'a.test', 'dave', [backend])).kicked).toContain('Banned by guard');
  });
});

describe('a selected ban provider that never registers', () => {
  let tmp: TempHost;
  let backend: Backend;

  afterAll(async () => {
    await tmp?.cleanup();
    backend?.close();
  });

  it('refuses logins and answers pings', async () => {
    tmp = await tempHost();
    backend = await startBackend('Backend B');
    const { port } = await tmp.run({
      servers: { b: `domains = ["b.test"]\naddresses = ["127.0.0.1:${backend.port}"]\n` },
      config: 'bind = "127.0.0.1:0"\n\n[ban]\nprovider = "absent"\n',
    });
    expect((await pingVia(port, 'b.test')).description).toMatchObject({ text: 'Backend B' });
    expect((await joinVia(port, 'b.test', 'erin', [backend])).kicked).toContain('Your ban status cannot be checked right now');
    expect(backend.logins).not.toContain('erin');
  });
});

describe('strict_capabilities', () => {
  let tmp: TempHost;
  afterAll(async () => tmp?.cleanup());

  it('turns the load-time warning about an ungranted gated import into a load failure with the same message', async () => {
    tmp = await tempHost();
    await tmp.addPlugin('consumer-030');
    await tmp.writeConfig('[plugins.consumer]\npermissions = ["ban"]\n');
    const lenient = tmp.manager();
    await lenient.loadAll();
    const view = lenient.get('consumer')!;
    expect(view.state).toBe('enabled');
    const warning = view.warnings.find((w) => w.includes('server-manager@0.3.0'))!;
    expect(warning).toContain('without that capability');
    await lenient.shutdown();

    await tmp.writeConfig('[plugins.consumer]\npermissions = ["ban"]\nstrict_capabilities = true\n');
    const strict = tmp.manager();
    await strict.loadAll();
    const refused = strict.get('consumer')!;
    expect(refused.state).toBe('capability-denied');
    expect(refused.reason).toContain(warning);
    expect(refused.missingCapabilities).toContain('server-manage');
  });
});
