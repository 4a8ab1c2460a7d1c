import { describe, expect, it } from 'vitest';
import { APP_PAGE_URL } from './app-scheme';
import { isTrustedSender, type IpcSender } from './sender-check';

const built = { webContentsId: 7, url: APP_PAGE_URL };
const dev = { webContentsId: 7, url: 'http://localhost:5173/' };
const sender = (over: Partial<IpcSender> = {}): IpcSender => ({ webContentsId: 7, frameUrl: built.url, isMainFrame: true, ...over });

describe('isTrustedSender', () => {
  it('accepts the main frame of our window on the origin it loaded (path, hash and query ignored)', () => {
    expect(isTrustedSender(sender(), built)).toBe(true);
    expect(isTrustedSender(sender({ frameUrl: `${built.url}#plugins` }), built)).toBe(true);
    expect(isTrustedSender(sender({ frameUrl: 'app://panel/' }), built)).toBe(true);
    expect(isTrustedSender(sender({ frameUrl: 'http://localhost:5173/some/route?x=1' }), dev)).toBe(true);
  });

  it('refuses another window, a sub-frame, or a frame that is gone', () => {
    expect(isTrustedSender(sender({ webContentsId: 8 }), built)).toBe(false);
    expect(isTrustedSender(sender({ isMainFrame: false }), built)).toBe(false);
    expect(isTrustedSender(sender({ frameUrl: null }), built)).toBe(false);
  });

  it('trusts only the origin in use: the dev server is refused in a built run and app:// in a dev run', () => {
    expect(isTrustedSender(sender({ frameUrl: 'http://localhost:5173/' }), built)).toBe(false);
    expect(isTrustedSender(sender({ frameUrl: APP_PAGE_URL }), dev)).toBe(false);
  });

  it('refuses any other document: another app:// host, a file, another origin, another scheme, garbage', () => {
    expect(isTrustedSender(sender({ frameUrl: 'app://evil/index.html' }), built)).toBe(false);
    expect(isTrustedSender(sender({ frameUrl: 'file:///opt/app/out/renderer/index.html' }), built)).toBe(false);
    expect(isTrustedSender(sender({ frameUrl: 'https://evil.example/' }), built)).toBe(false);
    expect(isTrustedSender(sender({ frameUrl: 'http://localhost:5174/' }), dev)).toBe(false);
    expect(isTrustedSender(sender({ frameUrl: 'https://localhost:5173/' }), dev)).toBe(false);
    expect(isTrustedSender(sender({ frameUrl: 'data:text/html,<script>1</script>' }), built)).toBe(false);
    expect(isTrustedSender(sender({ frameUrl: 'not a url' }), built)).toBe(false);
  });

  it('trusts nothing when the window itself loaded a hostless page', () => {
    const file = { webContentsId: 7, url: 'file:///opt/app/out/renderer/index.html' };
    expect(isTrustedSender(sender({ frameUrl: file.url }), file)).toBe(false);
  });
});
