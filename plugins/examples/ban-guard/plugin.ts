// Console bans: `/ban <name> [reason]` bans a player by name through the proxy's ban list (kept in
// data_dir/bans.json, refused at their next join) and disconnects them if online; `/unban <name>` lifts it.
// Capabilities: command, player-read (baseline) and `ban`, which an admin must grant:
//   [plugins.ban_guard]
//   permissions = ["ban"]
import { ban, unban } from 'infrarust:plugin/ban-service@0.3.0';
import { info, warn } from 'infrarust:plugin/log@0.3.0';
import { getByName, list } from 'infrarust:plugin/players@0.3.0';
import { command, definePlugin, errorMessage } from '../../kit';

/** Online player names starting with the word being typed. */
function onlineNames(args: string[]): string[] {
  if (args.length > 1) return [];
  const prefix = (args[0] ?? '').toLowerCase();
  return list(null)
    .map((p) => p.player.username)
    .filter((n) => n.toLowerCase().startsWith(prefix))
    .sort();
}

function banCommand([name, ...words]: string[]): void {
  if (!name) return warn('usage: /ban <name> [reason]');
  const reason = words.join(' ') || undefined;
  const online = getByName(name) != null;
  try {
    // kick: the proxy disconnects the player, if online, with the ban's message.
    ban({ target: { tag: 'username', val: name }, reason, durationMs: undefined, kick: true, silent: false });
  } catch (err) {
    return warn(`could not ban ${name}: ${errorMessage(err)}`);
  }
  info(`banned ${name}${reason ? ` (${reason})` : ''}${online ? ' and disconnected them' : ''}`);
}

function unbanCommand([name]: string[]): void {
  if (!name) return warn('usage: /unban <name>');
  try {
    info(unban({ tag: 'username', val: name }) ? `unbanned ${name}` : `${name} was not banned`);
  } catch (err) {
    warn(`could not unban ${name}: ${errorMessage(err)}`);
  }
}

export default definePlugin({
  id: 'ban_guard',
  name: 'Ban Guard',
  version: '1.0.0',
  authors: ['Infrarust Desktop'],
  description: 'Console commands /ban <name> [reason] and /unban <name>.',
  enable() {
    command('ban', banCommand, { description: 'Bans a player by name: /ban <name> [reason]', usage: '/ban <name> [reason]', complete: onlineNames });
    command('unban', unbanCommand, { description: 'Lifts a ban: /unban <name>', usage: '/unban <name>', aliases: ['pardon'] });
  },
});
