// First run: an embedded default data folder, so a new user gets a working panel and proxy at once.
// Only what is missing is created; an existing file is never touched.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_FILE_NAME } from '../config/load-config';

const DEFAULT_CONFIG = `# Infrarust Desktop configuration. The panel edits only the [plugins.<id>] tables below and keeps
# everything else (comments included) exactly as you write it; hand edits are picked up live.

# The Minecraft proxy listens here. Use "0.0.0.0:25565" to accept players from other machines.
bind = "127.0.0.1:25565"

# WebAssembly plugins: drop .wasm files here (or into the panel).
plugins_dir = "./plugins"

# One <id>.toml per backend server (domains, addresses, proxy_mode).
servers_dir = "./servers"

# Runtime state such as bans.
data_dir = "./data"

[panel]
# The headless control panel (\`infrarust-desktop serve\`). Anything but loopback needs a token:
# token = "a long random secret"
bind = "127.0.0.1:8787"

# Per-plugin settings, created by the panel when you tick a capability or flip a switch. For example:
# [plugins.my_plugin]
# permissions = ["ban"]
# enabled = true

# The "MOTD" example plugin (install it from the Plugins page) shows this text in the server list.
[plugins.motd.settings]
text = "Hello from Infrarust Desktop's MOTD example"
`;

const EXAMPLE_SERVER = `# An example backend: players joining "localhost" are sent to a Minecraft server on port 25566.
domains = ["localhost", "*.localhost"]
addresses = ["127.0.0.1:25566"]
proxy_mode = "passthrough"
`;

/** Creates the data folder's missing parts; returns the paths it created. */
export async function ensureDataFolder(dir: string): Promise<string[]> {
  const created: string[] = [];
  await mkdir(dir, { recursive: true });
  if (await createFile(join(dir, CONFIG_FILE_NAME), DEFAULT_CONFIG)) created.push(join(dir, CONFIG_FILE_NAME));
  if (await createDir(join(dir, 'plugins'))) created.push(join(dir, 'plugins'));
  // The example goes only into a servers folder we create: a user who deleted it meant it.
  if (await createDir(join(dir, 'servers'))) {
    created.push(join(dir, 'servers'));
    if (await createFile(join(dir, 'servers', 'example.toml'), EXAMPLE_SERVER)) created.push(join(dir, 'servers', 'example.toml'));
  }
  return created;
}

async function createDir(path: string): Promise<boolean> {
  return (await mkdir(path, { recursive: true })) !== undefined;
}

/** `wx`: never overwrites, even when two first runs race. */
async function createFile(path: string, content: string): Promise<boolean> {
  try {
    await writeFile(path, content, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}
