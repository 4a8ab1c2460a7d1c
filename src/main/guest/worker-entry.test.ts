import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot, unpackedPath } from './worker-entry';

describe('unpackedPath', () => {
  it('points a file inside app.asar at its unpacked copy, and leaves other paths alone', () => {
    const packaged = join(sep, 'opt', 'Infrarust Desktop', 'resources', 'app.asar', 'out', 'worker', 'guest-worker.mjs');
    expect(unpackedPath(packaged)).toBe(join(sep, 'opt', 'Infrarust Desktop', 'resources', 'app.asar.unpacked', 'out', 'worker', 'guest-worker.mjs'));
    const fromSources = join(packageRoot(), 'out', 'worker', 'guest-worker.mjs');
    expect(unpackedPath(fromSources)).toBe(fromSources);
    expect(unpackedPath(join(sep, 'data', 'my.app.asar.notes', 'x'))).toBe(join(sep, 'data', 'my.app.asar.notes', 'x'));
  });
});
