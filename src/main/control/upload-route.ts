// `PUT /api/uploads?name=<file>.wasm[&replace=1]`: a plugin file streamed to a staging file on disk, counted
// as it arrives and refused as soon as it passes the limit, then handed to the one deploy path
// (ControlService.deployFile) — the same checks, confirmation and progress events as every other deploy.
// Memory per upload stays at one stream buffer; at most `maxInFlight` uploads are received or deployed at once.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { DeployResult } from '../../shared/control-api';
import { pluginFileNameProblem, uploadSizeProblem } from '../../shared/upload-checks';
import type { ControlService } from './control-service';
import { plain, SECURITY_HEADERS } from './panel-static';
import type { PanelLog } from './panel-socket';

export const UPLOAD_PATH = '/api/uploads';
/** How long the rest of a refused body is read and dropped before the connection is closed. */
const LINGER_MS = 1000;

export interface UploadRouteOptions {
  control: ControlService;
  /** Where staging files go (same filesystem as plugins_dir; `.tmp-` names are swept after a crash). */
  stagingDir: () => string;
  maxBytes: number;
  maxInFlight: number;
  log: PanelLog;
}

export function uploadRoute(opts: UploadRouteOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  let inFlight = 0;
  return async (req, res) => {
    if (req.method !== 'PUT') return plain(res, 405, 'uploads are PUT requests', { Allow: 'PUT' });
    const query = new URL(req.url ?? '/', 'http://panel').searchParams;
    const name = query.get('name') ?? '';
    const nameProblem = pluginFileNameProblem(name);
    if (nameProblem) return refuse(req, res, 400, nameProblem);
    const announced = Number(req.headers['content-length'] ?? NaN);
    if (announced > opts.maxBytes) return refuse(req, res, 413, uploadSizeProblem(announced, opts.maxBytes)!);
    if (inFlight >= opts.maxInFlight) {
      plain(res, 503, `too many uploads at once (at most ${opts.maxInFlight}): try again when one has finished`);
      return dropRest(req);
    }
    inFlight++;
    const staged = join(opts.stagingDir(), `.tmp-upload-${process.pid}-${randomBytes(6).toString('hex')}.wasm`);
    let reply: () => void;
    try {
      reply = await receiveAndDeploy(req, res, name, staged, query.get('replace') === '1');
    } catch (err) {
      opts.log('warn', `panel: the upload of ${name} failed: ${(err as Error).message}`);
      reply = () => {
        plain(res, 500, `the upload failed: ${(err as Error).message}`);
        dropRest(req);
      };
    } finally {
      // Once the peer has its answer, the staging file is gone and the slot is free (disk use is capped too).
      await rm(staged, { force: true }).catch(() => undefined);
      inFlight--;
    }
    reply();
  };

  /** Returns how to answer, once the upload is received and deployed (or refused). */
  async function receiveAndDeploy(req: IncomingMessage, res: ServerResponse, name: string, staged: string, replace: boolean): Promise<() => void> {
    await mkdir(opts.stagingDir(), { recursive: true });
    const received = await receive(req, staged, opts.maxBytes);
    if (received.kind === 'aborted') return () => undefined;
    const problem = uploadSizeProblem(received.size, opts.maxBytes);
    if (problem) return () => refuse(req, res, received.kind === 'over' ? 413 : 400, problem);
    const result = await opts.control.deployFile(name, { file: staged }, { replace });
    return () => answer(res, 200, result);
  }
}

type Received = { kind: 'done' | 'over'; size: number } | { kind: 'aborted' };

/** Streams the body into `path` with backpressure, stopping as soon as it passes `maxBytes`. */
function receive(req: IncomingMessage, path: string, maxBytes: number): Promise<Received> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(path, { flags: 'wx' });
    let size = 0;
    let settled = false;
    const settle = (r: Received | Error) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      // The file must be complete (or closed, to be removed) before anyone looks at it again.
      const whenClosed = (then: () => void) => (out.closed ? then() : void out.destroy().once('close', then));
      if (r instanceof Error) return whenClosed(() => reject(r));
      if (r.kind !== 'done') return whenClosed(() => resolve(r));
      out.end(() => resolve(r));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        return settle({ kind: 'over', size });
      }
      if (!out.write(chunk)) {
        req.pause();
        out.once('drain', () => req.resume());
      }
    };
    req.on('data', onData);
    req.once('end', () => settle({ kind: 'done', size }));
    const gone = () => {
      if (!req.complete) settle({ kind: 'aborted' });
    };
    req.once('close', gone);
    // A peer that went away (or whose body the HTTP parser rejected) before we got here.
    if (req.destroyed || req.socket.destroyed) gone();
    req.once('error', () => settle({ kind: 'aborted' }));
    out.once('error', (err) => settle(err));
  });
}

/** A refusal the panel shows like any other: the deploy result's own shape. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, reason: string): void {
  answer(res, status, { kind: 'refused', reason });
  dropRest(req);
}

/**
 * The peer may still be sending the body we refused: closing now would reset the connection and lose our
 * answer, so the rest is read and dropped (never stored) for a moment, then the connection is closed.
 */
function dropRest(req: IncomingMessage): void {
  if (req.complete) return;
  req.resume();
  const timer = setTimeout(() => {
    if (!req.complete) req.socket.destroy();
  }, LINGER_MS).unref();
  req.once('end', () => clearTimeout(timer));
}

function answer(res: ServerResponse, status: number, result: DeployResult): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(result));
}
