import { describe, expect, it } from 'vitest';
import { DomainRouter } from './domain-router.ts';
import { parseAddress, parseServerFile } from './server-file.ts';

describe('server files', () => {
  it('reads domains, addresses, motd table and limits', () => {
    const r = parseServerFile(
      'lobby',
      '/s/lobby.toml',
      `domains = ["Lobby.Example.com", "*.lobby.example.com"]
addresses = ["10.0.0.1:25566", "[::1]:25567", "backup.local"]
proxy_mode = "passthrough"
max_players = 20
disconnect_message = "Lobby is down"
[motd]
text = "§aWelcome"
version_name = "Lobby 1.21"
favicon = "data:image/png;base64,AAAA"
`,
    );
    expect(r).toMatchObject({
      ok: true,
      warnings: [],
      server: {
        id: 'lobby',
        domains: ['lobby.example.com', '*.lobby.example.com'],
        addresses: [
          { host: '10.0.0.1', port: 25566 },
          { host: '::1', port: 25567 },
          { host: 'backup.local', port: 25565 },
        ],
        maxPlayers: 20,
        disconnectMessage: 'Lobby is down',
        motd: { text: '§aWelcome', versionName: 'Lobby 1.21', favicon: 'data:image/png;base64,AAAA' },
      },
    });
  });

  it('accepts a plain-text motd and ignores a disabled motd table', () => {
    const plain = parseServerFile('a', 'a.toml', 'domains = ["a"]\naddresses = ["h:1"]\nmotd = "Hi"\n');
    expect(plain.ok && plain.server.motd?.text).toBe('Hi');
    const off = parseServerFile('a', 'a.toml', 'domains = ["a"]\naddresses = ["h:1"]\n[motd]\nenabled = false\ntext = "x"\n');
    expect(off.ok && off.server.motd).toBeUndefined();
  });

  it('reports TOML syntax errors with line and column', () => {
    const r = parseServerFile('a', 'a.toml', 'domains = ["a"]\nmax_players = = 3\naddresses = ["h:1"]\n');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatchObject({ line: 2, column: expect.any(Number) });
      expect(r.errors[0].message).not.toContain('\n');
    }
  });

  it('reads every proxy mode; decoded modes take forwarding, velocity needs its secret', () => {
    const parse = (extra: string) => parseServerFile('a', 'a.toml', `domains = ["a"]\naddresses = ["h:1"]\n${extra}`);
    for (const mode of ['passthrough', 'server_only', 'offline', 'client_only']) {
      expect(parse(`proxy_mode = "${mode}"\n`)).toMatchObject({ ok: true, warnings: [], server: { proxyMode: mode, forwarding: 'none' } });
    }
    const zero = parse('proxy_mode = "zero_copy"\n');
    expect(zero).toMatchObject({ ok: true, server: { proxyMode: 'zero_copy' } });
    expect(zero.ok && zero.warnings[0].message).toMatch(/runs as passthrough/);
    expect(parse('proxy_mode = "client_only"\nforwarding = "velocity"\nforwarding_secret = "s3cret"\n')).toMatchObject({
      ok: true,
      server: { proxyMode: 'client_only', forwarding: 'velocity', forwardingSecret: 's3cret' },
    });
    expect(parse('proxy_mode = "offline"\nforwarding = "bungeecord"\n')).toMatchObject({ ok: true, server: { forwarding: 'bungeecord', forwardingSecret: undefined } });
  });

  it('rejects unknown modes and forwarding that cannot work, pointing at the key', () => {
    const cases: [string, RegExp, number][] = [
      ['  proxy_mode = "warp"\n', /unknown proxy_mode "warp"; expected one of passthrough, server_only, zero_copy, offline, client_only/, 3],
      ['forwarding = "bungeecord"\n', /needs proxy_mode "offline" or "client_only"/, 3],
      ['proxy_mode = "offline"\nforwarding = "legacy"\n', /unknown forwarding "legacy"/, 4],
      ['proxy_mode = "offline"\nforwarding = "velocity"\n', /needs `forwarding_secret`/, 4],
    ];
    for (const [extra, message, line] of cases) {
      const r = parseServerFile('a', 'a.toml', `domains = ["a"]\naddresses = ["h:1"]\n${extra}`);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.errors[0].message).toMatch(message);
        expect(r.errors[0].line).toBe(line);
      }
    }
    const stray = parseServerFile('a', 'a.toml', 'domains = ["a"]\naddresses = ["h:1"]\nforwarding_secret = "x"\n');
    expect(stray.ok && stray.warnings[0].message).toMatch(/only used with forwarding = "velocity"/);
  });

  it('collects every validation error and warns about unknown keys', () => {
    const r = parseServerFile('a', 'a.toml', 'domains = []\naddresses = ["h:99999"]\nmax_players = -1\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.line)).toEqual([1, 2, 3]);
    const w = parseServerFile('a', 'a.toml', 'domains = ["a"]\naddresses = ["h:1"]\ncolour = "red"\n');
    expect(w.ok && w.warnings).toEqual([{ message: 'unknown key `colour` ignored', line: 3, column: 1 }]);
  });

  it('parses addresses', () => {
    expect(parseAddress('0.0.0.0:0')).toBeUndefined();
    expect(parseAddress('0.0.0.0:0', true)).toEqual({ host: '0.0.0.0', port: 0 });
    expect(parseAddress('a b:1')).toBeUndefined();
  });
});

describe('domain routing', () => {
  const router = new DomainRouter([
    { id: 'wild', domains: ['*.example.com'] },
    { id: 'deep', domains: ['*.eu.example.com'] },
    { id: 'exact', domains: ['play.example.com'] },
    { id: 'zzz', domains: ['play.example.com'] },
  ]);

  it('prefers exact names, then the most specific wildcard', () => {
    expect(router.resolve('play.example.com')).toBe('exact');
    expect(router.resolve('x.eu.example.com')).toBe('deep');
    expect(router.resolve('x.example.com')).toBe('wild');
    expect(router.resolve('example.com')).toBeUndefined();
  });

  it('reports a domain claimed twice; the first id in sort order keeps it', () => {
    expect(router.conflicts).toEqual([{ domain: 'play.example.com', winner: 'exact', loser: 'zzz' }]);
  });
});
