// The headless panel over real sockets: static files, the WebSocket API, and who may use it.
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ControlEvent, WsServerMessage } from '../../shared/control-api';
import { tempHost, type TempHost } from '../../../test/support/temp-host';
import { Host } from '../host/host';
import { startPanelServer, type PanelServer } from './panel-server';

let t: TempHost;
let host: Host | undefined;
let panel: PanelServer | undefined;

afterEach(async () => {
  await panel?.close();
  await host?.stop();
  await t?.cleanup();
  panel = host = undefined;
});

async function setup(opts: { bind?: string; token?: string } = {}) {
  t = await tempHost();
  await t.addPlugin('minimal');
  const rendererDir = join(t.dir, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>panel</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(t.dir, 'secret.txt'), 'do not serve');
  host = await Host.start({ cwd: t.dir, proxy: false });
  panel = await startPanelServer(host, { bind: opts.bind ?? '127.0.0.1:0', token: opts.token, rendererDir });
  return panel;
}

const wsUrl = (url: string, extra = '') => `${url.replace(/^http/, 'ws').replace(/\/(\?.*)?$/, '/api$1')}${extra}`;

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
  const reply = (id: number | null) => expect.poll(() => messages.find((m) => 'id' in m && m.id === id), { timeout: 10_000 }).toBeDefined().then(() => messages.find((m) => 'id' in m && m.id === id)!);
  return {
    ws,
    messages,
    reply,
    async call(method: string, params?: unknown) {
      const id = nextId++;
      ws.send(JSON.stringify({ id, method, params }));
      return reply(id);
    },
    events: () => messages.flatMap((m) => ('event' in m ? [m.event as ControlEvent] : [])),
  };
}

function httpGet(url: string, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the WebSocket API', () => {
  it('answers calls and streams events', async () => {
    const { url } = await setup();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
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
    const { url } = await setup();
    await expect(connect(wsUrl(url), { origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    const port = new URL(url).port;
    await expect(connect(wsUrl(url), { headers: { host: `evil.example:${port}` } })).rejects.toThrow('HTTP 421');
    const sameOrigin = await connect(wsUrl(url), { origin: `http://127.0.0.1:${port}` });
    sameOrigin.ws.close();
    expect((await httpGet(url, '/', { host: `rebind.example:${port}` })).status).toBe(421);
  });
});

describe('tokens', () => {
  it('refuses to listen off loopback without a token', async () => {
    await expect(setup({ bind: '0.0.0.0:0' })).rejects.toThrow(/not loopback: set a token/);
  });

  it('requires the token off loopback, and puts it in the printed URL', async () => {
    const { url } = await setup({ bind: '0.0.0.0:0', token: 's3cret token' });
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/\?token=s3cret%20token$/);
    const port = new URL(url).port;
    const base = `ws://127.0.0.1:${port}/api`;
    await expect(connect(base)).rejects.toThrow('HTTP 401');
    await expect(connect(`${base}?token=wrong`)).rejects.toThrow('HTTP 401');
    const ok = await connect(`${base}?token=s3cret%20token`);
    expect(await ok.call('configStatus')).toMatchObject({ ok: true });
    ok.ws.close();
  });
});

describe('static files', () => {
  it('serves the renderer with a strict CSP, and nothing outside it', async () => {
    const { url } = await setup();
    const page = await httpGet(url, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>panel</title>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/);
    expect((await httpGet(url, '/assets/app.js')).headers['content-type']).toMatch(/javascript/);
    expect((await httpGet(url, '/%2e%2e/secret.txt')).status).toBe(404);
    expect((await httpGet(url, '/..%2fsecret.txt')).status).toBe(404);
    expect((await httpGet(url, '/', {}, 'POST')).status).toBe(405);
    expect((await httpGet(url, '/nope.js')).status).toBe(404);
  });
});
