// Hostile peers against every endpoint of the headless panel, on raw sockets, while the real host runs its
// proxy: malformed WebSocket frames of every kind, random bytes after the upgrade, broken and slow upgrades,
// malformed HTTP, broken uploads. Each bad peer loses only its own connection and is logged at most once;
// afterwards a real panel client still works and a real Minecraft status ping through the proxy answers.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startPanelServer, type PanelServer } from '../src/main/control/panel-server';
import { Host } from '../src/main/host/host';
import { fixturePath } from './fixtures/index';
import { pingVia, startBackend, type Backend } from './support/minecraft-peers';
import { closeCode, frame, rawPeer, rawWebSocket, statusLine, upgradeRequest, type FrameSpec } from './support/raw-peer';
import { tempHost, type TempHost } from './support/temp-host';

const MAX_CALL_BYTES = 1024 * 1024;

describe('the panel under hostile peers, with the proxy running', () => {
  let tmp: TempHost;
  let host: Host;
  let backend: Backend;
  let panel: PanelServer;
  let panelPort: number;
  let proxyPort: number;
  let cookie: string;
  const logged: string[] = [];
  /** The log lines that name one peer (by its port). */
  const linesAbout = (peerPort: number) => logged.filter((l) => l.includes(`:${peerPort}:`));

  beforeAll(async () => {
    tmp = await tempHost();
    backend = await startBackend('Backend under fuzz');
    await mkdir(join(tmp.dir, 'servers'));
    await writeFile(join(tmp.dir, 'servers', 'a.toml'), `domains = ["a.test"]\naddresses = ["127.0.0.1:${backend.port}"]\nmotd = "still here"\n`);
    await tmp.writeConfig('bind = "127.0.0.1:0"\n');
    await tmp.addPlugin('minimal');
    const rendererDir = join(tmp.dir, 'renderer');
    await mkdir(rendererDir);
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>panel</title>');
    host = await Host.start({ cwd: tmp.dir });
    proxyPort = Number(host.proxyStatus().address!.split(':').pop());
    panel = await startPanelServer(host, {
      bind: '127.0.0.1:0',
      rendererDir,
      // One upload slot: a broken upload that kept its slot would refuse every later one.
      limits: { maxCallBytes: MAX_CALL_BYTES, headersTimeoutMs: 1000, maxUploadsInFlight: 1 },
      log: (level, message) => logged.push(`${level}: ${message}`),
    });
    const url = new URL(panel.url);
    panelPort = Number(url.port);
    cookie = `infrarust_panel_${panelPort}=${url.searchParams.get('token')}`;
  });

  afterAll(async () => {
    await panel?.close();
    await host?.stop();
    backend?.close();
    await tmp?.cleanup();
  });

  const open = () => rawWebSocket(panelPort, '/api', { Cookie: cookie });

  const frames: [string, FrameSpec | Buffer, number][] = [
    ['a text frame of invalid UTF-8', { payload: Buffer.from([0x7b, 0xff, 0xfe, 0xfd, 0x7d]) }, 1007],
    ['a header announcing 2^40 bytes', { announcedLength: 2 ** 40 }, 1009],
    ['a header announcing one byte above the limit', { announcedLength: MAX_CALL_BYTES + 1 }, 1009],
    ['RSV1 set (no extension was negotiated)', { rsv: 0x40, payload: Buffer.from('{}') }, 1002],
    ['RSV2 and RSV3 set', { rsv: 0x30, payload: Buffer.from('{}') }, 1002],
    ['an unmasked client frame', { mask: false, payload: Buffer.from('{"id":1,"method":"listPlugins"}') }, 1002],
    ['a reserved opcode', { opcode: 0x3, payload: Buffer.from('x') }, 1002],
    ['a fragmented ping', { opcode: 0x9, fin: false }, 1002],
    ['a ping above 125 bytes', { opcode: 0x9, payload: Buffer.alloc(200) }, 1002],
    ['a continuation with nothing to continue', { opcode: 0x0, payload: Buffer.from('x') }, 1002],
    ['a close frame with an invalid code', { opcode: 0x8, payload: Buffer.from([0x03, 0xe7]) }, 1002],
    ['a close frame with invalid UTF-8 in its reason', { opcode: 0x8, payload: Buffer.from([0x03, 0xe8, 0xff]) }, 1007],
    ['a text frame interrupted by another data frame', Buffer.concat([frame({ fin: false, payload: Buffer.from('{') }), frame({ payload: Buffer.from('}') })]), 1002],
  ];

  it.each(frames)('%s: that connection is closed with %s, logged once; the others never notice', async (_name, spec, expected) => {
    const bystander = new WebSocket(`ws://127.0.0.1:${panelPort}/api`, { headers: { cookie } });
    await new Promise((resolve, reject) => bystander.once('open', resolve).once('error', reject));
    const peer = await open();
    peer.socket.write(Buffer.isBuffer(spec) ? spec : frame(spec));
    const received = await peer.closed;
    expect(closeCode(received)).toBe(expected);
    expect(linesAbout(peer.localPort)).toHaveLength(1);
    expect(bystander.readyState).toBe(WebSocket.OPEN);
    bystander.close();
  });

  it('random bytes after the upgrade close that connection only', async () => {
    for (let i = 0; i < 20; i++) {
      const peer = await open();
      peer.socket.write(randomBytes(4096));
      await peer.closed;
      expect(linesAbout(peer.localPort).length).toBeLessThanOrEqual(1);
    }
  });

  it('a slowloris upgrade is cut off once the headers time out', async () => {
    const peer = await rawPeer(panelPort);
    const request = upgradeRequest(panelPort, '/api', { Cookie: cookie });
    // One byte at a time, never reaching the blank line that ends the headers.
    let sent = 0;
    const drip = setInterval(() => {
      if (sent < request.length - 4 && !peer.socket.destroyed) peer.socket.write(request[sent++]!);
    }, 50);
    const received = await peer.closed;
    clearInterval(drip);
    expect(statusLine(received)).toBe('HTTP/1.1 408 Request Timeout');
    expect(linesAbout(peer.localPort)).toHaveLength(1);
  });

  const httpCases: [string, (port: number) => string | Buffer, RegExp][] = [
    ['an upgrade without the token (and without an Origin)', (p) => upgradeRequest(p, '/api'), /^HTTP\/1\.1 401/],
    ['an upgrade with a foreign Origin', (p) => upgradeRequest(p, '/api', { Cookie: cookie, Origin: 'https://evil.example' }), /^HTTP\/1\.1 403/],
    ['an upgrade of another path', (p) => upgradeRequest(p, '/elsewhere', { Cookie: cookie }), /^HTTP\/1\.1 404/],
    ['an upgrade without a key', (p) => upgradeRequest(p, '/api', { Cookie: cookie, 'Sec-WebSocket-Key': '' }), /^HTTP\/1\.1 400/],
    ['an upgrade of an unknown version', (p) => upgradeRequest(p, '/api', { Cookie: cookie, 'Sec-WebSocket-Version': '7' }), /^HTTP\/1\.1 400/],
    ['a rebinding Host', (p) => upgradeRequest(p, '/api', { Cookie: cookie, Host: `evil.example:${p}` }), /^HTTP\/1\.1 421/],
    ['a session check with a stale token', (p) => `GET /api/session HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nCookie: infrarust_panel_${p}=stale\r\nConnection: close\r\n\r\n`, /^HTTP\/1\.1 401/],
    ['a page load with a stale token', (p) => `GET /?token=stale HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nConnection: close\r\n\r\n`, /^HTTP\/1\.1 401/],
    ['a garbage request line', () => 'HELLO THERE\r\n\r\n', /^HTTP\/1\.1 400/],
    ['random bytes instead of HTTP', () => randomBytes(2048), /^(HTTP\/1\.1 400)?/],
    ['a header above 16 KiB', (p) => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, /^HTTP\/1\.1 431/],
    ['a broken chunked upload', (p) => `PUT /api/uploads?name=a.wasm HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nCookie: ${cookie}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnope\r\n`, /^HTTP\/1\.1 400/],
    ['an upload with two lengths', (p) => `PUT /api/uploads?name=a.wasm HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nCookie: ${cookie}\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello`, /^HTTP\/1\.1 400/],
  ];

  it.each(httpCases)('%s gets its answer and loses only its connection', async (_name, bytes, answer) => {
    const peer = await rawPeer(panelPort);
    peer.socket.write(bytes(panelPort));
    const received = await peer.closed;
    expect(statusLine(received)).toMatch(answer);
    expect(linesAbout(peer.localPort).length).toBeLessThanOrEqual(1);
  });

  /** Resolves once the upload slot is free again: an empty upload is then answered (400), not refused (503). */
  const slotFree = () =>
    expect
      .poll(async () => (await fetch(`http://127.0.0.1:${panelPort}/api/uploads?name=empty.wasm`, { method: 'PUT', body: '', headers: { cookie } })).status)
      .toBe(400);

  it('an upload whose peer goes away mid-body leaves nothing behind', async () => {
    await slotFree();
    const peer = await rawPeer(panelPort);
    peer.socket.write(`PUT /api/uploads?name=gone.wasm HTTP/1.1\r\nHost: 127.0.0.1:${panelPort}\r\nCookie: ${cookie}\r\nContent-Length: 1000000\r\n\r\n`);
    peer.socket.write(Buffer.alloc(300_000, 7));
    await expect.poll(async () => (await readdir(join(tmp.pluginsDir, '.cache')).catch(() => [])).some((f) => f.startsWith('.tmp-upload-'))).toBe(true);
    peer.socket.destroy();
    await expect.poll(async () => (await readdir(join(tmp.pluginsDir, '.cache'))).filter((f) => f.startsWith('.tmp-upload-')), { timeout: 10_000 }).toEqual([]);
    expect((await readdir(tmp.pluginsDir)).filter((f) => f.endsWith('.wasm'))).toEqual(['minimal.wasm']);
  });

  it('a chunk that breaks the HTTP parser mid-upload ends that upload and frees its slot', async () => {
    await slotFree();
    const peer = await rawPeer(panelPort);
    peer.socket.write(`PUT /api/uploads?name=broken.wasm HTTP/1.1\r\nHost: 127.0.0.1:${panelPort}\r\nCookie: ${cookie}\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n`);
    await expect.poll(async () => (await readdir(join(tmp.pluginsDir, '.cache')).catch(() => [])).some((f) => f.startsWith('.tmp-upload-'))).toBe(true);
    peer.socket.write('zz\r\nnope\r\n');
    expect(statusLine(await peer.closed)).toMatch(/^HTTP\/1\.1 400/);
    await slotFree();
    expect((await readdir(join(tmp.pluginsDir, '.cache'))).filter((f) => f.startsWith('.tmp-upload-'))).toEqual([]);
  });

  it('afterwards the panel still answers a real client, takes an upload, and the proxy still answers a real status ping', async () => {
    await slotFree();
    const upload = await fetch(`http://127.0.0.1:${panelPort}/api/uploads?name=again.wasm`, { method: 'PUT', body: await readFile(fixturePath('minimal')), headers: { cookie } });
    expect(await upload.json()).toMatchObject({ kind: 'needs-confirmation', id: 'minimal' });
    expect((await readdir(join(tmp.pluginsDir, '.cache'))).filter((f) => f.startsWith('.tmp-upload-'))).toEqual([]);
    const ws = new WebSocket(`ws://127.0.0.1:${panelPort}/api`, { headers: { cookie } });
    const answer = new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify({ id: 1, method: 'listPlugins' }));
    expect(await answer).toMatchObject({ id: 1, ok: true, result: [{ id: 'minimal', state: 'enabled' }] });
    ws.close();
    const ping = await pingVia(proxyPort, 'a.test');
    expect(JSON.stringify(ping.description)).toContain('still here');
    expect(host.proxyStatus().running).toBe(true);
  });
});
