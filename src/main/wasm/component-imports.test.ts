// Reading the functions of each instance import from real components, checked against wasm-tools' own
// reading of the same bytes (jco print).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { print } from '@bytecodealliance/jco';
import { componentImportFunctions } from './component-imports';
import { componentImportNames } from './component-binary';
import { fixturePath } from '../../../test/fixtures/index';

/** import name → function names, as wasm-tools prints the component's top-level types and imports. */
async function printedImportFunctions(bytes: Uint8Array): Promise<Map<string, string[]>> {
  const wat = await print(bytes);
  const byType = new Map<string, string[]>();
  const imports = new Map<string, string[]>();
  let current: string | null = null;
  for (const line of wat.split('\n')) {
    // A type is referred to by its index, or by its $name when the component has a name section.
    const type = /^ {2}\(type (?:(\$\S+) )?\(;(\d+);\)/.exec(line);
    if (type) current = type[1] ?? type[2]!;
    else if (/^ {2}\S/.test(line)) current = null;
    const fn = /^ {4,6}\(export \(;\d+;\) "([^"]+)" \(func/.exec(line);
    if (fn && current) byType.set(current, [...(byType.get(current) ?? []), fn[1]!]);
    const imp = /^ {2}\(import "([^"]+)" \(instance (?:\$\S+ )?\(;\d+;\) \(type (\S+?)\)\)\)/.exec(line);
    if (imp) imports.set(imp[1]!, byType.get(imp[2]!) ?? []);
  }
  return imports;
}

describe('componentImportFunctions', () => {
  it.each(['minimal', 'full-world', 'probe-030', 'echo-030'])('matches wasm-tools for fixture %s', async (name) => {
    const bytes = new Uint8Array(readFileSync(fixturePath(name)));
    const read = componentImportFunctions(bytes);
    expect([...read.keys()].sort()).toEqual(componentImportNames(bytes).sort());
    expect(Object.fromEntries(read)).toEqual(Object.fromEntries(await printedImportFunctions(bytes)));
  });

  it('lists only the functions a plugin uses, not those of interfaces it imports for types', () => {
    const read = componentImportFunctions(new Uint8Array(readFileSync(fixturePath('types-only-030'))));
    expect(read.get('infrarust:plugin/ban-service@0.3.0')).toEqual([]);
    expect(read.get('infrarust:plugin/permissions@0.3.0')).toEqual([]);
    expect(read.get('infrarust:plugin/log@0.3.0')).toEqual(['info']);
    const banning = componentImportFunctions(new Uint8Array(readFileSync(fixturePath('bans-ungranted-030'))));
    expect(banning.get('infrarust:plugin/ban-service@0.3.0')).toEqual(['ban']);
  });
});
