// The offline proxy mode against real peers (minecraft-protocol servers and clients) for 1.8.9, one
// 1.20.x and the newest 1.21.x: login, chat both ways through plugins' decisions, messages and titles to
// the client, moves between two backends, kicks redirected, and hostile frames that close only their
// own connection. Backends compress (minecraft-protocol's default threshold, 256). Only the event
// dispatcher is a test double.

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { codecFor } from './decoded-protocol.ts';
import { offlineUuid } from './offline-uuid.ts';
import { connect } from 'node:net';
import { encodeHandshake } from './handshake.ts';
import { encodePacket, encodeString, readVarInt } from './packet-codec.ts';
import { systemMessage } from './player-packets.ts';
import { createProxy, type Proxy } from './proxy.ts';
import { freePort, until } from '../../../test/support/minecraft-peers.ts';
import { FakeDispatcher } from '../../../test/support/fake-dispatcher.ts';
import { joinPlay, playClient, startPlayBackend, type PlayBackend } from '../../../test/support/play-peers.ts';

const VERSIONS = ['1.8.9', '1.20.4', '1.21.4'] as const;
const LONG = 'x'.repeat(400); // above the compression threshold

describe('offline mode with real Minecraft peers', () => {
  let dir: string;
  let proxy: Proxy;
  let port: number;
  const dispatcher = new FakeDispatcher();
  const logs: string[] = [];
  const backends = new Map<string, { a: PlayBackend; b: PlayBackend }>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'decoded-test-'));
    const serversDir = join(dir, 'servers');
    await mkdir(serversDir);
    const downPort = await freePort();
    for (const v of VERSIONS) {
      const [a, b] = await Promise.all([startPlayBackend(`A ${v}`, v), startPlayBackend(`B ${v}`, v)]);
      backends.set(v, { a, b });
      const id = v.replaceAll('.', '_');
      await writeFileAtomic(join(serversDir, `a${id}.toml`), `domains = ["a.${v}.test"]\naddresses = ["127.0.0.1:${a.port}"]\nproxy_mode = "offline"\n`);
      await writeFileAtomic(join(serversDir, `b${id}.toml`), `domains = ["b.${v}.test"]\naddresses = ["127.0.0.1:${b.port}"]\nproxy_mode = "offline"\n`);
    }
    await writeFileAtomic(join(serversDir, 'down.toml'), `domains = ["down.test"]\naddresses = ["127.0.0.1:${downPort}"]\nproxy_mode = "offline"\n`);
    proxy = createProxy({
      settings: {
        bind: '127.0.0.1:0',
        serversDir,
        connectTimeoutMs: 3000,
        maxConnections: 64,
        unknownDomainBehavior: 'drop',
        defaultMotd: { text: 'x', versionName: 'x', maxPlayers: 1 },
        dataDir: join(dir, 'data'),
        sessionServer: 'http://127.0.0.1:1',
      },
      dispatcher,
      log: (level, message) => logs.push(`${level} ${message}`),
      probeIntervalMs: 3_600_000,
    });
    ({ port } = await proxy.start());
  });

  afterAll(async () => {
    await proxy?.stop();
    for (const { a, b } of backends.values()) {
      a.close();
      b.close();
    }
    await rm(dir, { recursive: true, force: true });
  });

  const idOf = (name: string) => proxy.players.getByUsername(name)!.id;

  describe.each(VERSIONS)('%s', (version) => {
    const id = version.replaceAll('.', '_');
    const peers = () => backends.get(version)!;
    const user = (n: string) => `${n}${id.replaceAll('_', '')}`.slice(0, 16);

    it('logs in with the offline uuid; chat reaches the backend; messages, action bars and titles reach the client', async () => {
      const { a } = peers();
      const name = user('al');
      const al = await joinPlay(port, `a.${version}.test`, name, a);
      const info = proxy.players.getByUsername(name)!;
      expect(info).toMatchObject({ mode: 'offline', currentServer: `a${id}`, profile: { uuid: offlineUuid(name) } });
      await until('the client in play', () => al.joined);

      al.chat('hello backend');
      await until('chat on A', () => a.chats.find((c) => c.username === name && c.message === 'hello backend'));

      expect(await proxy.players.act(info.id, { kind: 'message', component: JSON.stringify({ text: `Hi ${LONG}` }) })).toBeUndefined();
      expect(await proxy.players.act(info.id, { kind: 'action-bar', component: 'On the bar' })).toBeUndefined();
      expect(
        await proxy.players.act(info.id, { kind: 'title', title: { title: '{"text":"Big title"}', subtitle: '{"text":"small"}', fadeInTicks: 5, stayTicks: 20, fadeOutTicks: 5 } }),
      ).toBeUndefined();
      await until('message, bar and title on the client', () => al.messages.some((m) => m.includes(LONG)) && al.actionBars.some((m) => m.includes('On the bar')) && al.titles.some((t) => t.includes('Big title')));

      // A plugin's raw packet (id + bytes) reaches the client as written.
      const raw = systemMessage(codecFor(info.protocolVersion)!, '{"text":"raw hello"}');
      const rawId = readVarInt(raw, 0)!;
      expect(await proxy.players.act(info.id, { kind: 'packet', packet: { packetId: rawId.value, data: raw.subarray(rawId.size) } })).toBeUndefined();
      await until('the raw packet on the client', () => al.messages.some((m) => m.includes('raw hello')));
      expect(al.ended).toBe(false);

      // Unlike passthrough, a disconnect from the host shows its reason.
      expect(proxy.players.disconnect(info.id, '{"text":"Server restarting"}')).toBe(true);
      await until('disconnected', () => al.ended);
      expect(al.kicked).toContain('Server restarting');
    });

    it('lets a plugin deny or rewrite chat', async () => {
      const { a } = peers();
      const name = user('cy');
      dispatcher.handlers.set('chat-message', (ev) => {
        const m = (ev as { val: { message: string } }).val.message;
        if (m === 'secret') return { tag: 'chat-message', val: { tag: 'deny', val: '{"text":"Not here"}' } };
        if (m === 'hi') return { tag: 'chat-message', val: { tag: 'modify', val: 'hi (edited)' } };
        return undefined;
      });
      try {
        const cy = await joinPlay(port, `a.${version}.test`, name, a);
        await until('in play', () => cy.joined);
        cy.chat('secret');
        cy.chat('hi');
        await until('edited chat on A', () => a.chats.find((c) => c.username === name && c.message === 'hi (edited)'));
        await until('the denial shown', () => cy.messages.some((m) => m.includes('Not here')));
        expect(a.chats.filter((c) => c.username === name).map((c) => c.message)).toEqual(['hi (edited)']);
        expect(dispatcher.of('chat-message').filter((e) => e.val.playerId === idOf(name)).map((e) => e.val.message)).toEqual(['secret', 'hi']);
        await cy.leave();
      } finally {
        dispatcher.handlers.delete('chat-message');
      }
    });

    it('moves a player between two backends without the client reconnecting, with every event', async () => {
      const { a, b } = peers();
      const name = user('mo');
      const mo = await joinPlay(port, `a.${version}.test`, name, a);
      await until('in play', () => mo.joined);
      const pid = idOf(name);
      mo.sendSettings(7);
      await until('settings on A', () => a.viewDistances.get(name) === 7);
      const joinsBefore = mo.joins;
      expect(await proxy.players.act(pid, { kind: 'switch', server: `b${id}` })).toBeUndefined();
      await until('on B', () => b.players.has(name) && mo.joins > joinsBefore);
      await until('A dropped the player', () => !a.players.has(name));
      expect(proxy.players.get(pid)?.currentServer).toBe(`b${id}`);
      await until("the client's settings replayed to B", () => b.viewDistances.get(name) === 7);
      mo.chat('on b now');
      await until('chat on B', () => b.chats.find((c) => c.username === name && c.message === 'on b now'));
      expect(mo.ended).toBe(false);
      expect(dispatcher.of('server-switch').find((e) => e.val.playerId === pid)?.val).toEqual({ playerId: pid, previousServer: `a${id}`, newServer: `b${id}` });
      expect(dispatcher.of('server-pre-connect').filter((e) => e.val.playerId === pid).map((e) => e.val.originalServer)).toEqual([`a${id}`, `b${id}`]);
      expect(dispatcher.of('server-connected').filter((e) => e.val.playerId === pid).map((e) => e.val.server)).toEqual([`a${id}`, `b${id}`]);

      // A message after the switch still reaches the client (the new backend's stream is relayed).
      await proxy.players.act(pid, { kind: 'message', component: 'after the move' });
      await until('message after the move', () => mo.messages.some((m) => m.includes('after the move')));
      await mo.leave();
    });

    it('answers switch-failed for a server that is down and leaves the player where they were', async () => {
      const { a } = peers();
      const name = user('st');
      const st = await joinPlay(port, `a.${version}.test`, name, a);
      await until('in play', () => st.joined);
      const result = await proxy.players.act(idOf(name), { kind: 'switch', server: 'down' });
      expect(result).toMatchObject({ tag: 'switch-failed', val: expect.stringMatching(/no backend address answered/) });
      expect(await proxy.players.act(idOf(name), { kind: 'switch', server: 'nowhere' })).toEqual({ tag: 'server-not-found', val: 'nowhere' });
      st.chat('still here');
      await until('chat still on A', () => a.chats.find((c) => c.username === name && c.message === 'still here'));
      expect(proxy.players.getByUsername(name)?.currentServer).toBe(`a${id}`);

      // A backend that drops the connection without a word: the client is told which server it lost.
      a.players.get(name)!.socket.destroy();
      await until('the client told', () => st.ended);
      expect(st.kicked).toContain(`Lost connection to a${id}`);
    });

    it("redirects a kicked player to the server a plugin names; without a plugin's answer the kick reaches the client", async () => {
      const { a, b } = peers();
      const name = user('ki');
      dispatcher.handlers.set('kicked-from-server', (ev) =>
        (ev as { val: { reason: string } }).val.reason.includes('go away') ? { tag: 'kicked-from-server', val: { tag: 'redirect-to', val: `b${id}` } } : undefined,
      );
      try {
        const ki = await joinPlay(port, `a.${version}.test`, name, a);
        await until('in play', () => ki.joined);
        a.kick(name, 'go away');
        await until('redirected to B', () => b.players.has(name));
        const kick = dispatcher.of('kicked-from-server').find((e) => e.val.playerId === idOf(name))!;
        expect(kick.val).toMatchObject({ server: `a${id}`, reason: expect.stringContaining('go away') });
        ki.chat('landed');
        await until('chat on B', () => b.chats.find((c) => c.username === name && c.message === 'landed'));
        expect(ki.ended).toBe(false);

        b.kick(name, 'banned from b');
        await until('kicked for real', () => ki.ended);
        expect(ki.kicked).toContain('banned from b');
      } finally {
        dispatcher.handlers.delete('kicked-from-server');
      }
    });

    it('closes only the connection that sends a malformed, oversized or badly compressed frame', async () => {
      const { a } = peers();
      const bystander = await joinPlay(port, `a.${version}.test`, user('by'), a);
      const attacks: [string, Buffer][] = [
        ['oversized frame', Buffer.from([0xff, 0xff, 0xff, 0x01])],
        ['compressed below the threshold', Buffer.from([0x03, 0x10, 0x78, 0x9c])],
        ['bad zlib data', Buffer.concat([Buffer.from([0x07, 0xac, 0x02]), Buffer.from('garbage')])],
        ['truncated chat packet', chatFrameTruncated(proxyChatId(version))],
      ];
      for (const [what, bytes] of attacks) {
        const name = user(`h${attacks.findIndex(([w]) => w === what)}`);
        const evil = await joinPlay(port, `a.${version}.test`, name, a);
        await until('in play', () => evil.joined);
        (evil.client.socket as import('node:net').Socket).write(bytes);
        await until(`${what} to close the attacker`, () => evil.ended);
        await until(`${what}: attacker gone from A`, () => !a.players.has(name));
      }
      expect(bystander.ended).toBe(false);
      bystander.chat('unharmed');
      await until('bystander chat on A', () => a.chats.find((c) => c.message === 'unharmed'));
      expect(logs.some((l) => /protocol error: .*(packet length|compressed packet|bad compressed|undecodable)/.test(l))).toBe(true);
      await bystander.leave();
    });
  });

  it('speaks every other version it claims: 1.20.2, 1.20.6, 1.21.1 and 1.21.3 log in, chat and get messages', async () => {
    for (const version of ['1.20.2', '1.20.6', '1.21.1', '1.21.3']) {
      const backend = await startPlayBackend(`X ${version}`, version);
      try {
        await writeFileAtomic(join(dir, 'servers', 'x.toml'), `domains = ["x.test"]\naddresses = ["127.0.0.1:${backend.port}"]\nproxy_mode = "offline"\n`);
        await until(`x routed to ${version}`, () => proxy.servers.get('x')?.addresses[0].port === backend.port);
        const name = `v${version.replaceAll('.', '')}`;
        const player = await joinPlay(port, 'x.test', name, backend);
        await until('in play', () => player.joined);
        player.chat(`hi from ${version}`);
        await until(`chat from ${version}`, () => backend.chats.some((c) => c.message === `hi from ${version}`));
        await proxy.players.act(idOf(name), { kind: 'message', component: `back to ${version}` });
        await until(`message to ${version}`, () => player.messages.some((m) => m.includes(`back to ${version}`)));
        await player.leave();
      } finally {
        backend.close();
      }
    }
  });

  it('closes a client that floods packets during the login', async () => {
    const s = connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    const closed = new Promise<void>((r) => s.on('close', () => r()));
    s.write(Buffer.concat([encodeHandshake(47, 'a.1.8.9.test', 25565, 2), encodePacket(0x00, encodeString('flooder')), ...Array.from({ length: 40 }, () => encodePacket(0x00))]));
    await closed;
    await until('the flood logged', () => logs.find((l) => /protocol error: \d+ packets sent during login/.test(l)));
    expect(proxy.players.getByUsername('flooder')).toBeUndefined();
  });

  it('refuses a version the mode cannot decode at login, with a clear message', async () => {
    const old = playClient(port, 'a.1.21.4.test', 'oldtimer', '1.12.2');
    await until('refused', () => old.ended);
    expect(logs.some((l) => /protocol 340 cannot be decoded/.test(l))).toBe(true);
  });
});

/** The compressed-frame form (threshold on) of a chat packet whose string is cut short. */
function chatFrameTruncated(chatId: number): Buffer {
  const packet = Buffer.from([chatId, 50, 0x61, 0x62]); // says 50 bytes, has 2
  return Buffer.concat([Buffer.from([packet.length + 1, 0x00]), packet]);
}

function proxyChatId(version: string): number {
  return { '1.8.9': 0x01, '1.20.4': 0x05, '1.21.4': 0x07 }[version]!;
}
