// 6. Files the panel must refuse, each with its reason: a text file, a truncated .wasm, a core module
// (not a component), and names with folder parts. The folder and the config stay exactly as they were.
import { readFile } from 'node:fs/promises';
import { expect } from '@playwright/test';
import { fixturePath } from '../../test/fixtures/index';
import { treeOf } from '../support/disk';
import { dropFiles, expectState, fileFrom, pickFiles, pluginCard, upload } from '../support/panel';
import type { Scenario } from './scenario';

export const refusedDrops: Scenario = {
  name: '06-refused-drops',
  title: 'refused drops: text file, truncated .wasm, core module, path parts; nothing changes',
  plugins: ['minimal'],
  async run({ page, data }) {
    await expectState(pluginCard(page, 'Minimal'), 'enabled');
    const treeBefore = await treeOf(data.dir);
    const configBefore = await readFile(data.configFile);
    const minimal = await readFile(fixturePath('minimal'));

    await dropFiles(page, [
      { name: 'notes.txt', bytes: Buffer.from('not a plugin\n') },
      await fileFrom(fixturePath('truncated')),
      await fileFrom(fixturePath('core-module')),
      { name: '../escape.wasm', bytes: minimal },
    ]);
    await pickFiles(page, [{ name: 'nested/dir/inner.wasm', bytes: minimal }]);

    const refusals: [string, RegExp][] = [
      ['notes.txt', /it is not a \.wasm file/],
      ['truncated.wasm', /not a valid WebAssembly component: unexpected end of data \(the file is truncated\)/],
      ['core-module.wasm', /it is a core WebAssembly module, not a component/],
      ['../escape.wasm', /folder separator/],
      ['nested/dir/inner.wasm', /folder separator/],
    ];
    for (const [name, reason] of refusals) {
      const item = upload(page, name);
      await expect(item.locator('.badge')).toHaveText('refused');
      await expect(item.getByRole('alert')).toContainText(`${name} was refused: `);
      await expect(item.getByRole('alert')).toHaveText(reason);
    }

    await expect(page.getByRole('region', { name: 'Plugins' })).toContainText('1 plugin');
    expect(await treeOf(data.dir)).toEqual(treeBefore);
    expect(await readFile(data.configFile)).toEqual(configBefore);
  },
};
