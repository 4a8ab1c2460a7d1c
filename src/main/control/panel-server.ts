// The headless panel: the built renderer over HTTP(S), the control API over a WebSocket at /api, and plugin
// uploads streamed to PUT /api/uploads. Everything needs the panel's token (panel-auth.ts). A bad peer —
// malformed HTTP, a slow or broken upgrade, a frame that breaks the WebSocket protocol — loses only its own
// connection, logged once. Memory is bounded: small frames for calls, uploads streamed to disk, caps on
// connections and on uploads in flight.
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { CONTROL_WS_PATH, MAX_PLUGIN_BYTES, SESSION_PATH } from '../../shared/control-api';
import { formatHostPort, isLoopbackHost, parseHostPort } from '../config/host-port';
import { packageRoot } from '../guest/worker-entry';
import type { Host } from '../host/host';
import { CACHE_DIR_NAME } from '../plugins/plugin-scan';
import { ControlService } from './control-service';
import { listenOn } from '../net/listen';
import { newRunToken, panelAuth } from './panel-auth';
import { refuseClient, serveClient, type PanelLog } from './panel-socket';
import { plain, serveStatic } from './panel-static';
import { UPLOAD_PATH, uploadRoute } from './upload-route';

export interface PanelLimits {
  /** Largest WebSocket message; calls are small, files go through uploads. */
  maxCallBytes: number;
  maxConnections: number;
  /** Open sockets of any kind (page loads, upgrades in progress, uploads): more are closed at once. */
  maxSockets: number;
  /** Largest upload; counted as it arrives. */
  maxUploadBytes: number;
  maxUploadsInFlight: number;
  /** A client must finish its request headers (an upgrade included) within this time. */
  headersTimeoutMs: number;
  /** A whole request (an upload's body included) must arrive within this time. */
  requestTimeoutMs: number;
}

export const PANEL_LIMITS: PanelLimits = {
  maxCallBytes: 1024 * 1024,
  maxConnections: 32,
  maxSockets: 256,
  maxUploadBytes: MAX_PLUGIN_BYTES,
  maxUploadsInFlight: 4,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 5 * 60_000,
};

export interface PanelServerOptions {
  /** host:port; port 0 picks a free one. */
  bind: string;
  /** The configured token; without one, a random token is made for this run. Required off loopback. */
  token?: string | null;
  /** PEM files: serve HTTPS instead of HTTP. */
  tls?: { certFile: string; keyFile: string } | null;
  /** The built renderer (default: out/renderer of this package). */
  rendererDir?: string;
  /** An existing service to expose; by default the server starts its own and closes it on close(). */
  control?: ControlService;
  limits?: Partial<PanelLimits>;
  /** Where bad peers and failed uploads are reported (default: nowhere). */
  log?: PanelLog;
}

export interface PanelServer {
  /** Where to open the panel: carries `?token=`. */
  url: string;
  /** The URL as it may be written to a log: the token only when it was made for this run. */
  printableUrl: string;
  close(): Promise<void>;
}

export async function startPanelServer(host: Host, opts: PanelServerOptions): Promise<PanelServer> {
  const bind = parseHostPort(opts.bind);
  if (!bind) throw new Error(`panel bind "${opts.bind}" is not host:port`);
  const loopback = isLoopbackHost(bind.host);
  if (!loopback && !opts.token) {
    throw new Error(`the panel would listen on ${opts.bind}, which is not loopback: set a token ([panel] token in infrarust.toml)`);
  }
  const limits = { ...PANEL_LIMITS, ...opts.limits };
  const log: PanelLog = opts.log ?? (() => undefined);
  const rendererDir = resolve(opts.rendererDir ?? join(packageRoot(), 'out', 'renderer'));
  const tls = opts.tls ? await readTls(opts.tls) : null;
  const scheme = tls ? 'https' : 'http';
  const control = opts.control ?? (await ControlService.start(host));
  const ownsControl = !opts.control;

  let port = bind.port;
  const auth = panelAuth({ token: opts.token || newRunToken(), loopback, scheme, port: () => port });
  const uploads = uploadRoute({
    control,
    stagingDir: () => join(host.plugins.pluginsDir, CACHE_DIR_NAME),
    maxBytes: limits.maxUploadBytes,
    maxInFlight: limits.maxUploadsInFlight,
    log,
  });
  const serverOptions: ServerOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // Both timeouts are only checked this often (Node's default is 30 s).
    connectionsCheckingInterval: Math.max(50, Math.min(1000, limits.headersTimeoutMs / 2)),
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    // A peer that goes away mid-answer ends its own request; the socket error is handled below.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    void route(req, res).catch((err: Error) => {
      log('warn', `panel: ${req.method} ${req.url} failed: ${err.message}`);
      plain(res, 500, 'internal error');
    });
  };
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const refusal = auth.refusal(req);
    if (refusal) return plain(res, refusal.status, refusal.message);
    const { pathname } = new URL(req.url ?? '/', 'http://panel');
    if (pathname === UPLOAD_PATH) return uploads(req, res);
    if (pathname === SESSION_PATH) return void res.writeHead(204, { 'Cache-Control': 'no-store' }).end();
    if (pathname.startsWith('/api')) return plain(res, 404, 'not found');
    // The first load arrives with `?token=`: from then on, the cookie carries it.
    await serveStatic(rendererDir, req, res, auth.hasQueryToken(req) ? { 'Set-Cookie': auth.cookie() } : {});
  };
  const http: Server = tls
    ? createHttpsServer({ ...serverOptions, ...tls, handshakeTimeout: limits.headersTimeoutMs }, onRequest)
    : createHttpServer(serverOptions, onRequest);
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxCallBytes, perMessageDeflate: false });

  http.maxConnections = limits.maxSockets;
  handleClientErrors(http, log);
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refusal = new URL(req.url ?? '/', 'http://panel').pathname !== CONTROL_WS_PATH ? { status: 404, message: 'not found' } : auth.refusal(req);
    if (refusal) return refuseUpgrade(socket, refusal.status, refusal.message);
    const peer = peerName(req.socket);
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (wss.clients.size > limits.maxConnections) {
        log('warn', `panel: refused ${peer}: ${wss.clients.size - 1} panel connections are open already`);
        return refuseClient(ws, 1013, `too many panel connections (at most ${limits.maxConnections}): close another panel`);
      }
      serveClient(ws, control, peer, log);
    });
  });

  try {
    await listenOn(http, bind.host, bind.port, '[panel] bind');
  } catch (err) {
    if (ownsControl) await control.close();
    throw err;
  }
  // Once listening, a failure of the server itself (not of one peer) is reported rather than thrown.
  http.on('error', (err) => log('warn', `panel: ${err.message}`));
  port = (http.address() as AddressInfo).port;
  const base = `${scheme}://${formatHostPort(bind.host, port)}/`;
  const url = `${base}?token=${encodeURIComponent(auth.token)}`;

  return {
    url,
    printableUrl: opts.token ? `${base} (with the [panel] token of infrarust.toml as ?token=)` : url,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      const closed = new Promise<void>((r) => http.close(() => r()));
      http.closeAllConnections();
      await closed;
      if (ownsControl) await control.close();
    },
  };
}

/** Malformed HTTP, header floods and slow headers: the peer gets the matching status, then its socket closes. */
function handleClientErrors(http: Server, log: PanelLog): void {
  // HTTPS only: a failed or too slow TLS handshake (the socket is already destroyed).
  http.on('tlsClientError', (err: Error, socket: Socket) => {
    log('warn', `panel: closed the connection of ${peerName(socket)}: TLS: ${err.message}`);
  });
  http.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable) return void socket.destroy();
    const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    log('warn', `panel: closed the connection of ${peerName(socket as Socket)}: ${err.message}${err.code ? ` (${err.code})` : ''}`);
    refuseUpgrade(socket, status, status === 408 ? 'request timeout' : 'bad request');
  });
}

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 408: 'Request Timeout', 421: 'Misdirected Request', 431: 'Request Header Fields Too Large' }[status] ?? 'Error';
  const body = `${message}\n`;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  // A peer that never reads its refusal must not hold the socket open.
  setTimeout(() => socket.destroy(), 1000).unref();
}

function peerName(socket: Socket): string {
  const address = socket.remoteAddress ?? 'unknown';
  return `${address.includes(':') ? `[${address}]` : address}:${socket.remotePort ?? '?'}`;
}

async function readTls(files: { certFile: string; keyFile: string }): Promise<{ cert: Buffer; key: Buffer }> {
  const read = (file: string, key: string) =>
    readFile(file).catch((err: Error) => {
      throw new Error(`[panel] ${key}: cannot read ${file}: ${err.message}`);
    });
  return { cert: await read(files.certFile, 'tls_cert'), key: await read(files.keyFile, 'tls_key') };
}

