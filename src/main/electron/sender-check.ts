// Who may call the control API over IPC: only the top frame of our own window, showing our own page.
// Kept free of Electron imports so it can be tested in plain Node.

export interface IpcSender {
  webContentsId: number;
  /** URL of the frame that sent the message; null when the frame is gone. */
  frameUrl: string | null;
  isMainFrame: boolean;
}

export interface TrustedPage {
  webContentsId: number;
  /** The URL our window loaded (file:// in a build, the dev server's http:// URL in development). */
  url: string;
}

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
  if (from.protocol !== ours.protocol) return false;
  // file:// pages have an opaque origin: the document itself must be ours.
  if (ours.protocol === 'file:') return from.host === ours.host && from.pathname === ours.pathname;
  return from.origin === ours.origin;
}
