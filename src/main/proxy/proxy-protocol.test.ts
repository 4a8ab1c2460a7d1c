import { createServer, connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { encodeProxyV2, parseCidr, readProxyHeader, takeProxyHeader, TrustedPeers } from './proxy-protocol';

const SIG = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');

function v2(verCmd: number, fam: number, body: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(body.length);
  return Buffer.concat([SIG, Buffer.from([verCmd, fam]), len, body]);
}

describe('readProxyHeader', () => {
  it('reads a v1 TCP4 header and reports its length', () => {
    const line = 'PROXY TCP4 203.0.113.7 10.0.0.1 51234 25565\r\n';
    const r = readProxyHeader(Buffer.concat([Buffer.from(line), Buffer.from([0x10, 0x00])]));
    expect(r).toEqual({
      status: 'ok',
      length: line.length,
      header: { version: 1, source: { ip: '203.0.113.7', port: 51234 }, destination: { ip: '10.0.0.1', port: 25565 } },
    });
  });

  it('reads v1 TCP6 and UNKNOWN', () => {
    const r = readProxyHeader(Buffer.from('PROXY TCP6 2001:db8::1 ::1 1 2\r\n'));
    expect(r.status === 'ok' && r.header.source).toEqual({ ip: '2001:db8::1', port: 1 });
    const u = readProxyHeader(Buffer.from('PROXY UNKNOWN\r\n'));
    expect(u.status === 'ok' && u.header.source).toBeNull();
  });

  it('reads what encodeProxyV2 writes, IPv4 and IPv6, and LOCAL', () => {
    for (const [src, dst] of [
      [{ ip: '198.51.100.9', port: 40000 }, { ip: '127.0.0.1', port: 25565 }],
      [{ ip: '2001:db8:0:0:1::5', port: 1234 }, { ip: '::1', port: 25565 }],
      [{ ip: '::ffff:192.0.2.1', port: 5 }, { ip: '192.0.2.2', port: 6 }],
    ]) {
      const r = readProxyHeader(encodeProxyV2(src, dst));
      expect(r.status).toBe('ok');
      if (r.status !== 'ok') continue;
      expect(r.header.source!.port).toBe(src.port);
      expect(r.header.destination!.port).toBe(dst.port);
    }
    const mapped = readProxyHeader(encodeProxyV2({ ip: '::ffff:192.0.2.1', port: 5 }, { ip: '192.0.2.2', port: 6 }));
    expect(mapped.status === 'ok' && mapped.header.source!.ip).toBe('192.0.2.1');
    const six = readProxyHeader(encodeProxyV2({ ip: '2001:db8:0:0:1::5', port: 1 }, { ip: '::1', port: 2 }));
    expect(six.status === 'ok' && six.header.source!.ip).toBe('2001:db8::1:0:0:5');
    const local = readProxyHeader(encodeProxyV2(null, null));
    expect(local).toEqual({ status: 'ok', length: 16, header: { version: 2, source: null, destination: null } });
  });

  it('asks for more bytes on every truncation and says absent for a Minecraft handshake', () => {
    const full = encodeProxyV2({ ip: '192.0.2.1', port: 1 }, { ip: '192.0.2.2', port: 2 });
    for (let n = 1; n < full.length; n++) expect(readProxyHeader(full.subarray(0, n)).status).toBe('incomplete');
    const v1 = Buffer.from('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n');
    for (let n = 1; n < v1.length; n++) expect(readProxyHeader(v1.subarray(0, n)).status).toBe('incomplete');
    expect(readProxyHeader(Buffer.from([0x10, 0x00, 0xff, 0x05])).status).toBe('absent');
    expect(readProxyHeader(Buffer.from([0xfe, 0x01])).status).toBe('absent');
    expect(readProxyHeader(Buffer.from('PROXX')).status).toBe('absent');
  });

  it('rejects hostile headers', () => {
    const bad = [
      'PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n',
      'PROXY TCP4 1.2.3.999 5.6.7.8 1 2\r\n',
      'PROXY TCP4 ::1 5.6.7.8 1 2\r\n',
      'PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n',
      'PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n',
      'PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n',
      `PROXY TCP4 ${'1'.repeat(120)}`,
    ];
    for (const line of bad) expect(readProxyHeader(Buffer.from(line)).status, line).toBe('invalid');
    expect(readProxyHeader(v2(0x31, 0x11, Buffer.alloc(12))).status).toBe('invalid'); // version 3
    expect(readProxyHeader(v2(0x22, 0x11, Buffer.alloc(12))).status).toBe('invalid'); // command 2
    expect(readProxyHeader(v2(0x21, 0x11, Buffer.alloc(4))).status).toBe('invalid'); // short IPv4 body
    expect(readProxyHeader(v2(0x21, 0x21, Buffer.alloc(20))).status).toBe('invalid'); // short IPv6 body
    expect(readProxyHeader(v2(0x21, 0x12, Buffer.alloc(12))).status).toBe('invalid'); // UDP
    expect(readProxyHeader(v2(0x21, 0x31, Buffer.alloc(216))).status).toBe('invalid'); // AF_UNIX
    const huge = Buffer.concat([SIG, Buffer.from([0x21, 0x11, 0xff, 0xff])]);
    expect(readProxyHeader(huge).status).toBe('invalid'); // would make us buffer 64 KiB
  });

  it('skips TLVs after the addresses', () => {
    const body = Buffer.concat([Buffer.from([192, 0, 2, 1, 192, 0, 2, 2, 0, 80, 0, 81]), Buffer.from([0x04, 0x00, 0x02, 0xaa, 0xbb])]);
    const r = readProxyHeader(v2(0x21, 0x11, body));
    expect(r.status === 'ok' && r.length).toBe(16 + body.length);
    expect(r.status === 'ok' && r.header.source).toEqual({ ip: '192.0.2.1', port: 80 });
  });
});

describe('TrustedPeers', () => {
  it('matches addresses and CIDR ranges of both families', () => {
    const t = new TrustedPeers(['10.0.0.0/8', '192.0.2.7', 'fd00::/8', '::1']);
    expect(t.has('10.255.1.2')).toBe(true);
    expect(t.has('::ffff:10.1.1.1')).toBe(true);
    expect(t.has('11.0.0.1')).toBe(false);
    expect(t.has('192.0.2.7')).toBe(true);
    expect(t.has('192.0.2.8')).toBe(false);
    expect(t.has('fd12::1')).toBe(true);
    expect(t.has('fe80::1')).toBe(false);
    expect(t.has('::1')).toBe(true);
    expect(t.has('not-an-ip')).toBe(false);
    expect(new TrustedPeers(['172.16.0.0/12']).has('172.31.255.255')).toBe(true);
    expect(new TrustedPeers(['172.16.0.0/12']).has('172.32.0.0')).toBe(false);
  });

  it('parseCidr refuses what is not an address or range', () => {
    for (const bad of ['', '10.0.0.0/33', '::/129', '10.0.0.0/8/8', 'example.com', '10.0.0.0/x']) expect(parseCidr(bad), bad).toBeNull();
  });
});

describe('takeProxyHeader on a socket', () => {
  async function pair(): Promise<{ server: Socket; client: Socket; close: () => void }> {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    const accepted = new Promise<Socket>((r) => srv.once('connection', r));
    const client = connect(port, '127.0.0.1');
    const server = await accepted;
    return { server, client, close: () => (client.destroy(), server.destroy(), srv.close()) };
  }

  const rest = (s: Socket) =>
    new Promise<Buffer>((resolve) => {
      s.once('data', resolve);
      s.resume();
    });

  it('takes a header sent in pieces and puts back the bytes after it', async () => {
    const p = pair();
    const { server, client, close } = await p;
    const header = encodeProxyV2({ ip: '203.0.113.5', port: 4000 }, { ip: '127.0.0.1', port: 25565 });
    const taking = takeProxyHeader(server, 'required', 2000);
    client.write(header.subarray(0, 7));
    setTimeout(() => client.write(Buffer.concat([header.subarray(7), Buffer.from('hello')])), 20);
    expect(await taking).toEqual({ ok: true, source: { ip: '203.0.113.5', port: 4000 } });
    expect((await rest(server)).toString()).toBe('hello');
    close();
  });

  it('refuses a missing header where required and a header where forbidden, and times out', async () => {
    let { server, client, close } = await pair();
    const missing = takeProxyHeader(server, 'required', 2000);
    client.write(Buffer.from([0x10, 0x00]));
    expect(await missing).toEqual({ ok: false, reason: 'no PROXY header from a trusted proxy' });
    close();

    ({ server, client, close } = await pair());
    const spoof = takeProxyHeader(server, 'forbidden', 2000);
    client.write('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n');
    expect(await spoof).toEqual({ ok: false, reason: 'PROXY header from a peer not in trusted_proxies' });
    close();

    ({ server, client, close } = await pair());
    const direct = takeProxyHeader(server, 'forbidden', 2000);
    client.write(Buffer.from([0x10, 0x00, 0x01]));
    expect(await direct).toEqual({ ok: true, source: null });
    expect([...(await rest(server))]).toEqual([0x10, 0x00, 0x01]);
    close();

    ({ server, client, close } = await pair());
    const check = takeProxyHeader(server, 'required', 2000);
    client.end(); // a balancer's health check: connect, close, nothing sent
    expect(await check).toEqual({ ok: false, reason: 'closed before a PROXY header', quiet: true });
    close();

    ({ server, client, close } = await pair());
    const slow = takeProxyHeader(server, 'required', 50);
    client.write(SIG.subarray(0, 5));
    expect(await slow).toEqual({ ok: false, reason: 'no PROXY header within 50 ms' });
    close();
  });
});
