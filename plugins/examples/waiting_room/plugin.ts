// Waiting room: while a game server is starting (or down), players sent to the `waiting_room` limbo
// handler wait in the proxy's own void world with a title counting the seconds, and go on to the server
// the moment its state turns online (server-state-change). Needs a decoding proxy mode and the `limbo`
// capability:
//   [plugins.waiting_room]
//   permissions = ["limbo"]
//   [plugins.waiting_room.settings]
//   server = "game"        # the server players wait for (default "game")
//   max_wait_s = "300"     # after this long a player is told to come back later (default 300)
// and `limbo_handlers = ["waiting_room"]` in that server's servers/*.toml.
// Capabilities: event-bus, scheduler, server-manage (to read the state at entry), limbo.
import { getState } from 'infrarust:plugin/server-manager@0.3.0';
import { info } from 'infrarust:plugin/log@0.3.0';
import { definePlugin, every, limbo, limboResult, on, setting, text, timeoutOutcome, type LimboSessionHandle } from '../../kit';

interface Waiting {
  handle: LimboSessionHandle;
  since: number;
}

export default definePlugin({
  id: 'waiting_room',
  name: 'Waiting room',
  version: '1.0.0',
  authors: ['Infrarust Desktop'],
  description: 'Holds players in limbo while their server starts, with a title counting the wait.',
  enable() {
    const server = setting('server') ?? 'game';
    const maxWaitMs = Number(setting('max_wait_s') ?? '300') * 1000;
    const waiting = new Map<number, Waiting>();

    const release = (why: string) => {
      info(`${server} ${why}: releasing ${waiting.size} waiting player(s)`);
      for (const [id, w] of waiting) {
        w.handle.complete({ tag: 'accept' });
        w.handle[Symbol.dispose]();
        waiting.delete(id);
      }
    };

    limbo('waiting_room', {
      enter(session) {
        if (getState(server) === 'online') return limboResult.accept();
        const playerId = Number(session.playerId());
        session.sendMessage(text(`${server} is starting; you will join it as soon as it is up.`, { color: 'yellow' }));
        waiting.set(playerId, { handle: session.acquireHandle(), since: Date.now() });
        info(`player #${playerId} waits for ${server}`);
        return limboResult.holdFor(maxWaitMs, timeoutOutcome.deny(`${server} did not start in time; please come back later.`));
      },
      chat(session) {
        session.sendActionBar(text(`Still waiting for ${server}...`, { color: 'gray' }));
      },
      end(playerId) {
        const w = waiting.get(playerId);
        if (!w) return;
        w.handle[Symbol.dispose]();
        waiting.delete(playerId);
      },
    });

    on('server-state-change', ({ server: changed, newState }) => {
      if (changed === server && newState === 'online') release('is online');
    });

    every(1000, () => {
      for (const w of waiting.values()) {
        const s = Math.floor((Date.now() - w.since) / 1000);
        w.handle.sendTitle({ title: text(`Waiting for ${server}`, { color: 'gold' }), subtitle: text(`${s} s`), fadeInTicks: 0, stayTicks: 30, fadeOutTicks: 0 });
      }
    });
  },
});
