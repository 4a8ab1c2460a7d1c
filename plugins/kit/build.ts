// `npm run plugins:build [path...]`: builds TypeScript plugins into plugins/build/<name>.wasm.
//   no path      every example (plugins/examples/*), the template, and the examples' 0.2.3 compatibility
//                fixtures (test/fixtures/compat-023/* into test/fixtures/build/compat-023/)
// A plugin's contract is the one its imports name: the kit (`../kit`) and `@0.3.0` host imports build
// 0.3.0; `kit/v023` and `@0.2.3` imports build 0.2.3.
//   path         a plugin folder (with plugin.ts or index.ts) or an entry .ts file
//   --force      rebuild even when the cached component is up to date
//   --out <dir>  write components there instead of plugins/build
//   --bindings   regenerate plugins/kit/bindings from wit/ and stop
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COMPAT_023_DIR, PLUGINS_DIR, buildPlugin, pluginSource } from './build-plugin';
import { writeBindings } from './bindings';

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const outIndex = args.indexOf('--out');
const outDir = outIndex >= 0 ? args[outIndex + 1] : undefined;
const paths = args.filter((a, i) => !a.startsWith('--') && (outIndex < 0 || i !== outIndex + 1));

const folders = (root: string): string[] =>
  readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(root, e.name)).sort();

function defaultPaths(): string[] {
  return [...folders(join(PLUGINS_DIR, 'examples')), join(PLUGINS_DIR, 'template'), ...folders(COMPAT_023_DIR)];
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;

async function main(): Promise<void> {
  if (flag('--bindings')) {
    const files = await writeBindings();
    console.log(`wrote ${files.length} binding files to plugins/kit/bindings/`);
    return;
  }
  const started = performance.now();
  const targets = (paths.length ? paths : defaultPaths()).map(pluginSource);
  // One at a time: a componentize run takes a core and ~150 MB.
  for (const src of targets) {
    const r = await buildPlugin(src, { outDir, force: flag('--force') });
    console.log(
      `${r.name.padEnd(12)} ${r.contract} ${r.cached ? 'cached' : 'built '} ${String(Math.round(r.ms)).padStart(6)} ms  ${mb(r.bytes).padStart(8)}  ${r.wasm}`,
    );
    console.log(`${''.padEnd(12)} imports: ${[...r.interfaces, ...r.wasi].join(', ')}; capabilities: ${r.capabilities.join(', ') || 'none'}`);
  }
  console.log(`${targets.length} plugin(s) in ${Math.round(performance.now() - started)} ms`);
}

main().catch((err: Error) => {
  console.error(`plugins:build: ${err.message}`);
  process.exitCode = 1;
});
