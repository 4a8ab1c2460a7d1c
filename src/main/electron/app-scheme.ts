// The app:// scheme the window loads the built renderer from. Its URL parsing is plain Node (tested without
// Electron); the handler that reads files lives in app-protocol.ts.
import { rendererFile, type RendererFile } from '../control/renderer-files';

export const APP_SCHEME = 'app';
/** The one host the scheme serves: the page's origin is app://panel. */
export const APP_HOST = 'panel';
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The renderer file an app:// request names; any other scheme or host is not ours. */
export function appRequestFile(rendererDir: string, requestUrl: string): RendererFile {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'bad URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { ok: false, status: 404, reason: 'not found' };
  return rendererFile(rendererDir, url.pathname);
}
