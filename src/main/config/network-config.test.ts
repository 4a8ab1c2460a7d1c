// infrarust.toml keys for running several proxies as one network: PROXY protocol in, and [cluster].
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config';
import type { ConfigWarning, HostConfig } from './types';
import { parseServerFile } from '../proxy/server-file';

let cwd: string;
beforeEach(() => void (cwd = mkdtempSync(join(tmpdir(), 'network-config-'))));
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

function load(text: string): { config: HostConfig; warnings: string[] } {
  writeFileSync(join(cwd, 'infrarust.toml'), text);
  const result = loadConfig({ cwd });
  if (!result.ok) throw new Error(result.error.message);
  return { config: result.config, warnings: result.warnings.map((w: ConfigWarning) => w.message.slice(w.message.indexOf(': ') + 2)) };
}

describe('receive_proxy_protocol and trusted_proxies', () => {
  it('are off and empty by default', () => {
    const { config, warnings } = load('');
    expect(config.proxy.receiveProxyProtocol).toBe(false);
    expect(config.proxy.trustedProxies).toEqual([]);
    expect(config.cluster).toBeNull();
    expect(warnings).toEqual([]);
  });

  it('keep addresses and CIDR ranges of both families, dropping bad entries with a warning', () => {
    const { config, warnings } = load('receive_proxy_protocol = true\ntrusted_proxies = ["10.0.0.0/8", "192.0.2.1", "fd00::/8", "nope", 5, "10.0.0.0/40"]\n');
    expect(config.proxy.receiveProxyProtocol).toBe(true);
    expect(config.proxy.trustedProxies).toEqual(['10.0.0.0/8', '192.0.2.1', 'fd00::/8']);
    expect(warnings).toEqual([
      'trusted_proxies: "nope" is not an address or CIDR range; dropped',
      'trusted_proxies: 5 is not an address or CIDR range; dropped',
      'trusted_proxies: "10.0.0.0/40" is not an address or CIDR range; dropped',
    ]);
  });

  it('warn when every peer may send a header, when the list has no effect, and on wrong types', () => {
    expect(load('receive_proxy_protocol = true\n').warnings[0]).toMatch(/^trusted_proxies: empty: every peer must send a PROXY header/);
    expect(load('trusted_proxies = ["10.0.0.1"]\n').warnings).toEqual(['trusted_proxies: has no effect while receive_proxy_protocol is false']);
    const bad = load('receive_proxy_protocol = "yes"\ntrusted_proxies = "10.0.0.1"\n');
    expect(bad.config.proxy.receiveProxyProtocol).toBe(false);
    expect(bad.warnings).toEqual([
      'receive_proxy_protocol: must be true or false; using false',
      'trusted_proxies: must be an array of addresses or CIDR ranges; using []',
    ]);
  });
});

describe('[cluster]', () => {
  it('turns cluster mode on with defaults for every key but redis', () => {
    const { config, warnings } = load('bind = "0.0.0.0:25577"\n[cluster]\nredis = "redis://10.0.0.9:6379"\n');
    expect(warnings).toEqual([]);
    expect(config.cluster).toEqual({
      redis: 'redis://10.0.0.9:6379',
      proxyId: `${hostname()}:25577`,
      heartbeatMs: 1000,
      deadAfterMs: 30_000,
      duplicateLogin: 'refuse_new',
    });
  });

  it('reads every key, durations as strings too', () => {
    const { config } = load('[cluster]\nredis = "rediss://user:pw@redis.example:6380/2"\nproxy_id = "eu-1"\nheartbeat_interval = "200ms"\ndead_after = "2s"\nduplicate_login = "kick_old"\n');
    expect(config.cluster).toMatchObject({ proxyId: 'eu-1', heartbeatMs: 200, deadAfterMs: 2000, duplicateLogin: 'kick_old' });
  });

  it('a missing or bad redis URL leaves cluster mode off, with a warning; other bad values fall back', () => {
    for (const text of ['[cluster]\n', '[cluster]\nredis = "http://x:1"\n', '[cluster]\nredis = 6379\n']) {
      const { config, warnings } = load(text);
      expect(config.cluster).toBeNull();
      expect(warnings).toEqual(['[cluster] redis: must be "redis://host:port" (or rediss://); cluster mode is off']);
    }
    const { config, warnings } = load('[cluster]\nredis = "redis://r:1"\nduplicate_login = "both"\nheartbeat_interval = 5\ndead_after = 1000\nextra = 1\n');
    expect(config.cluster).toMatchObject({ heartbeatMs: 1000, deadAfterMs: 2000, duplicateLogin: 'refuse_new' });
    expect(warnings).toEqual([
      '[cluster] extra: unknown key ignored',
      '[cluster] heartbeat_interval: must be milliseconds from 50 to 60000 or a duration like "5s"; using 1000',
      '[cluster] dead_after: must be at least twice heartbeat_interval (1000 ms); using 2000',
      '[cluster] duplicate_login: must be "refuse_new" or "kick_old"; using "refuse_new"',
    ]);
  });
});

describe('send_proxy_protocol in servers/*.toml', () => {
  it('is false by default, true when set, and an error when not a boolean', () => {
    const base = 'domains = ["a.test"]\naddresses = ["127.0.0.1:25566"]\n';
    const off = parseServerFile('a', 'a.toml', base);
    expect(off.ok && off.server.sendProxyProtocol).toBe(false);
    const on = parseServerFile('a', 'a.toml', `${base}send_proxy_protocol = true\n`);
    expect(on.ok && on.server.sendProxyProtocol).toBe(true);
    const bad = parseServerFile('a', 'a.toml', `${base}send_proxy_protocol = "yes"\n`);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors[0]).toMatchObject({ message: '`send_proxy_protocol` must be true or false', line: 3 });
  });
});
