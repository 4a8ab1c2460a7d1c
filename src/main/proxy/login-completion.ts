// The decoding modes end the client's login themselves. Authentication first, when the player is to be
// authenticated (encryption request, shared secret, AES-CFB8 from then on, hasJoined), before the login
// events and the choice of the initial server (decoded-admission.ts); then, once the server is chosen, the
// proxy logs in to the backend, gives the client the backend's compression threshold and Login Success,
// and on 1.20.2+ takes the client's Login Acknowledged (the proxy already acknowledged for itself to the
// backend).

import type { Socket } from 'node:net';
import type { GameProfile } from '../contract/guest-types.ts';
import { unreachableMessage } from './backend-connect.ts';
import type { ConnectTracker } from './backend-balancer.ts';
import { BackendRefused, loginToBackend, type BackendLogin } from './backend-login.ts';
import type { Packet, VersionCodec } from './decoded-protocol.ts';
import { disconnectPacket } from './player-packets.ts';
import { PacketWire, type Frame } from './packet-wire.ts';
import { ProtocolError } from './packet-codec.ts';
import type { ServerDefinition } from './server-file.ts';
import { hasJoined, newVerifyToken, proxyKey, rsaDecrypt, serverHash } from './session-auth.ts';

export interface LoginInput {
  /** The client's login, opened at authentication or now (openClientLogin). */
  client: ClientLogin;
  codec: VersionCodec;
  server: ServerDefinition;
  profile: GameProfile;
  clientIp: string;
  host: string;
  port: number;
  timeoutMs: number;
  signal: AbortSignal;
  /** The player starts in limbo: the proxy ends the login itself, with no backend yet. */
  noBackend?: boolean;
  track?: ConnectTracker;
}

export type LoginOutcome =
  | { ok: true; client: PacketWire; backend: BackendLogin | undefined; early: Frame[] }
  | { ok: false; reasonJson: string; why: string; wire: PacketWire; backendFailed?: boolean };

/** The client's side of a login the proxy completes: its wire, and its frames read until the session takes them. */
export interface ClientLogin {
  wire: PacketWire;
  reader: LoginReader;
}

const MAX_LOGIN_FRAMES = 32;

/** Reads the client's login frames one at a time while the login runs. */
export class LoginReader {
  private frames: Frame[] = [];
  private waiter: (() => void) | undefined;
  private error: Error | undefined;

  constructor(
    readonly wire: PacketWire,
    private readonly socket: Socket,
  ) {
    socket.on('data', this.onData);
    socket.once('close', this.onClose);
    this.onData(Buffer.alloc(0)); // what came with Login Start
  }

  /** Throws what went wrong with the client so far (a bad frame, a flood, a close). */
  check(): void {
    if (this.error) throw this.error;
  }

  private readonly onData = (chunk: Buffer) => {
    try {
      this.frames.push(...this.wire.receive(chunk));
      // A client sends two or three packets during login; a flood waits for nobody.
      if (this.frames.length > MAX_LOGIN_FRAMES) throw new ProtocolError(`${this.frames.length} packets sent during login`);
    } catch (err) {
      // Stop reading: the next step of the login reports the error and closes the connection.
      this.error = err as Error;
      this.socket.removeListener('data', this.onData);
      this.socket.pause();
    }
    this.waiter?.();
  };

  private readonly onClose = () => {
    this.error ??= new ProtocolError('client closed during login');
    this.waiter?.();
  };

  async next(timeoutMs: number, what: string): Promise<Frame> {
    const started = Date.now();
    for (;;) {
      if (this.error) throw this.error;
      const f = this.frames.shift();
      if (f) return f;
      const left = timeoutMs - (Date.now() - started);
      if (left <= 0) throw new ProtocolError(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = undefined;
          resolve();
        };
      });
    }
  }

  /** Stops reading. */
  stop(): void {
    this.socket.removeListener('data', this.onData);
    this.socket.removeListener('close', this.onClose);
  }

  /** Stops reading and hands the frames not yet taken to the session; a bad frame seen meanwhile throws. */
  detach(): Frame[] {
    this.stop();
    this.check();
    return this.frames.splice(0);
  }
}

/** Reads the client's login from `leftover` (its bytes past Login Start) on. */
export function openClientLogin(socket: Socket, leftover: Buffer): ClientLogin {
  const wire = new PacketWire(socket);
  wire.prepend(leftover);
  return { wire, reader: new LoginReader(wire, socket) };
}

/** The backend login, the client's compression and Login Success, and its Login Acknowledged (1.20.2+). */
export async function completeLogin(input: LoginInput): Promise<LoginOutcome> {
  const { codec } = input;
  const { wire, reader } = input.client;
  const refuse = (reasonJson: string, why: string, extra: Partial<Extract<LoginOutcome, { ok: false }>> = {}): LoginOutcome => {
    reader.stop();
    return { ok: false, reasonJson, why, wire, ...extra };
  };
  reader.check();
  let backend: BackendLogin | undefined;
  try {
    if (!input.noBackend) backend = await loginToBackend(input);
  } catch (err) {
    const why = `${input.server.id}: ${(err as Error).message}`;
    const reason = err instanceof BackendRefused && err.reasonJson ? err.reasonJson : unreachableMessage(input.server);
    return refuse(reason, why, { backendFailed: true });
  }

  let early: Frame[];
  try {
    if (backend && backend.wire.threshold >= 0) {
      wire.sendPacket(codec.encode('login', 'toClient', { name: 'compress', params: { threshold: backend.wire.threshold } }));
      wire.threshold = backend.wire.threshold;
    }
    wire.sendPacket(codec.encode('login', 'toClient', backend?.success ?? ownLoginSuccess(input.profile)));
    if (codec.hasConfiguration) {
      for (;;) {
        const f = await reader.next(input.timeoutMs, 'Login Acknowledged');
        if (codec.decode('login', 'toServer', f.packet()).name === 'login_acknowledged') break;
      }
    }
    early = reader.detach();
  } catch (err) {
    backend?.wire.socket.destroy();
    throw err;
  }
  return { ok: true, client: wire, backend, early };
}

/** Login Success from the proxy itself (limbo first): the profile as the proxy knows it, uncompressed. */
function ownLoginSuccess(profile: GameProfile): Packet {
  const properties = profile.properties.map((p) => ({ name: p.name, value: p.value, signature: p.signature ?? undefined }));
  return { name: 'success', params: { uuid: profile.uuid, username: profile.username, properties, strictErrorHandling: false } };
}

/** Authenticates `username` (encryption, then hasJoined): its real profile, AuthFailed or a ProtocolError. */
export async function authenticateClient(
  { wire, reader }: ClientLogin,
  input: { codec: VersionCodec; username: string; sessionServer: string; timeoutMs: number },
): Promise<GameProfile> {
  const { codec } = input;
  const key = proxyKey();
  const verifyToken = newVerifyToken();
  wire.sendPacket(
    codec.encode('login', 'toClient', { name: 'encryption_begin', params: { serverId: '', publicKey: key.publicDer, verifyToken, shouldAuthenticate: true } }),
  );
  const response: Packet = codec.decode('login', 'toServer', (await reader.next(input.timeoutMs, 'the encryption response')).packet());
  if (response.name !== 'encryption_begin') throw new ProtocolError(`expected the encryption response, got ${response.name}`);
  const secret = rsaDecrypt(key, response.params.sharedSecret as Buffer);
  const token = rsaDecrypt(key, response.params.verifyToken as Buffer);
  if (secret.length !== 16) throw new ProtocolError(`shared secret of ${secret.length} bytes`);
  if (!token.equals(verifyToken)) throw new ProtocolError('verify token mismatch');
  wire.enableEncryption(secret);
  return hasJoined(input.sessionServer, input.username, serverHash('', secret, key.publicDer), input.timeoutMs);
}

/** Sends the refusal in the login state (encrypted when encryption was already on), then closes. */
export function refuseLogin(wire: PacketWire, codec: VersionCodec, reasonJson: string, lingerMs: number): void {
  wire.sendPacket(disconnectPacket(codec, 'login', reasonJson));
  wire.socket.end();
  setTimeout(() => wire.socket.destroy(), lingerMs).unref();
}
