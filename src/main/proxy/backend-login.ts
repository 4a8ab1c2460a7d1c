// The proxy logging a player in to a backend on its own (decoding modes): handshake (with BungeeCord
// forwarding in the host field), Login Start, the backend's compression threshold, Velocity's player-info
// request, Login Success and, on 1.20.2+, Login Acknowledged. Used for the first server and every switch.
// The backend must run in offline mode: an encryption request is refused with a clear reason.

import type { GameProfile } from '../contract/guest-types.ts';
import { connectBackend, formatAddress } from './backend-connect.ts';
import type { ConnectTracker } from './backend-balancer.ts';
import type { Packet, VersionCodec } from './decoded-protocol.ts';
import { bungeecordHost, VELOCITY_CHANNEL, velocityPlayerInfo } from './forwarding.ts';
import { encodeHandshake } from './handshake.ts';
import { PacketWire, type Frame } from './packet-wire.ts';
import { ProtocolError } from './packet-codec.ts';
import type { ServerDefinition } from './server-file.ts';
import { textJson } from './text-nbt.ts';

/** Login plugin requests, which Velocity forwarding rides on, exist from 1.13 on. */
const PV_1_13 = 393;

export interface BackendLogin {
  server: ServerDefinition;
  wire: PacketWire;
  /** The backend's Login Success (its uuid and name for the player). */
  success: Packet;
  /** Frames that arrived right after Login Success; the socket is paused until the caller takes over. */
  early: Frame[];
  /** The backend address connected to, as host:port. */
  address: string;
}

/** The backend refused the player (its own disconnect reason as JSON text) or could not be used. */
export class BackendRefused extends Error {
  constructor(
    message: string,
    /** JSON text component to show the player, when the backend gave one. */
    readonly reasonJson?: string,
  ) {
    super(message);
  }
}

export interface BackendLoginOptions {
  server: ServerDefinition;
  codec: VersionCodec;
  profile: GameProfile;
  clientIp: string;
  /** Host and port as the client sent them in its handshake. */
  host: string;
  port: number;
  timeoutMs: number;
  signal: AbortSignal;
  /** Drains and per-address counts (backend-balancer.ts). */
  track?: ConnectTracker;
}

export async function loginToBackend(o: BackendLoginOptions): Promise<BackendLogin> {
  const { server, codec, profile } = o;
  if (server.forwarding === 'velocity' && codec.protocol < PV_1_13) {
    throw new BackendRefused(`${server.id} uses velocity forwarding, which needs Minecraft 1.13+ clients (use bungeecord forwarding for 1.8)`);
  }
  // The client's port does not travel into decoded sessions (server switches): the header names its address with port 0.
  const proxyProtocol = server.sendProxyProtocol ? { source: { ip: o.clientIp, port: 0 } } : undefined;
  const conn = await connectBackend(server.addresses, o.timeoutMs, o.signal, proxyProtocol, o.track);
  const socket = conn.socket;
  const wire = new PacketWire(socket);
  const host = server.forwarding === 'bungeecord' ? bungeecordHost(o.host, o.clientIp, profile) : o.host;
  socket.write(encodeHandshake(codec.protocol, host, o.port, 2));
  wire.sendPacket(codec.encode('login', 'toServer', { name: 'login_start', params: { username: profile.username, playerUUID: profile.uuid } }));

  return new Promise<BackendLogin>((resolve, reject) => {
    const timer = setTimeout(() => fail(new BackendRefused(`${server.id} did not complete the login within ${o.timeoutMs} ms`)), o.timeoutMs);
    const onAbort = () => fail(new BackendRefused('cancelled'));
    o.signal.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
      socket.removeListener('data', onData);
      socket.removeListener('close', onClose);
      socket.removeListener('error', onError);
    };
    function fail(err: Error) {
      cleanup();
      socket.destroy();
      reject(err);
    }
    const onError = (err: Error) => fail(new BackendRefused(`${server.id}: ${err.message}`));
    const onClose = () => fail(new BackendRefused(`${server.id} closed the connection during login`));
    const onData = (chunk: Buffer) => {
      try {
        const frames = wire.receive(chunk);
        for (let i = 0; i < frames.length; i++) {
          const frame = frames[i];
          const p = codec.decode('login', 'toClient', frame.packet());
          if (p.name === 'compress') {
            wire.threshold = p.params.threshold as number;
            // Frames read in the same chunk were cut before the threshold was known: they follow it.
            for (const later of frames.slice(i + 1)) later.threshold = wire.threshold;
          } else if (p.name === 'success') {
            cleanup();
            socket.pause();
            // Until the session takes the socket over, an error only closes it (the session sees it closed).
            socket.on('error', () => socket.destroy());
            if (codec.hasConfiguration) wire.sendPacket(codec.encode('login', 'toServer', { name: 'login_acknowledged', params: {} }));
            resolve({ server, wire, success: p, early: frames.slice(i + 1), address: formatAddress(conn.address) });
            return;
          } else if (p.name === 'disconnect') {
            const reason = textJson(p.params.reason);
            return fail(new BackendRefused(`${server.id} refused the login: ${reason}`, reason));
          } else if (p.name === 'encryption_begin') {
            return fail(new BackendRefused(`${server.id} asks for encryption: it must run with online-mode=false behind a decoding proxy mode`));
          } else if (p.name === 'login_plugin_request') {
            const known = p.params.channel === VELOCITY_CHANNEL && server.forwarding === 'velocity' && server.forwardingSecret;
            const data = known ? velocityPlayerInfo(server.forwardingSecret!, o.clientIp, profile) : undefined;
            wire.sendPacket(codec.encode('login', 'toServer', { name: 'login_plugin_response', params: { messageId: p.params.messageId, data } }));
          }
        }
      } catch (err) {
        fail(err instanceof ProtocolError ? new BackendRefused(`${server.id} sent a bad login packet: ${err.message}`) : (err as Error));
      }
    };
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.on('error', onError);
  });
}
