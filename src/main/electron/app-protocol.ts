// Serves the built renderer to the window over app://panel, with the CSP as a response header. The scheme
// is standard and secure (module scripts, 'self' in the CSP) and must be registered before the app is ready.
import { readFile } from 'node:fs/promises';
import { protocol, type Session } from 'electron';
import { RENDERER_CSP } from '../control/renderer-files';
import { APP_SCHEME, appRequestFile } from './app-scheme';

const HEADERS = { 'Content-Security-Policy': RENDERER_CSP, 'X-Content-Type-Options': 'nosniff' };

/**
 * Call at start-up, before `app.whenReady()`. Not corsEnabled: the page loads its own (same-origin) module
 * scripts, and no other origin may read from the scheme.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function serveRenderer(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const target = appRequestFile(rendererDir, request.url);
    const body = target.ok ? await readFile(target.file).catch(() => null) : null;
    if (!target.ok || !body) {
      const status = target.ok ? 404 : target.status;
      return new Response(target.ok ? 'not found' : target.reason, { status, headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
    }
    return new Response(body, { headers: { ...HEADERS, 'Content-Type': target.contentType } });
  });
}
