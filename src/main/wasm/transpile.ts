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
  return {
    files: out.files,
    glueName: `${GLUE_NAME}.js`,
    imports: out.imports,
    exports: out.exports.map(([name]) => name),
  };
}
