// The headless panel: the built renderer over plain HTTP and the control API over a WebSocket at /api.
// On loopback it needs no token, but only pages served by itself may connect (Origin and Host are checked,
// which stops other web pages and DNS rebinding); anywhere else it refuses to start without a token.
import { timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve, sep } from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CONTROL_WS_PATH, MAX_PLUGIN_BYTES, type ControlEvent, type WsServerMessage } from '../../shared/control-api';
import { isLoopbackHost, parseHostPort } from '../config/host-port';
import { packageRoot } from '../guest/worker-entry';
import type { Host } from '../host/host';
import { checkCall, dispatch } from './call-validation';
import { ControlService } from './control-service';
import { listenOn } from '../net/listen';
import { contentType, RENDERER_CSP } from './renderer-files';

export interface PanelServerOptions {
  /** host:port; port 0 picks a free one. */
  bind: string;
  /** Required when `bind` is not loopback; when set, always required. */
  token?: string | null;
  /** The built renderer (default: out/renderer of this package). */
  rendererDir?: string;
  /** An existing service to expose; by default the server starts its own and closes it on close(). */
  control?: ControlService;
}

export interface PanelServer {
  /** Where to open the panel (with `?token=` when a token is set). */
  url: string;
  close(): Promise<void>;
}

/** A deploy carries a 64 MiB file as base64, plus the JSON around it. */
const MAX_MESSAGE_BYTES = Math.ceil((MAX_PLUGIN_BYTES * 4) / 3) + 64 * 1024;
/** A client this far behind stops getting log lines (its other events still go out). */
const LOG_BACKLOG_BYTES = 4 * 1024 * 1024;

const SECURITY_HEADERS = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export async function startPanelServer(host: Host, opts: PanelServerOptions): Promise<PanelServer> {
  const bind = parseHostPort(opts.bind);
  if (!bind) throw new Error(`panel bind "${opts.bind}" is not host:port`);
  const loopback = isLoopbackHost(bind.host);
  const token = opts.token || null;
  if (!loopback && !token) {
    throw new Error(`the panel would listen on ${opts.bind}, which is not loopback: set a token ([panel] token in infrarust.toml)`);
  }
  const rendererDir = resolve(opts.rendererDir ?? join(packageRoot(), 'out', 'renderer'));
  const control = opts.control ?? (await ControlService.start(host));
  const ownsControl = !opts.control;

  let port = bind.port;
  const hostAllowed = (req: IncomingMessage): boolean => !loopback || isLoopbackAuthority(req.headers.host, port);

  const http = createServer((req, res) => {
    if (!hostAllowed(req)) return void plain(res, 421, 'unexpected Host header');
    void serveStatic(rendererDir, req, res).catch(() => plain(res, 500, 'internal error'));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://panel');
    const refusal =
      url.pathname !== CONTROL_WS_PATH
        ? '404 Not Found'
        : !hostAllowed(req)
          ? '421 Misdirected Request'
          : !originAllowed(req)
            ? '403 Forbidden'
            : token && !sameSecret(url.searchParams.get('token') ?? '', token)
              ? '401 Unauthorized'
              : null;
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveClient(ws, control));
  });

  try {
    await listenOn(http, bind.host, bind.port, '[panel] bind');
  } catch (err) {
    if (ownsControl) await control.close();
    throw err;
  }
  port = (http.address() as AddressInfo).port;
  const hostPart = bind.host.includes(':') ? `[${bind.host}]` : bind.host;
  const url = `http://${hostPart}:${port}/${token ? `?token=${encodeURIComponent(token)}` : ''}`;

  return {
    url,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((r) => http.close(() => r()));
      if (ownsControl) await control.close();
    },
  };
}

function serveClient(ws: WebSocket, control: ControlService): void {
  const send = (msg: WsServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const unsubscribe = control.subscribe((event: ControlEvent) => {
    if (event.type === 'log' && ws.bufferedAmount > LOG_BACKLOG_BYTES) return;
    send({ event });
  });
  ws.on('close', unsubscribe);
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return send({ id: null, ok: false, error: 'binary messages are not accepted' });
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString());
    } catch {
      return send({ id: null, ok: false, error: 'the message is not JSON' });
    }
    const { id, method, params } = (typeof msg === 'object' && msg !== null ? msg : {}) as Record<string, unknown>;
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return send({ id: null, ok: false, error: 'the message needs a numeric "id"' });
    const check = checkCall(method, params);
    if (!check.ok) return send({ id, ok: false, error: check.error });
    dispatch(control, check.call).then(
      (result) => send({ id, ok: true, result }),
      (err: unknown) => send({ id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}

/** Browsers always send Origin on a WebSocket handshake: only our own pages may connect. */
function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${req.headers.host}`;
}

/** A loopback panel answers only to loopback names, so a rebinding DNS name cannot reach it. */
function isLoopbackAuthority(authority: string | undefined, port: number): boolean {
  if (!authority) return false;
  const parsed = parseHostPort(authority);
  return parsed !== null && parsed.port === port && isLoopbackHost(parsed.host);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed');
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://panel').pathname);
  } catch {
    return plain(res, 400, 'bad path');
  }
  if (pathname.includes('\0')) return plain(res, 400, 'bad path');
  if (pathname.endsWith('/')) pathname += 'index.html';
  const file = resolve(root, `.${pathname}`);
  if (!file.startsWith(root + sep)) return plain(res, 404, 'not found');
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    if (pathname === '/index.html') return plain(res, 503, 'the panel is not built: run `npm run build`');
    return plain(res, 404, 'not found');
  }
  const body = await readFile(file);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': contentType(file),
    'Content-Length': body.length,
    // Built assets carry a content hash in their name; the page itself must always be fresh.
    'Cache-Control': pathname === '/index.html' ? 'no-store' : 'public, max-age=31536000, immutable',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}
