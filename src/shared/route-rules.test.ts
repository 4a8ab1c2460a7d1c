import { describe, expect, it } from 'vitest';
import { addressProblem, domainProblem, routeProblems, type RouteSettings } from './route-rules';

const ROUTE: RouteSettings = { id: 'survival', domains: ['play.example.com'], addresses: ['127.0.0.1:25566'], motd: '', maxPlayers: 0, disconnectMessage: '', proxyMode: 'passthrough', forwarding: 'none', forwardingSecret: '' };

describe('route rules', () => {
  it.each(['play.example.com', 'PLAY.Example.com', '*.example.com', '*', 'mc-*.example.com', 'localhost', '127.0.0.1', 'a_b.test'])('accepts the domain %s', (d) => {
    expect(domainProblem(d)).toBeNull();
  });

  it.each(['', 'play example.com', 'play..example.com', '-bad.example.com', 'bad-.example.com', 'exa!mple.com', 'host:25565', `${'a'.repeat(64)}.com`])(
    'refuses the domain %j',
    (d) => {
      expect(domainProblem(d)).not.toBeNull();
    },
  );

  it.each(['127.0.0.1:25565', 'mc.example.com:1', '[::1]:25565', 'backend_1:65535'])('accepts the address %s', (a) => {
    expect(addressProblem(a)).toBeNull();
  });

  it.each([
    ['127.0.0.1', 'is not host:port'],
    ['127.0.0.1:0', 'outside 1–65535'],
    ['127.0.0.1:70000', 'outside 1–65535'],
    ['::1:25565', 'is not host:port'],
    ['[example]:25565', 'is not a host name or IP address'],
    ['bad host:25565', 'is not host:port'],
    ['-x:25565', 'is not a host name or IP address'],
  ])('refuses the address %s (%s)', (a, message) => {
    expect(addressProblem(a)).toContain(message);
  });

  it('flags a domain another server already routes (case-insensitively), but not the edited server itself', () => {
    const servers = [
      { id: 'lobby', domains: ['lobby.example.com', '*.example.com'] },
      { id: 'survival', domains: ['play.example.com'] },
    ];
    expect(routeProblems(ROUTE, servers, false)).toEqual([]);
    expect(routeProblems({ ...ROUTE, domains: ['play.example.com', 'LOBBY.example.com', '*.EXAMPLE.com'] }, servers, false)).toEqual([
      { field: 'domains', message: '"LOBBY.example.com" is already routed to server "lobby"' },
      { field: 'domains', message: '"*.EXAMPLE.com" is already routed to server "lobby"' },
    ]);
  });

  it('a new route needs a free, file-safe id; lists must not be empty or repeat themselves', () => {
    const servers = [{ id: 'survival', domains: [] }];
    expect(routeProblems(ROUTE, servers, true)).toEqual([{ field: 'id', message: 'a server named "survival" already exists' }]);
    const problems = routeProblems({ ...ROUTE, id: '../etc', domains: ['a.test', 'A.test'], addresses: [], maxPlayers: -1 }, [], true);
    expect(problems.map((p) => p.field)).toEqual(['id', 'domains', 'addresses', 'maxPlayers']);
    expect(problems[1]!.message).toBe('"A.test" is listed twice');
  });

  it('forwarding needs a decoding mode, velocity needs a secret, and modes come from the list', () => {
    const fields = (over: Partial<RouteSettings>) => routeProblems({ ...ROUTE, ...over }, [], false).map((p) => `${p.field}: ${p.message}`);
    expect(fields({ proxyMode: 'offline', forwarding: 'bungeecord' })).toEqual([]);
    expect(fields({ forwarding: 'bungeecord' })).toEqual(['forwarding: forwarding needs the offline or client_only mode (the proxy must complete the login)']);
    expect(fields({ proxyMode: 'client_only', forwarding: 'velocity' })).toEqual(['forwardingSecret: velocity forwarding needs the secret the backend is configured with']);
    expect(fields({ proxyMode: 'warp' as never })).toEqual(['proxyMode: one of passthrough, server_only, zero_copy, offline, client_only']);
  });
});
