import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidFrom, uuidText } from '../../shared/contract/uuid-halves.ts';
import { BanStore, type BanChange } from './ban-store.ts';

describe('BanStore', () => {
  let dir: string;
  let file: string;
  let now: number;
  const logs: string[] = [];
  const open = () => new BanStore(file, (l, m) => logs.push(`${l} ${m}`), () => now);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bans-'));
    file = join(dir, 'bans.json');
    now = 1_000_000;
    logs.length = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('bans by ip, username (any case) and uuid, and survives a reload', async () => {
    const bans = open();
    await bans.ban({ tag: 'ip', val: '::ffff:10.0.0.9' }, 'flood', undefined, 'console');
    await bans.ban({ tag: 'username', val: 'Steve' }, undefined, 60_000n, 'plugin:mod');
    await bans.ban({ tag: 'uuid', val: '0123456789ABCDEF0123456789ABCDEF' }, 'alt', undefined);
    expect(await bans.isBanned({ tag: 'username', val: 'STEVE' })).toEqual({ tag: 'ok', val: true });

    const again = open();
    expect(await again.getBan({ tag: 'username', val: 'steve' })).toEqual({
      tag: 'ok',
      val: { target: { tag: 'username', val: 'steve' }, reason: undefined, expiresAt: 1_060_000n, createdAt: 1_000_000n, source: 'plugin:mod' },
    });
    expect(again.findActive('10.0.0.9', 'x', 'y')?.reason).toBe('flood');
    expect(again.findActive('1.1.1.1', 'x', '01234567-89ab-cdef-0123-456789abcdef')?.reason).toBe('alt');
    const all = await again.getAllBans();
    expect(all.tag === 'ok' && all.val).toHaveLength(3);
    // Only bans.json is left in the folder: the temp file was renamed over it.
    expect(await readdir(dir)).toEqual(['bans.json']);
  });

  it('ignores and prunes expired bans', async () => {
    const bans = open();
    await bans.ban({ tag: 'username', val: 'temp' }, 'cool off', 1000, 'test');
    now += 999;
    expect(await bans.isBanned({ tag: 'username', val: 'temp' })).toEqual({ tag: 'ok', val: true });
    now += 1;
    expect(bans.findActive('ip', 'temp', 'uuid')).toBeUndefined();
    expect(await bans.getAllBans()).toEqual({ tag: 'ok', val: [] });
    await bans.ban({ tag: 'ip', val: '1.2.3.4' }, undefined, undefined); // forces a write after the prune
    expect(JSON.parse(await readFile(file, 'utf8')).bans).toHaveLength(1);
  });

  it('unban reports whether a ban existed', async () => {
    const bans = open();
    await bans.ban({ tag: 'ip', val: '1.2.3.4' }, undefined, undefined);
    expect(await bans.unban({ tag: 'ip', val: '1.2.3.4' })).toEqual({ tag: 'ok', val: true });
    expect(await bans.unban({ tag: 'ip', val: '1.2.3.4' })).toEqual({ tag: 'ok', val: false });
  });

  it('takes a uuid a QuickJS plugin rounded (each half to a double) as the player it names, and no other', async () => {
    const real = '8de14dc4-2b77-398d-b0be-ce2204a89f1e';
    const rounded = uuidText({ hi: Number(uuidFrom(real).hi), lo: Number(uuidFrom(real).lo) });
    const near = uuidText({ hi: uuidFrom(real).hi, lo: uuidFrom(real).lo ^ (1n << 40n) });
    expect(rounded).not.toBe(real);
    const changes: BanChange[] = [];
    const bans = open();
    bans.onChange((c) => changes.push(c));
    await bans.ban({ tag: 'uuid', val: rounded }, 'alt', undefined, 'plugin:q');
    // At login (also after a reload), by a lookup with the exact uuid, and never for a uuid beyond rounding.
    expect(bans.findActive('1.1.1.1', 'x', real)?.target).toEqual({ tag: 'uuid', val: rounded });
    const again = open();
    await again.load();
    expect(again.findActive('1.1.1.1', 'x', real)?.reason).toBe('alt');
    expect(again.findActive('1.1.1.1', 'x', near)).toBeUndefined();
    expect(await again.isBanned({ tag: 'uuid', val: real })).toEqual({ tag: 'ok', val: true });

    // The exact uuid banned later replaces the entry rather than adding one; the rounded one lifts it.
    await bans.ban({ tag: 'uuid', val: real.toUpperCase() }, 'alt', undefined, 'panel');
    expect(bans.records().map((b) => b.value)).toEqual([real]);
    expect(await bans.unban({ tag: 'uuid', val: rounded }, 'plugin:q')).toEqual({ tag: 'ok', val: true });
    expect(changes.at(-1)).toMatchObject({ type: 'unban', value: real, removed: { value: real } });
    expect(bans.findActive('1.1.1.1', 'x', real)).toBeUndefined();
  });

  it('moves an unreadable file aside instead of overwriting it', async () => {
    await writeFile(file, '{ not json');
    const bans = open();
    expect(await bans.getAllBans()).toEqual({ tag: 'ok', val: [] });
    expect(await readdir(dir)).toEqual([`bans.json.broken-${now}`]);
    expect(logs.some((l) => l.startsWith('error bans:'))).toBe(true);
  });

  it('answers with a service error when the file cannot be written', async () => {
    const bans = new BanStore(join(dir, 'bans.json', 'nested.json'), () => undefined, () => now);
    await writeFile(join(dir, 'bans.json'), '');
    const r = await bans.ban({ tag: 'ip', val: '1.2.3.4' }, undefined, undefined);
    expect(r.tag).toBe('err');
  });
});
