// The built renderer as static files, with a strict CSP, and nothing outside its folder.
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { RENDERER_CSP, rendererFile } from './renderer-files';

export const SECURITY_HEADERS = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** `extra` headers go on a successful answer (the token cookie of a first load). */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, extra: OutgoingHttpHeaders = {}): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed');
  let urlPath: string;
  try {
    urlPath = new URL(req.url ?? '/', 'http://panel').pathname;
  } catch {
    return plain(res, 400, 'bad path');
  }
  const found = rendererFile(root, urlPath);
  if (!found.ok) return plain(res, found.status, found.reason);
  const { file } = found;
  // The page itself (not a hashed asset): never cached, and its absence means an unbuilt panel.
  const page = file === resolve(root, 'index.html');
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    if (page) return plain(res, 503, 'the panel is not built: run `npm run build`');
    return plain(res, 404, 'not found');
  }
  const body = await readFile(file);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    ...extra,
    'Content-Type': found.contentType,
    'Content-Length': body.length,
    // Built assets carry a content hash in their name; the page itself must always be fresh.
    'Cache-Control': page ? 'no-store' : 'private, max-age=31536000, immutable',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function plain(res: ServerResponse, status: number, text: string, extra: OutgoingHttpHeaders = {}): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { ...SECURITY_HEADERS, ...extra, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}
