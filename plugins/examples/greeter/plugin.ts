// Greeter: logs every join and leave, and every few minutes how many players are online.
//   [plugins.greeter.settings]
//   report_every_seconds = 300     # 0 turns the report off
// Capabilities: event-bus, player-read, config-read, scheduler (all baseline).
import { info, warn } from 'infrarust:plugin/log@0.3.0';
import { count } from 'infrarust:plugin/players@0.3.0';
import { definePlugin, every, on, setting } from '../../kit';

const DEFAULT_SECONDS = 300;

function reportSeconds(): number {
  const raw = setting('report_every_seconds');
  const seconds = raw === undefined ? DEFAULT_SECONDS : Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  warn(`report_every_seconds = ${raw} is not a number of seconds: using ${DEFAULT_SECONDS}`);
  return DEFAULT_SECONDS;
}

export default definePlugin({
  id: 'greeter',
  name: 'Greeter',
  version: '1.0.0',
  authors: ['Infrarust Desktop'],
  description: 'Logs joins and leaves, and the number of players online every few minutes.',
  enable({ recovery }) {
    if (recovery) warn(`restarted after a fault (attempt ${recovery.attempt}): ${recovery.cause}`);
    on('post-login', ({ player }) => info(`${player.username} joined`));
    on('disconnect', ({ player, lastServer }) => info(`${player.username} left${lastServer ? ` ${lastServer}` : ''}`));
    const seconds = reportSeconds();
    if (seconds > 0) every(seconds * 1000, () => info(`${count(null)} player(s) online`));
  },
});
