// The app:// request → renderer file mapping, in plain Node against a real folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PAGE_URL, appRequestFile } from './app-scheme';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'app-scheme-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const fileOf = (url: string) => {
  const r = appRequestFile(root, url);
  return r.ok ? r.file : r.status;
};

describe('appRequestFile', () => {
  it('maps the page and its assets to files inside the renderer folder, with their content types', () => {
    expect(appRequestFile(root, APP_PAGE_URL)).toEqual({ ok: true, file: join(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(fileOf('app://panel/')).toBe(join(root, 'index.html'));
    expect(fileOf('app://panel/assets/index-1.js?v=2#x')).toBe(join(root, 'assets', 'index-1.js'));
    expect(appRequestFile(root, 'app://panel/assets/a.css')).toMatchObject({ contentType: 'text/css; charset=utf-8' });
    expect(appRequestFile(root, 'app://panel/assets/blob.bin')).toMatchObject({ contentType: 'application/octet-stream' });
  });

  it('never leaves the renderer folder, however the path is spelled', () => {
    for (const url of [
      'app://panel/../secret.txt',
      'app://panel/%2e%2e/secret.txt',
      'app://panel/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://panel/..%2f..%2fetc%2fpasswd',
      'app://panel/..%5c..%5csecret.txt',
      'app://panel/assets/..%5C..%5C..%5Csecret.txt',
    ]) {
      const r = appRequestFile(root, url);
      if (r.ok) expect(r.file.startsWith(root)).toBe(true);
      else expect(r.status).toBe(404);
    }
    expect(fileOf('app://panel/..%2fsecret.txt')).toBe(404);
  });

  it('refuses another host, another scheme, bad escapes and NUL bytes', () => {
    expect(fileOf('app://evil/index.html')).toBe(404);
    expect(fileOf('file:///etc/passwd')).toBe(404);
    expect(fileOf('https://panel/index.html')).toBe(404);
    expect(fileOf('app://panel/%E0%A4%A')).toBe(400);
    expect(fileOf('app://panel/index.html%00.png')).toBe(400);
    expect(fileOf('not a url')).toBe(400);
  });
});
