// Reading a plugin file from plugins_dir: sized and its header checked before anything reads it whole, so
// a 200 MB file of zeros (or a component padded with a huge custom section) costs a stat and 8 bytes, not
// its size in memory several times over. Never through a symbolic link.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { MAX_PLUGIN_BYTES } from '../../shared/control-api';
import { uploadSizeProblem } from '../../shared/upload-checks';
import { wasmKind } from '../wasm/component-binary';
import { PluginFileError } from './component-inspect';

const HEADER_BYTES = 8;

export async function readPluginFile(path: string, maxBytes = MAX_PLUGIN_BYTES): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    const { size } = await handle.stat();
    const sizeProblem = uploadSizeProblem(size, maxBytes);
    if (sizeProblem) throw new PluginFileError(sizeProblem);
    const header = new Uint8Array(HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
    try {
      wasmKind(header.subarray(0, bytesRead));
    } catch (err) {
      throw new PluginFileError(`it is not a valid WebAssembly component: ${(err as Error).message}`);
    }
    const bytes = await handle.readFile();
    // Grown since the stat (still being copied in): the watcher will see it again once it settles.
    if (bytes.length > maxBytes) throw new PluginFileError(uploadSizeProblem(bytes.length, maxBytes)!);
    return bytes;
  } finally {
    await handle.close();
  }
}
