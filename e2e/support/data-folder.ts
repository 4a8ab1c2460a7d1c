// A fresh data folder per scenario. infrarust.toml is the product's own embedded default (written by the
// same code a first start runs) with only its two binds moved to free ports, so tests never fight over
// 25565/8787; plugins/, servers/ and the example server are left for the first start to create.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_FILE_NAME } from '../../src/main/config/load-config';
import { ensureDataFolder } from '../../src/main/host/default-data';
import { fixturePath, type FixtureName } from '../../test/fixtures/index';

export interface DataFolder {
  dir: string;
  pluginsDir: string;
  serversDir: string;
  configFile: string;
  remove(): Promise<void>;
}

const DEFAULT_BINDS: [string, string][] = [
  ['bind = "127.0.0.1:25565"', 'bind = "127.0.0.1:0"'],
  ['bind = "127.0.0.1:8787"', 'bind = "127.0.0.1:0"'],
];

/** The embedded default infrarust.toml with free ports, plus `extraConfig`. */
async function embeddedDefaultConfig(scratch: string, extraConfig: string): Promise<string> {
  await ensureDataFolder(scratch);
  let text = await readFile(join(scratch, CONFIG_FILE_NAME), 'utf8');
  for (const [from, to] of DEFAULT_BINDS) {
    if (!text.includes(from)) throw new Error(`the embedded infrarust.toml no longer has ${from}: update e2e/support/data-folder.ts`);
    text = text.replace(from, to);
  }
  return extraConfig ? `${text}\n${extraConfig}` : text;
}

/** `plugins` are copied into plugins/ before the first start (which then creates only servers/). */
export async function freshDataFolder(opts: { config?: string; plugins?: FixtureName[] } = {}): Promise<DataFolder> {
  const root = await mkdtemp(join(tmpdir(), 'infrarust-e2e-'));
  const dir = join(root, 'data');
  const pluginsDir = join(dir, 'plugins');
  await mkdir(dir);
  await writeFile(join(dir, CONFIG_FILE_NAME), await embeddedDefaultConfig(join(root, 'embedded'), opts.config ?? ''));
  await rm(join(root, 'embedded'), { recursive: true });
  if (opts.plugins?.length) {
    await mkdir(pluginsDir);
    for (const name of opts.plugins) await copyFile(fixturePath(name), join(pluginsDir, `${name}.wasm`));
  }
  return {
    dir,
    pluginsDir,
    serversDir: join(dir, 'servers'),
    configFile: join(dir, CONFIG_FILE_NAME),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
