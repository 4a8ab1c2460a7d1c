// 8. A plugin that spins in its proxy-ping handler: it ends poisoned with its cause, pings through the
// proxy keep answering while it spins, and the other plugins stay enabled and untouched.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { fixturePath } from '../../test/fixtures/index';
import { pingMotd } from '../support/minecraft';
import { dropFiles, expectState, fileFrom, logLines, pluginCard, upload } from '../support/panel';
import type { Scenario } from './scenario';

const CALL_TIMEOUT_MS = 500;

export const cpuSpin: Scenario = {
  name: '08-cpu-spin',
  title: 'a CPU-spinning plugin ends poisoned; pings keep answering; the others stay enabled',
  config: `[wasm]\ncall_timeout_ms = ${CALL_TIMEOUT_MS}\n`,
  plugins: ['events-echo', 'minimal'],
  async run({ page, data, proxyPort }) {
    const echo = pluginCard(page, 'Events Echo');
    const minimal = pluginCard(page, 'Minimal');
    await expectState(echo, 'enabled');
    await expectState(minimal, 'enabled');
    const minimalLog = await logLines(minimal);
    await expect(minimalLog).toHaveText([/minimal enabled/]);

    await dropFiles(page, [await fileFrom(fixturePath('cpu-spin-event'))]);
    await expect(upload(page, 'cpu-spin-event.wasm')).toContainText('Deployed cpu_spin_event (enabled)');
    const spinner = pluginCard(page, 'cpu_spin_event');
    await expectState(spinner, 'enabled');
    await access(join(data.pluginsDir, 'cpu-spin-event.wasm'));

    // Two clients ping while the spinner spins: both are answered once its deadline stops it.
    const started = Date.now();
    const during = await Promise.all([pingMotd(proxyPort, 'nobody.e2e.test'), pingMotd(proxyPort, 'nobody.e2e.test')]);
    expect(during).toEqual(['echo MOTD', 'echo MOTD']);
    expect(Date.now() - started).toBeLessThan(CALL_TIMEOUT_MS * 6);

    await expectState(spinner, 'poisoned');
    await expect(spinner).toContainText('CPU deadline exceeded');

    const after = Date.now();
    expect(await pingMotd(proxyPort, 'nobody.e2e.test')).toBe('echo MOTD');
    expect(Date.now() - after).toBeLessThan(CALL_TIMEOUT_MS);

    await expectState(echo, 'enabled');
    await expectState(minimal, 'enabled');
    await expect(minimalLog).toHaveText([/minimal enabled/]);
  },
};
