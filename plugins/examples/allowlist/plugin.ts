// Allowlist: only the names listed in allowlist.txt (in the plugin's data folder, plugins_dir/allowlist/)
// may join; everyone else is refused at pre-login with a reason they see. One name per line, `#` starts a
// comment, case does not matter. Edits apply at the next login (the file is reread when it changed).
//   [plugins.allowlist.settings]
//   message = "Ask an admin to add you."     # the reason refused players see
// Capabilities: event-bus, config-read (baseline).
import { info, warn } from 'infrarust:plugin/log@0.3.0';
import { dataFileVersion, definePlugin, on, preLogin, readDataFile, setting, writeDataFile } from '../../kit';

const FILE = '/allowlist.txt';
const TEMPLATE = '# Players allowed to join, one name per line. Everyone else is refused.\n';

let cache: { version: string | undefined; names: Set<string> } | undefined;

function allowed(): Set<string> {
  const version = dataFileVersion(FILE);
  if (!cache || cache.version !== version) {
    const names = (readDataFile(FILE) ?? '')
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim().toLowerCase())
      .filter(Boolean);
    cache = { version, names: new Set(names) };
  }
  return cache.names;
}

export default definePlugin({
  id: 'allowlist',
  name: 'Allowlist',
  version: '1.0.0',
  authors: ['Infrarust Desktop'],
  description: 'Refuses players whose name is not in allowlist.txt.',
  enable() {
    if (readDataFile(FILE) === undefined) writeDataFile(FILE, TEMPLATE);
    const count = allowed().size;
    if (count === 0) warn(`${FILE} lists nobody: every player will be refused`);
    else info(`${count} player(s) on the allowlist`);
    const refusal = preLogin.deny(setting('message') ?? 'You are not on the allowlist of this server.');
    // Late (240): a refusal must stand over what earlier plugins set. A listed name leaves the result as
    // it is (undefined = unchanged), so another plugin's refusal stands too.
    on('pre-login', ({ profile }) => (allowed().has(profile.username.toLowerCase()) ? undefined : refusal), 240);
  },
});
