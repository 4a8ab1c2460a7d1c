// A hostile peer on a raw TCP socket: hand-written HTTP requests, WebSocket upgrades and frames that no
// well-behaved library would send, and what the server said before it closed the connection.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface RawPeer {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): Buffer;
  /** Resolves with everything the server sent once it closed the connection. */
  closed: Promise<Buffer>;
  /** This peer's local port: how the server's log names it. */
  localPort: number;
}

export async function rawPeer(port: number): Promise<RawPeer> {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  // The server may reset us mid-write: that is an answer too.
  socket.on('error', () => undefined);
  const closed = new Promise<Buffer>((resolve) => socket.once('close', () => resolve(Buffer.concat(chunks))));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => Buffer.concat(chunks), closed, localPort: socket.localPort! };
}

/** An upgrade request for `path` that a valid client would send, `headers` added or replacing. */
export function upgradeRequest(port: number, path: string, headers: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    Host: `127.0.0.1:${port}`,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  return `GET ${path} HTTP/1.1\r\n${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}

/** Opens a WebSocket by hand; resolves once the server answered 101. */
export async function rawWebSocket(port: number, path: string, headers: Record<string, string> = {}): Promise<RawPeer> {
  const peer = await rawPeer(port);
  peer.socket.write(upgradeRequest(port, path, headers));
  await new Promise<void>((resolve, reject) => {
    const look = () => {
      const text = peer.received().toString('latin1');
      if (!text.includes('\r\n\r\n')) return;
      peer.socket.off('data', look);
      if (text.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(`upgrade refused: ${text.split('\r\n')[0]}`));
    };
    peer.socket.on('data', look);
    void peer.closed.then(() => reject(new Error('closed during the upgrade')));
  });
  return peer;
}

export interface FrameSpec {
  fin?: boolean;
  /** RSV1..3 as the top bits of the first byte (0x40, 0x20, 0x10). */
  rsv?: number;
  opcode?: number;
  mask?: boolean;
  payload?: Buffer;
  /** The length the header announces, when it should lie about the payload. */
  announcedLength?: number;
}

export function frame({ fin = true, rsv = 0, opcode = 1, mask = true, payload = Buffer.alloc(0), announcedLength = payload.length }: FrameSpec): Buffer {
  const head = [(fin ? 0x80 : 0) | rsv | opcode];
  const maskBit = mask ? 0x80 : 0;
  let length: Buffer;
  if (announcedLength < 126) length = Buffer.from([maskBit | announcedLength]);
  else if (announcedLength < 65536) {
    length = Buffer.alloc(3);
    length[0] = maskBit | 126;
    length.writeUInt16BE(announcedLength, 1);
  } else {
    length = Buffer.alloc(9);
    length[0] = maskBit | 127;
    length.writeBigUInt64BE(BigInt(announcedLength), 1);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), length, payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(head), length, key, masked]);
}

/** The status code of the first close frame the server sent after its 101 answer, or null. */
export function closeCode(received: Buffer): number | null {
  let at = received.indexOf('\r\n\r\n');
  if (at < 0) return null;
  at += 4;
  while (at + 2 <= received.length) {
    const opcode = received[at]! & 0x0f;
    let len = received[at + 1]! & 0x7f;
    let start = at + 2;
    if (len === 126) {
      len = received.readUInt16BE(start);
      start += 2;
    } else if (len === 127) {
      len = Number(received.readBigUInt64BE(start));
      start += 8;
    }
    if (opcode === 8) return len >= 2 ? received.readUInt16BE(start) : 1005;
    at = start + len;
  }
  return null;
}

/** The status line of an HTTP answer, e.g. "HTTP/1.1 401 Unauthorized". */
export function statusLine(received: Buffer): string {
  return received.toString('latin1').split('\r\n')[0] ?? '';
}
