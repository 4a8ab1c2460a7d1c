// jco transpilation of a component into an instantiable ES module plus core wasm files.
// jco-transpile is imported lazily: a warm start (everything cached) never loads it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { withoutCustomSections } from './component-binary';

const GLUE_NAME = 'component';

export interface TranspileOutput {
  files: Record<string, Uint8Array>;
  glueName: string;
  imports: string[];
  exports: string[];
}

let version: string | undefined;

export function transpilerVersion(): string {
  if (!version) {
    const entry = createRequire(import.meta.url).resolve('@bytecodealliance/jco-transpile');
    const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
    version = pkg.version;
  }
  return version;
}

/**
 * QuickJS guests (componentize-qjs) drop the borrowed limbo-session of a limbo-on-* call from their
 * post-return, where jco's glue forbids calling out: every such call would trap "cannot leave component
 * instance" and poison the plugin. Dropping a borrow of a host object only removes its table entry (no
 * host code runs), so that one drop is let through unguarded.
 */
export function allowLateBorrowDrop(glue: string): string {
  return glue.replace(/('\[resource-drop\]limbo-session'\s*:\s*Object\.assign\()_guardMayLeave\(\d+,\s*(trampoline\d+)\)/g, '$1$2');
}

export async function transpileComponent(wasm: Uint8Array): Promise<TranspileOutput> {
  const { transpileBytes } = await import('@bytecodealliance/jco-transpile');
  const out = await transpileBytes(withoutCustomSections(wasm), {
    name: GLUE_NAME,
    // The host supplies every import object itself (no WASI shim mapping, no top-level instantiation).
    instantiation: 'sync',
    // Every core module as its own file, so each one can be memory-capped before compiling.
    base64Cutoff: 0,
    emitTypescriptDeclarations: false,
  });
  const glue = `${GLUE_NAME}.js`;
  if (out.files[glue]) out.files[glue] = new TextEncoder().encode(allowLateBorrowDrop(new TextDecoder().decode(out.files[glue])));
  return {
    files: out.files,
    glueName: `${GLUE_NAME}.js`,
    imports: out.imports,
    exports: out.exports.map(([name]) => name),
  };
}
