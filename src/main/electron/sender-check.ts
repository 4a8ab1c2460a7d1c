// Who may call the control API over IPC: only the top frame of our own window, showing a page of the one
// origin the window actually loaded (app://panel, or the dev server's origin in a development run).
// Kept free of Electron imports so it can be tested in plain Node.

export interface IpcSender {
  webContentsId: number;
  /** URL of the frame that sent the message; null when the frame is gone. */
  frameUrl: string | null;
  isMainFrame: boolean;
}

export interface TrustedPage {
  webContentsId: number;
  /** The URL our window loaded: app://panel/index.html, or the dev server's http:// URL in development. */
  url: string;
}

const ORIGIN_SCHEMES = new Set(['app:', 'http:', 'https:']);

export function isTrustedSender(sender: IpcSender, trusted: TrustedPage): boolean {
  if (sender.webContentsId !== trusted.webContentsId || !sender.isMainFrame || !sender.frameUrl) return false;
  let from: URL;
  let ours: URL;
  try {
    from = new URL(sender.frameUrl);
    ours = new URL(trusted.url);
  } catch {
    return false;
  }
  // URL.origin is "null" for app:, so scheme and host:port are compared themselves; file:, data: and other
  // hostless documents are never trusted.
  if (!ORIGIN_SCHEMES.has(ours.protocol) || ours.host === '') return false;
  return from.protocol === ours.protocol && from.host === ours.host;
}
