// A real 0.3.0 guest (test/fixtures/js030/messenger.js) in the whole host with the offline decoding mode:
// plugin messages both ways on its registered channel, the send limits, chat and command decisions, a kick
// redirected to the lobby and a drained backend address skipped by new connections. Real proxy, real
// minecraft-protocol clients and servers.
import type { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/main/fs/atomic-write';
import { Host } from '../src/main/host/host';
import { until } from './support/minecraft-peers';
import { joinPlay, startPlayBackend, type PlayBackend, type PlayClient } from './support/play-peers';
import { tempHost, type TempHost } from './support/temp-host';

const VERSION = '1.21.4';
type Probe = { ok?: unknown; err?: { kind: string; message: string } };

describe('host: a 0.3.0 plugin on plugin channels, chat, kicks and the load balancer', () => {
  let tmp: TempHost;
  let host: Host;
  let lobby: PlayBackend;
  let gameA: PlayBackend;
  let gameB: PlayBackend;
  let port: number;
  const logs: string[] = [];
  /** Every `probe <name>` answer, in order (a name may repeat). */
  const probes = (name: string): Probe[] => logs.flatMap((l) => (l.startsWith(`probe ${name} `) ? [JSON.parse(l.slice(name.length + 7)) as Probe] : []));
  const last = (name: string): Probe | undefined => probes(name).at(-1);

  /** Custom payloads a peer received on demo:echo, as text. */
  const payloads = (peer: EventEmitter): string[] => {
    const got: string[] = [];
    peer.on('custom_payload', (p: { channel: string; data: Buffer }) => {
      if (p.channel === 'demo:echo') got.push(p.data.toString());
    });
    return got;
  };

  beforeAll(async () => {
    tmp = await tempHost();
    [lobby, gameA, gameB] = await Promise.all([startPlayBackend('Lobby', VERSION), startPlayBackend('GameA', VERSION), startPlayBackend('GameB', VERSION)]);
    const servers = join(tmp.dir, 'servers');
    await mkdir(servers);
    await writeFileAtomic(join(servers, 'lobby.toml'), `domains = ["lobby.test"]\naddresses = ["127.0.0.1:${lobby.port}"]\nproxy_mode = "offline"\n`);
    await writeFileAtomic(join(servers, 'game.toml'), `domains = ["game.test"]\naddresses = ["127.0.0.1:${gameA.port}", "127.0.0.1:${gameB.port}"]\nproxy_mode = "offline"\n`);
    await tmp.addPlugin('messenger-030');
    await tmp.writeConfig('bind = "127.0.0.1:0"\n\n[plugins.messenger]\npermissions = ["plugin-messaging", "chat-intercept", "server-manage"]\n');
    host = await Host.start({ cwd: tmp.dir });
    host.plugins.on('log', (l) => logs.push(l.message));
    port = Number(host.proxyStatus().address!.split(':').pop());
    // The plugin may have enabled before the listener above: its enable-time probes come from a reload.
    if (probes('register').length === 0) await host.plugins.reload('messenger');
    await until('messenger enabled', () => host.plugins.get('messenger')?.state === 'enabled' && probes('drain-unknown-address').length > 0);
  });

  afterAll(async () => {
    await host?.stop();
    for (const b of [lobby, gameA, gameB]) b?.close();
    await tmp?.cleanup();
  });

  it('answers the channel rules and send limits with their error kinds', () => {
    expect(last('register')).toEqual({ ok: null });
    expect(last('register-bad')!.err!.kind).toBe('invalid-argument');
    expect(last('send-player-gone')!.err!.kind).toBe('player-gone');
    expect(last('send-server-empty')!.err!.kind).toBe('unavailable');
    expect(last('send-client-too-big')!.err).toMatchObject({ kind: 'invalid-argument', message: expect.stringMatching(/1048576/) });
    expect(last('send-backend-too-big')!.err).toMatchObject({ kind: 'invalid-argument', message: expect.stringMatching(/32767/) });
    expect(last('send-bad-channel')!.err!.kind).toBe('invalid-argument');
    expect(last('strategy-unknown')!.err!.kind).toBe('not-found');
    expect(last('drain-unknown-address')!.err!.kind).toBe('not-found');
  });

  it('carries plugin messages both ways: the client’s is replaced and echoed, the backend’s forwarded or kept back', async () => {
    const ann = await joinPlay(port, 'lobby.test', 'Ann', lobby);
    const toClient = payloads(ann.client as unknown as EventEmitter);
    const server = lobby.players.get('Ann')!;
    const toBackend = payloads(server as unknown as EventEmitter);
    await until('in play', () => ann.joined);

    ann.client.write('custom_payload', { channel: 'demo:echo', data: Buffer.from('hello') });
    await until('the backend got the replaced payload', () => toBackend.includes('from-client:hello'));
    await until('the plugin answered the client', () => toClient.includes('echo:hello'));
    expect(last('send-to-player')).toEqual({ ok: null });
    expect(logs).toContain('event plugin-message client demo:echo hello play');

    // A channel nobody registered passes untouched and raises no event.
    ann.client.write('custom_payload', { channel: 'other:chan', data: Buffer.from('plain') });
    server.write('custom_payload', { channel: 'demo:echo', data: Buffer.from('drop') });
    server.write('custom_payload', { channel: 'demo:echo', data: Buffer.from('forwarded') });
    await until('the backend’s forwarded payload', () => toClient.includes('forwarded'));
    expect(toClient).not.toContain('drop');
    expect(logs.some((l) => l.includes('other:chan'))).toBe(false);

    // send-to-backend and send-to-server: one copy for the lobby's one address.
    server.write('custom_payload', { channel: 'demo:echo', data: Buffer.from('reply') });
    await until('send-to-backend arrived', () => toBackend.includes('backend-reply'));
    server.write('custom_payload', { channel: 'demo:echo', data: Buffer.from('broadcast') });
    await until('send-to-server arrived', () => toBackend.includes('to-every-address'));
    expect(last('send-to-server')).toEqual({ ok: 1 });
    await ann.leave();
  });

  it('denies and rewrites chat, and decides on commands', async () => {
    const bo = await joinPlay(port, 'lobby.test', 'Bo', lobby);
    await until('in play', () => bo.joined);
    bo.chat('deny me');
    await until('the denial reason shown', () => bo.messages.some((m) => m.includes('chat denied by messenger')));
    bo.chat('shout hello there');
    await until('the rewritten chat reached the lobby', () => lobby.chats.some((c) => c.username === 'Bo' && c.message === 'HELLO THERE'));
    expect(lobby.chats.some((c) => c.message === 'deny me' || c.message === 'shout hello there')).toBe(false);
    expect(logs).toContain('event chat-message deny me server=lobby current=allow');

    const commands: string[] = [];
    (lobby.players.get('Bo') as unknown as EventEmitter).on('chat_command', (p: { command: string }) => commands.push(p.command));
    bo.chat('/rename me');
    bo.chat('/plain');
    await until('the modified and the plain command reached the lobby', () => commands.includes('plain'));
    expect(commands).toEqual(['renamed by messenger', 'plain']);
    await bo.leave();
  });

  it('sends a player kicked from the game back to the lobby, and keeps new connections off a drained address', async () => {
    const cy = await joinPlay(port, 'game.test', 'Cy', gameA);
    await until('server-post-connect seen', () => logs.includes('event server-post-connect Cy game from=null'));
    gameA.kick('Cy', 'game over');
    await until('redirected to the lobby', () => lobby.players.has('Cy'));
    expect(cy.ended).toBe(false);
    expect(logs).toContain('event kicked-from-server game current=disconnect-player');

    // Drain game's first address through a command the plugin handles.
    cy.chat(`/drain game 127.0.0.1 ${gameA.port}`);
    await until('drained', () => last('drain') !== undefined && last('backends') !== undefined);
    expect(last('drain')).toEqual({ ok: null });
    const drained = (last('backends')!.ok as { address: { port: number }; state: string; ejections: number; activeConnections: number }[]).map((b) => [b.address.port, b.state]);
    expect(drained).toEqual([
      [gameA.port, 'draining'],
      [gameB.port, 'healthy'],
    ]);
    await until('the command was denied with its message', () => cy.messages.some((m) => m.includes('drained')));

    const dee: PlayClient = await joinPlay(port, 'game.test', 'Dee', gameB);
    expect(gameA.players.has('Dee')).toBe(false);
    cy.chat(`/undrain game 127.0.0.1 ${gameA.port}`);
    await until('undrained', () => last('undrain') !== undefined && probes('backends').length >= 2);
    const after = last('backends')!.ok as { address: { port: number }; state: string; activeConnections: number }[];
    expect(after.map((b) => [b.address.port, b.state, b.activeConnections])).toEqual([
      [gameA.port, 'healthy', 0],
      [gameB.port, 'healthy', 1],
    ]);
    const eve = await joinPlay(port, 'game.test', 'Eve', gameA);
    await Promise.all([cy.leave(), dee.leave(), eve.leave()]);
  });
});
