// The scenarios in Chromium against `infrarust-desktop serve` (the headless panel), one host per test.
import { test } from '@playwright/test';
import { scenarios } from './scenarios/index';
import { runScenario } from './support/run-scenario';
import { servedPanel } from './support/served-panel';

for (const scenario of scenarios) {
  test(scenario.title, ({ page }, testInfo) => runScenario(scenario, servedPanel(page, testInfo), testInfo));
}
