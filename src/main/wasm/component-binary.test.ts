// Top-level custom sections are dropped before transpiling: the rest of the component is kept byte for byte.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../../test/fixtures/index';
import { transpileComponent } from './transpile';
import { componentImportNames, withoutCustomSections } from './component-binary';

/** A custom section (id 0) named `name` holding `size` zero bytes; sizes below 128 keep each LEB one byte. */
const custom = (name: string, size: number) => Buffer.concat([Buffer.from([0, 1 + name.length + size, name.length]), Buffer.from(name), Buffer.alloc(size)]);

describe('withoutCustomSections', () => {
  it('drops top-level custom sections wherever they sit and keeps every other byte', async () => {
    const component = await readFile(fixturePath('minimal'));
    const stripped = withoutCustomSections(component);
    const padded = Buffer.concat([component.subarray(0, 8), custom('first', 40), component.subarray(8), custom('padding', 100)]);
    expect(Buffer.from(withoutCustomSections(padded)).equals(Buffer.from(stripped))).toBe(true);
    expect(componentImportNames(withoutCustomSections(padded))).toEqual(componentImportNames(component));
    // Transpiling the padded file gives what the original gives.
    const [a, b] = await Promise.all([transpileComponent(component), transpileComponent(padded)]);
    expect(b.imports).toEqual(a.imports);
    expect(Object.keys(b.files)).toEqual(Object.keys(a.files));
  });

  it('returns the same bytes when there is nothing to drop', async () => {
    const stripped = withoutCustomSections(await readFile(fixturePath('minimal')));
    expect(withoutCustomSections(stripped)).toBe(stripped);
  });
});
