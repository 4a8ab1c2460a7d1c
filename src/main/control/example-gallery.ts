// The example plugins the app ships (built by `npm run build` into out/examples/ with a manifest): what the
// panel offers on an empty plugins folder. Only files named in the manifest are ever read, and only from
// that folder; a client names an example by its file name, never by a path.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isBaseline, isOptIn, type Capability } from '../../shared/capabilities';
import type { ExamplePluginView } from '../../shared/control-api';
import { pluginFileNameProblem } from '../../shared/upload-checks';
import { packageRoot } from '../guest/worker-entry';

export const EXAMPLES_MANIFEST = 'examples.json';

/** Where a build puts the examples: beside the renderer and the worker, inside the app's package. */
export function defaultExamplesDir(): string {
  return join(packageRoot(), 'out', 'examples');
}

/** The manifest's entries that are well formed; an app built without examples has none. */
export async function readExamples(dir: string): Promise<ExamplePluginView[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, EXAMPLES_MANIFEST), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`${join(dir, EXAMPLES_MANIFEST)} is unreadable: ${(err as Error).message}`);
  }
  return Array.isArray(raw) ? raw.filter(isExample) : [];
}

/** The bytes of one shipped example, or null when `file` is not one of them. */
export async function exampleBytes(dir: string, file: string): Promise<{ example: ExamplePluginView; bytes: Buffer } | null> {
  const example = (await readExamples(dir)).find((e) => e.file === file);
  if (!example) return null;
  return { example, bytes: await readFile(join(dir, example.file)) };
}

function isExample(value: unknown): value is ExamplePluginView {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  const text = (k: string) => typeof e[k] === 'string';
  return (
    text('file') &&
    pluginFileNameProblem(e.file as string) === null &&
    ['id', 'name', 'version', 'description'].every(text) &&
    Number.isSafeInteger(e.size) &&
    Array.isArray(e.capabilities) &&
    e.capabilities.every((c): c is Capability => typeof c === 'string' && (isBaseline(c) || isOptIn(c)))
  );
}
