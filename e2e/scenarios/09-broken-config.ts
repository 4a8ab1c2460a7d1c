// 9. infrarust.toml broken by hand: the panel shows where (line and column, as the parser reports them),
// the plugins keep running on the last good configuration, and fixing the file recovers.
import { readFile, writeFile } from 'node:fs/promises';
import { expect } from '@playwright/test';
import { parse, TomlError } from 'smol-toml';
import { pingMotd } from '../support/minecraft';
import { expectState, pluginCard } from '../support/panel';
import type { Scenario } from './scenario';

export const brokenConfig: Scenario = {
  name: '09-broken-config',
  title: 'a broken infrarust.toml shows line and column; plugins keep the last good config; a fix recovers',
  plugins: ['events-echo', 'minimal'],
  async run({ page, data, proxyPort, screenshot }) {
    const echo = pluginCard(page, 'Events Echo');
    const minimal = pluginCard(page, 'Minimal');
    await expectState(echo, 'enabled');
    await expectState(minimal, 'enabled');
    const good = await readFile(data.configFile, 'utf8');

    // A missing bracket: had it parsed, it would switch events_echo off.
    const broken = `${good}\n[plugins.events_echo\nenabled = false\n`;
    const where = parseError(broken);
    await writeFile(data.configFile, broken);
    const problem = page.getByRole('region', { name: 'Configuration problems' }).getByRole('alert');
    await expect(problem).toContainText('infrarust.toml does not parse');
    await expect(problem).toContainText(`Line ${where.line}, column ${where.column}:`);
    await expect(problem).toContainText(data.configFile);
    await screenshot('broken');

    // Still the last good configuration: events_echo enabled, and its MOTD still answers pings.
    await expectState(echo, 'enabled');
    await expectState(minimal, 'enabled');
    expect(await pingMotd(proxyPort, 'nobody.e2e.test')).toBe('echo MOTD');

    await writeFile(data.configFile, `${good}\n[plugins.events_echo]\nenabled = false\n`);
    await expect(problem).toHaveCount(0);
    await expectState(echo, 'disabled');
    await expectState(minimal, 'enabled');
    expect(await pingMotd(proxyPort, 'nobody.e2e.test')).toBe('Unknown server');
  },
};

function parseError(text: string): { line: number; column: number } {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof TomlError) return { line: err.line, column: err.column };
  }
  throw new Error('the broken config parsed');
}
