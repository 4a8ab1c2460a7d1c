// What both carriers of the panel page agree on: the Content-Security-Policy they send as a header, the
// content types of the built renderer's files, and how a request path maps to a file inside the renderer
// folder (never outside it). Plain Node: the Electron shell's app:// handler and the headless server share it.
import { extname, resolve, sep } from 'node:path';

export const RENDERER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type RendererFile = { ok: true; file: string; contentType: string } | { ok: false; status: 400 | 404; reason: string };

/**
 * The file under `root` a URL path names ("/" is the page itself), or why there is none. Percent-escapes are
 * decoded first, so `%2e%2e%2f` cannot climb out either.
 */
export function rendererFile(root: string, urlPath: string): RendererFile {
  let pathname: string;
  try {
    pathname = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 400, reason: 'bad path' };
  }
  if (pathname.includes('\0') || !pathname.startsWith('/')) return { ok: false, status: 400, reason: 'bad path' };
  if (pathname.endsWith('/')) pathname += 'index.html';
  const base = resolve(root);
  // Backslashes are separators on Windows: treat them as such everywhere, then require the result inside root.
  const file = resolve(base, `.${pathname.replaceAll('\\', '/')}`);
  if (!file.startsWith(base + sep)) return { ok: false, status: 404, reason: 'not found' };
  return { ok: true, file, contentType: contentType(file) };
}
