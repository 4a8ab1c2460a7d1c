// The headless panel over real sockets: static files, the WebSocket API, uploads, the token, and the caps.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { request, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ControlEvent, WsServerMessage } from '../../shared/control-api';
import { deployOverHttp } from '../../renderer/src/api/deploy-file';
import { sessionRefusal } from '../../renderer/src/api/transport';
import { fixturePath } from '../../../test/fixtures/index';
import { rawPeer } from '../../../test/support/raw-peer';
import { tempHost, type TempHost } from '../../../test/support/temp-host';
import { Host } from '../host/host';
import { startPanelServer, type PanelLimits, type PanelServer } from './panel-server';

let t: TempHost;
let host: Host | undefined;
let panel: PanelServer | undefined;
let logged: string[] = [];

afterEach(async () => {
  await panel?.close();
  await host?.stop();
  await t?.cleanup();
  panel = host = undefined;
  logged = [];
});

async function setup(opts: { bind?: string; token?: string; limits?: Partial<PanelLimits>; tls?: boolean } = {}) {
  t = await tempHost();
  await t.addPlugin('minimal');
  const rendererDir = join(t.dir, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>panel</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(t.dir, 'secret.txt'), 'do not serve');
  const tls = opts.tls ? selfSigned(t.dir) : null;
  host = await Host.start({ cwd: t.dir, proxy: false });
  panel = await startPanelServer(host, {
    bind: opts.bind ?? '127.0.0.1:0',
    token: opts.token,
    rendererDir,
    limits: opts.limits,
    tls,
    log: (level, message) => logged.push(`${level}: ${message}`),
  });
  const url = new URL(panel.url);
  return { panel, url: panel.url, port: Number(url.port), token: url.searchParams.get('token')! };
}

function selfSigned(dir: string) {
  const certFile = join(dir, 'panel.crt');
  const keyFile = join(dir, 'panel.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-days', '1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  return { certFile, keyFile };
}

const wsUrl = (url: string) => url.replace(/^http/, 'ws').replace(/\/(\?.*)?$/, '/api$1');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const cookieFor = (port: number, token: string) => `infrarust_panel_${port}=${encodeURIComponent(token)}`;

/** Opens a client that records every message; `call` sends a request and waits for its answer. */
async function connect(url: string, options?: WebSocket.ClientOptions) {
  const ws = new WebSocket(url, options);
  const messages: WsServerMessage[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as WsServerMessage));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  let nextId = 1;
  const reply = (id: number | null) =>
    expect
      .poll(() => messages.find((m) => 'id' in m && m.id === id), { timeout: 10_000 })
      .toBeDefined()
      .then(() => messages.find((m) => 'id' in m && m.id === id)!);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return {
    ws,
    messages,
    reply,
    closed,
    async call(method: string, params?: unknown) {
      const id = nextId++;
      ws.send(JSON.stringify({ id, method, params }));
      return reply(id);
    },
    events: () => messages.flatMap((m) => ('event' in m ? [m.event as ControlEvent] : [])),
  };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function httpRequest(url: string, path: string, opts: { headers?: Record<string, string>; method?: string; body?: Buffer; ca?: Buffer } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const u = new URL(url);
    const send = u.protocol === 'https:' ? httpsRequest : request;
    const req = send({ host: u.hostname, port: u.port, path, method: opts.method ?? 'GET', headers: opts.headers, ca: opts.ca }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('the WebSocket API', () => {
  it('answers calls and streams events', async () => {
    const { url } = await setup();
    const c = await connect(wsUrl(url));
    const list = await c.call('listPlugins');
    expect(list).toMatchObject({ ok: true, result: [{ id: 'minimal', state: 'enabled' }] });
    const off = await c.call('setEnabled', { id: 'minimal', enabled: false });
    expect(off).toMatchObject({ ok: true, result: { ok: true, plugin: { state: 'disabled' } } });
    expect(c.events()).toContainEqual(expect.objectContaining({ type: 'plugin', plugin: expect.objectContaining({ id: 'minimal', state: 'disabled' }) }));
    c.ws.close();
  });

  it('rejects malformed messages, unknown methods and wrong parameters without closing', async () => {
    const { url } = await setup();
    const c = await connect(wsUrl(url));
    c.ws.send('not json');
    expect(await c.reply(null)).toMatchObject({ ok: false, error: 'the message is not JSON' });
    c.ws.send(JSON.stringify({ method: 'listPlugins' }));
    await expect.poll(() => c.messages.filter((m) => 'id' in m && m.id === null)).toHaveLength(2);
    expect(await c.call('shutdownEverything')).toMatchObject({ ok: false, error: 'unknown method "shutdownEverything"' });
    expect(await c.call('setEnabled', { id: 'minimal', enabled: 'yes' })).toMatchObject({ ok: false, error: expect.stringMatching(/"enabled" must be true or false/) });
    expect(await c.call('setEnabled', { id: 'minimal', enabled: false, extra: 1 })).toMatchObject({ ok: false, error: expect.stringMatching(/unexpected parameter "extra"/) });
    expect(await c.call('deployPlugin', { name: 'x.wasm', data: '***' })).toMatchObject({ ok: false, error: expect.stringMatching(/must be base64/) });
    expect(await c.call('listPlugins', { sneaky: true })).toMatchObject({ ok: false, error: 'listPlugins takes no parameters' });
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await expect.poll(() => c.messages.filter((m) => 'id' in m && m.id === null)).toHaveLength(3);
    expect(host!.plugins.get('minimal')?.state).toBe('enabled');
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    c.ws.close();
  });

  it('refuses pages from other origins and hosts that are not loopback names (DNS rebinding)', async () => {
    const { url, port } = await setup();
    await expect(connect(wsUrl(url), { origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect(wsUrl(url), { headers: { host: `evil.example:${port}` } })).rejects.toThrow('HTTP 421');
    const sameOrigin = await connect(wsUrl(url), { origin: `http://127.0.0.1:${port}` });
    sameOrigin.ws.close();
    expect((await httpRequest(url, `/${new URL(url).search}`, { headers: { host: `rebind.example:${port}` } })).status).toBe(421);
  });

  it('closes a connection whose message is above the call limit, and only that one', async () => {
    const { url } = await setup({ limits: { maxCallBytes: 64 * 1024 } });
    const bystander = await connect(wsUrl(url));
    const big = await connect(wsUrl(url));
    big.ws.send(JSON.stringify({ id: 1, method: 'runCommand', params: { line: 'x'.repeat(100 * 1024) } }));
    expect((await big.closed).code).toBe(1009);
    expect(await bystander.call('configStatus')).toMatchObject({ ok: true });
    expect(logged.filter((l) => l.includes('Max payload size exceeded'))).toHaveLength(1);
    bystander.ws.close();
  });

  it('caps the number of connections with a reason the panel shows', async () => {
    const { url } = await setup({ limits: { maxConnections: 2 } });
    const first = await connect(wsUrl(url));
    const second = await connect(wsUrl(url));
    const third = await connect(wsUrl(url));
    expect(await third.closed).toEqual({ code: 1013, reason: 'too many panel connections (at most 2): close another panel' });
    expect(await second.call('listPlugins')).toMatchObject({ ok: true });
    first.ws.close();
    await first.closed;
    const again = await connect(wsUrl(url));
    expect(await again.call('listPlugins')).toMatchObject({ ok: true });
    again.ws.close();
    second.ws.close();
  });
});

describe('tokens', () => {
  it('a loopback panel makes a random token for this run; nothing is served without it', async () => {
    const { url, port, token, panel: p } = await setup();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
    expect(p.printableUrl).toBe(url);
    const base = `ws://127.0.0.1:${port}/api`;
    // No Origin header at all (a local process, not a browser) changes nothing.
    await expect(connect(base)).rejects.toThrow('HTTP 401');
    await expect(connect(`${base}?token=wrong`)).rejects.toThrow('HTTP 401');
    await expect(connect(base, { headers: { cookie: cookieFor(port, 'wrong') } })).rejects.toThrow('HTTP 401');
    const refused = await httpRequest(url, '/');
    expect(refused).toMatchObject({ status: 401, body: expect.stringContaining('open the URL that `infrarust-desktop serve` printed') });
    expect((await httpRequest(url, '/assets/app.js')).status).toBe(401);

    // The first load turns the URL's token into a cookie, which then carries it alone.
    const first = await httpRequest(url, `/?token=${token}`);
    expect(first.status).toBe(200);
    expect(first.headers['set-cookie']).toEqual([`${cookieFor(port, token)}; Path=/; HttpOnly; SameSite=Strict`]);
    const cookie = first.headers['set-cookie']![0]!.split(';')[0]!;
    expect((await httpRequest(url, '/assets/app.js', { headers: { cookie } })).status).toBe(200);
    const byCookie = await connect(base, { headers: { cookie: `other=1; ${cookie}` } });
    expect(await byCookie.call('configStatus')).toMatchObject({ ok: true });
    byCookie.ws.close();
    const byHeader = await connect(base, { headers: { authorization: `Bearer ${token}` } });
    byHeader.ws.close();

    // What the page asks after a refused connection (a browser hides the upgrade's answer).
    const withCookie = (value: string): typeof fetch => (input, init) => fetch(input, { ...init, headers: { cookie: value } });
    expect(await sessionRefusal(new URL(url), withCookie(cookie))).toBeUndefined();
    expect(await sessionRefusal(new URL(url), withCookie(cookieFor(port, 'from-the-last-run')))).toBe('this panel needs its token: open the URL that `infrarust-desktop serve` printed');
  });

  it('refuses to listen off loopback without a token', async () => {
    await expect(setup({ bind: '0.0.0.0:0' })).rejects.toThrow(/not loopback: set a token/);
  });

  it('requires the configured token off loopback, and never prints it', async () => {
    const { url, port, panel: p } = await setup({ bind: '0.0.0.0:0', token: 's3cret token' });
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/\?token=s3cret%20token$/);
    expect(p.printableUrl).toBe(`http://0.0.0.0:${port}/ (with the [panel] token of infrarust.toml as ?token=)`);
    const base = `ws://127.0.0.1:${port}/api`;
    await expect(connect(base)).rejects.toThrow('HTTP 401');
    await expect(connect(`${base}?token=wrong`)).rejects.toThrow('HTTP 401');
    const ok = await connect(`${base}?token=s3cret%20token`);
    expect(await ok.call('configStatus')).toMatchObject({ ok: true });
    ok.ws.close();
    const byCookie = await connect(base, { headers: { cookie: cookieFor(port, 's3cret token') } });
    byCookie.ws.close();
  });

  it('serves HTTPS with [panel] tls_cert and tls_key; its cookie is Secure', async () => {
    const { url, port, token } = await setup({ tls: true });
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const ca = await readFile(join(t.dir, 'panel.crt'));
    const page = await httpRequest(url, `/?token=${token}`, { ca });
    expect(page.status).toBe(200);
    expect(page.headers['set-cookie']![0]).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    const c = await connect(`wss://127.0.0.1:${port}/api?token=${token}`, { ca, origin: `https://127.0.0.1:${port}` });
    expect(await c.call('configStatus')).toMatchObject({ ok: true });
    c.ws.close();
    // Plain HTTP to the TLS port is a bad peer like any other.
    const plainPeer = await rawPeer(port);
    plainPeer.socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    await plainPeer.closed;
    await expect.poll(() => logged.filter((l) => l.includes(`:${plainPeer.localPort}: TLS`))).toHaveLength(1);
  });
});

describe('uploads', () => {
  const put = (url: string, port: number, token: string, name: string, body: Buffer, extra: Record<string, string> = {}) =>
    httpRequest(url, `/api/uploads?name=${encodeURIComponent(name)}${extra.replace ? '&replace=1' : ''}`, {
      method: 'PUT',
      body,
      headers: { cookie: cookieFor(port, token), 'content-type': 'application/wasm', ...extra },
    });

  it('streams a plugin into the one deploy path: checked, confirmed before replacing, written intact', async () => {
    const { url, port, token } = await setup();
    const bytes = await readFile(fixturePath('hello'));
    const deployed = await put(url, port, token, 'hello.wasm', bytes);
    expect(deployed.status).toBe(200);
    expect(JSON.parse(deployed.body)).toMatchObject({ kind: 'deployed', plugin: { id: 'hello', state: 'enabled' } });
    expect(sha256(await readFile(join(t.pluginsDir, 'hello.wasm')))).toBe(sha256(bytes));
    expect(JSON.parse((await put(url, port, token, 'hello-2.wasm', bytes)).body)).toMatchObject({ kind: 'needs-confirmation', id: 'hello' });
    expect(JSON.parse((await put(url, port, token, 'hello-2.wasm', bytes, { replace: '1' })).body)).toMatchObject({ kind: 'deployed', plugin: { id: 'hello' } });
    expect((await readdir(t.pluginsDir)).filter((f) => f.endsWith('.wasm')).sort()).toEqual(['hello-2.wasm', 'minimal.wasm']);
    expect((await readdir(join(t.pluginsDir, '.cache'))).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
  });

  it('refuses what it must with the reason the panel shows, keeping nothing', async () => {
    const { url, port, token } = await setup({ limits: { maxUploadBytes: 64 * 1024 } });
    const refused = async (answer: Promise<Answer>) => {
      const a = await answer;
      return { status: a.status, ...(JSON.parse(a.body) as object) };
    };
    expect(await refused(put(url, port, token, '../evil.wasm', Buffer.from('x')))).toEqual({ status: 400, kind: 'refused', reason: expect.stringMatching(/folder separator/) });
    expect(await refused(put(url, port, token, 'empty.wasm', Buffer.alloc(0)))).toEqual({ status: 400, kind: 'refused', reason: 'the file is empty' });
    expect(await refused(put(url, port, token, 'zeros.wasm', Buffer.alloc(1000)))).toMatchObject({ status: 200, kind: 'refused' });
    // Announced too large: refused before a byte is read.
    const announced = await rawPeer(port);
    announced.socket.write(`PUT /api/uploads?name=big.wasm HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookieFor(port, token)}\r\nContent-Length: 999999999\r\n\r\n`);
    const announcedAnswer = (await announced.closed).toString();
    expect(announcedAnswer).toMatch(/^HTTP\/1\.1 413/);
    expect(announcedAnswer).toContain('"reason":"it is 953.7 MiB, above the 64.0 KiB limit"');
    // Not announced (chunked): refused as soon as the count passes the limit, while the peer still sends.
    const chunked = await rawPeer(port);
    chunked.socket.write(`PUT /api/uploads?name=big.wasm HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookieFor(port, token)}\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const chunk = Buffer.alloc(16 * 1024, 1);
    for (let i = 0; i < 5; i++) chunked.socket.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
    await expect.poll(() => chunked.received().toString()).toMatch(/^HTTP\/1\.1 413[\s\S]*"reason":"it is 80\.0 KiB, above the 64\.0 KiB limit"/);
    await chunked.closed;

    expect((await httpRequest(url, '/api/uploads?name=a.wasm', { headers: { cookie: cookieFor(port, token) } })).status).toBe(405);
    expect((await put(url, port, 'wrong', 'a.wasm', Buffer.from('x'))).status).toBe(401);
    expect((await put(url, port, token, 'a.wasm', Buffer.from('x'), { origin: 'https://evil.example' })).status).toBe(403);
    expect((await readdir(t.pluginsDir)).filter((f) => f.endsWith('.wasm'))).toEqual(['minimal.wasm']);
    expect((await readdir(join(t.pluginsDir, '.cache'))).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    expect(host!.plugins.list().map((p) => p.id)).toEqual(['minimal']);
  });

  it('caps uploads in flight; the one that fits still lands; the panel\'s uploader shows the refusal', async () => {
    const { url, port, token } = await setup({ limits: { maxUploadsInFlight: 1 } });
    const bytes = await readFile(fixturePath('hello'));
    const slow = await rawPeer(port);
    slow.socket.write(`PUT /api/uploads?name=hello.wasm HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookieFor(port, token)}\r\nContent-Length: ${bytes.length}\r\n\r\n`);
    slow.socket.write(bytes.subarray(0, 100));
    // The panel's own uploader (the renderer's code) against the real server; fetch has no cookie jar here.
    const withCookie: typeof fetch = (input, init) => fetch(input, { ...init, headers: { ...init?.headers, cookie: cookieFor(port, token) } });
    const deploy = deployOverHttp(new URL(url), withCookie);
    const file = new File([bytes], 'other.wasm');
    // Its staging file shows the slow upload is in flight.
    await expect.poll(async () => (await readdir(join(t.pluginsDir, '.cache')).catch(() => [])).some((f) => f.startsWith('.tmp-upload-'))).toBe(true);
    await expect(deploy(file, false)).rejects.toThrow('too many uploads at once (at most 1): try again when one has finished');
    slow.socket.write(bytes.subarray(100));
    await expect.poll(() => slow.received().toString(), { timeout: 20_000 }).toContain('"kind":"deployed"');
    slow.socket.destroy();
    expect(sha256(await readFile(join(t.pluginsDir, 'hello.wasm')))).toBe(sha256(bytes));
    expect(await deploy(file, false)).toMatchObject({ kind: 'needs-confirmation', id: 'hello' });
  });
});

describe('static files', () => {
  it('serves the renderer with a strict CSP, and nothing outside it', async () => {
    const { url, port, token } = await setup();
    const headers = { cookie: cookieFor(port, token) };
    const page = await httpRequest(url, '/', { headers });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>panel</title>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/);
    expect((await httpRequest(url, '/assets/app.js', { headers })).headers['content-type']).toMatch(/javascript/);
    expect((await httpRequest(url, '/%2e%2e/secret.txt', { headers })).status).toBe(404);
    expect((await httpRequest(url, '/..%2fsecret.txt', { headers })).status).toBe(404);
    expect((await httpRequest(url, '/', { headers, method: 'POST' })).status).toBe(405);
    expect((await httpRequest(url, '/nope.js', { headers })).status).toBe(404);
    expect((await httpRequest(url, '/api/other', { headers })).status).toBe(404);
  });
});
