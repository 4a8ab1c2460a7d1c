// The status side of one client connection: a legacy 0xFE ping or a status request is answered (bans first,
// then status-answer.ts builds the answer), then the ping is echoed. The login side is client-login.ts.

import { normalizeHost, type Handshake } from './handshake.ts';
import { encodeLegacyResponse, type LegacyPing } from './legacy-ping.ts';
import type { LoginIo } from './client-login.ts';
import { encodePacket, encodeString, PacketReader, ProtocolError } from './packet-codec.ts';
import { banDecision } from './ban-gate.ts';
import { rejected, type HandshakeFacts } from './connection-events.ts';
import { pingResponse, statusJson, type StatusRequest } from './status-answer.ts';
import { parseComponent, plainText } from './text-component.ts';

/** What answering a status needs of its connection (client-connection.ts). */
export interface StatusIo extends Pick<LoginIo, 'ctx' | 'socket' | 'ip' | 'peer' | 'address' | 'signal' | 'nextFrame' | 'ensureOpen' | 'disarm' | 'close'> {
  /** (Re)starts the deadline the client must answer within. */
  arm(ms: number, what: string): void;
  /** connection-handshake (0.3.0): false when a listener refused the connection, which is then closed. */
  handshakeAllowed(hs: HandshakeFacts['hs'], legacy: boolean): Promise<boolean>;
  /** The legacy ping, once its bytes have all arrived. */
  legacyPing(): Promise<LegacyPing>;
}

export async function answerLegacyPing(io: StatusIo): Promise<void> {
  const ping = await io.legacyPing();
  io.disarm();
  io.ctx.counters.legacyPings++;
  const host = ping.host === undefined ? undefined : normalizeHost(ping.host);
  // A legacy ping names no protocol number: 0.
  if (!(await io.handshakeAllowed({ serverAddress: ping.host ?? '', host: host ?? '', port: ping.port ?? 0, protocolVersion: 0, nextState: 'status' }, true))) return;
  const server = host === undefined ? undefined : io.ctx.servers.resolve(host);
  if (host !== undefined && !server && io.ctx.settings.unknownDomainBehavior === 'drop') {
    rejected(io.ctx.events, io.peer, host, { tag: 'unknown-domain' });
    return io.close(`legacy ping for unknown domain ${JSON.stringify(host)} dropped`);
  }
  const status = await pingResponse(statusRequest(io), server, { host: host ?? '', port: ping.port ?? 25565, protocolVersion: 767 });
  io.ensureOpen();
  const motd = plainText(parseComponent(status.description));
  io.socket.end(
    encodeLegacyResponse(ping.format, {
      motd,
      online: status.onlinePlayers,
      max: status.maxPlayers,
      versionName: status.versionName,
    }),
  );
  io.ctx.log('debug', `${io.peer}: answered legacy ping (${ping.format}${host ? `, ${host}` : ''})`);
}

export async function answerStatus(io: StatusIo, hs: Handshake): Promise<void> {
  const server = io.ctx.servers.resolve(hs.host);
  if (!server && io.ctx.settings.unknownDomainBehavior === 'drop') {
    rejected(io.ctx.events, io.peer, hs.host, { tag: 'unknown-domain' });
    return io.close(`status for unknown domain ${JSON.stringify(hs.host)} dropped`);
  }
  const request = await io.nextFrame(1);
  if (request[0] !== 0x00) throw new ProtocolError(`expected status request, got packet 0x${request[0].toString(16)}`);
  io.disarm();
  io.ctx.counters.statusRequests++;
  const ban = await banDecision(io.ctx, { stage: 'status', ip: io.ip, uuidVerified: false, virtualHost: hs.host, server: server?.id });
  io.ensureOpen();
  if (ban.banned) {
    rejected(io.ctx.events, io.peer, hs.host, { tag: ban.byIp ? 'ip-banned' : 'banned' });
    return io.close(`status refused: ${ban.why}`);
  }
  const json = await statusJson(statusRequest(io), server, hs);
  io.ensureOpen();
  io.socket.write(encodePacket(0x00, encodeString(JSON.stringify(json))));
  io.arm(io.ctx.handshakeTimeoutMs, 'no ping after status');
  const ping = new PacketReader(await io.nextFrame(9));
  if (ping.varInt() !== 0x01 || ping.remaining !== 8) throw new ProtocolError('expected ping request');
  io.disarm();
  io.socket.end(encodePacket(0x01, ping.bytes(8)));
}

function statusRequest(io: StatusIo): StatusRequest {
  return { ctx: io.ctx, peer: io.peer, signal: io.signal(), ensureOpen: () => io.ensureOpen(), source: io.address() };
}
