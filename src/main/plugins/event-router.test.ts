// Delivery order per plugin: each plugin hears events in the order they were fired even while another
// plugin is slow to answer one, a slow plugin delays no one else's background events, a decision waits
// for its plugin's earlier events, and the wait for a plugin that stops answering is bounded.
// Listeners here answer from promises the test settles: nothing waits on time.
import { describe, expect, it } from 'vitest';
import type { EventOutcome, GuestEvent } from '../contract/guest-types';
import { DeliveryLanes } from './delivery-lanes';
import { EventRouter } from './event-router';

const PLAYER = 7n;
const postLogin: GuestEvent = { tag: 'post-login', val: { profile: { uuid: '00000000-0000-0000-0000-000000000001', username: 'Ada', properties: [] }, playerId: PLAYER, protocolVersion: 769 } };
const connected: GuestEvent = { tag: 'server-connected', val: { playerId: PLAYER, server: 'lobby' } };
const preConnect: GuestEvent = { tag: 'server-pre-connect', val: { playerId: PLAYER, profile: { uuid: '00000000-0000-0000-0000-000000000001', username: 'Ada', properties: [] }, originalServer: 'lobby' } };

/** A promise the test settles. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * Plugins `slow` and `fast`: every delivery is recorded as `<plugin> <kind>` when it starts and
 * `<plugin> <kind> done` when it answers; `slow` answers only once its gate opens.
 */
function routerWith(lanes?: DeliveryLanes) {
  const heard: string[] = [];
  const waiters: { met: () => boolean; resolve: () => void }[] = [];
  const note = (line: string) => {
    heard.push(line);
    for (const w of waiters.filter((w) => w.met())) w.resolve();
  };
  const hold = { slow: gate() };
  const answer = async (pluginId: string, kind: string): Promise<undefined> => {
    note(`${pluginId} ${kind}`);
    if (pluginId === 'slow') await hold.slow.opened;
    note(`${pluginId} ${kind} done`);
    return undefined;
  };
  const router = new EventRouter(
    (id, _h, event) => answer(id, event.tag) as Promise<EventOutcome | undefined>,
    async () => undefined,
    async () => undefined,
    { deliver: (id, _h, event) => answer(id, event.tag), channelRegistered: () => false },
    lanes,
  );
  /** Resolves once `line` was recorded `times` times. */
  const heardLine = (line: string, times = 1) => {
    const met = () => heard.filter((l) => l === line).length >= times;
    return met() ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ met, resolve }));
  };
  const of = (pluginId: string) => heard.filter((l) => l.startsWith(`${pluginId} `) && !l.endsWith(' done'));
  return { router, heard, hold, heardLine, of };
}

describe('event router: delivery order per plugin', () => {
  it('a plugin hears background events in the order fired while another plugin is still answering the first', async () => {
    const t = routerWith();
    t.router.subscribe('slow', 'post-login', 0);
    for (const kind of ['post-login', 'server-connected', 'server-post-connect']) t.router.subscribe('fast', kind, 60);
    void t.router.post(postLogin);
    void t.router.post(connected);
    void t.router.notify030({ tag: 'server-post-connect', val: { playerId: PLAYER, server: 'lobby', previousServer: undefined } });
    // `slow` has not answered post-login: `fast` heard it anyway, and first.
    await t.heardLine('fast server-post-connect done');
    expect(t.of('fast')).toEqual(['fast post-login', 'fast server-connected', 'fast server-post-connect']);
    expect(t.heard).not.toContain('slow post-login done');
    t.hold.slow.open();
    await t.heardLine('slow post-login done');
  });

  it('a decision reaches a plugin only after the events fired before it have been answered by that plugin', async () => {
    const t = routerWith();
    t.router.subscribe('slow', 'post-login', 0);
    t.router.subscribe('slow', 'server-pre-connect', 0);
    t.router.subscribe('fast', 'server-pre-connect', 10);
    void t.router.post(postLogin);
    const decided = t.router.dispatch(preConnect);
    t.hold.slow.open();
    await decided;
    expect(t.heard).toEqual([
      'slow post-login',
      'slow post-login done',
      'slow server-pre-connect',
      'slow server-pre-connect done',
      'fast server-pre-connect',
      'fast server-pre-connect done',
    ]);
  });

  it('a listener dropped while its delivery waited is skipped (its handle means nothing to a fresh instance)', async () => {
    const t = routerWith();
    t.router.subscribe('slow', 'server-connected', 0);
    void t.router.post(connected);
    const second = t.router.post(connected);
    t.router.forget('slow');
    t.hold.slow.open();
    await second;
    expect(t.of('slow')).toEqual(['slow server-connected']);
  });

  it('bounds what waits for a plugin that stops answering: past the capacity its background events are dropped, reported once', async () => {
    const full: string[] = [];
    const t = routerWith(new DeliveryLanes(2, (id) => full.push(id)));
    t.router.subscribe('slow', 'server-connected', 0);
    const posted = [t.router.post(connected), t.router.post(connected)];
    // `slow` holds two (one answering, one waiting): it is full. `fast` is not held back by it.
    t.router.subscribe('fast', 'server-connected', 10);
    posted.push(t.router.post(connected), t.router.post(connected));
    await t.heardLine('fast server-connected done', 2);
    expect(full).toEqual(['slow']);
    t.hold.slow.open();
    await Promise.all(posted);
    expect(t.of('slow')).toEqual(['slow server-connected', 'slow server-connected']);
    // Drained, the lane takes events again; decisions are never counted against it.
    t.router.subscribe('slow', 'server-pre-connect', 0);
    await t.router.post(connected);
    await t.router.dispatch(preConnect);
    expect(t.of('slow')).toEqual(['slow server-connected', 'slow server-connected', 'slow server-connected', 'slow server-pre-connect']);
  });
});
