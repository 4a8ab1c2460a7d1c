// What a user sees and does on the panel, by role and accessible name (the same in Chromium and Electron).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import type { PluginState } from '../../src/shared/plugin-state';

export interface PanelFile {
  name: string;
  bytes: Buffer;
}

export async function fileFrom(path: string, name = basename(path)): Promise<PanelFile> {
  return { name, bytes: await readFile(path) };
}

/** Waits for the panel to be connected and loaded; returns the proxy port it shows. */
export async function panelReady(page: Page): Promise<number> {
  const strip = page.getByLabel('Status', { exact: true });
  // Not "disconnected, retrying…".
  await expect(strip).toContainText(/Host\s*connected/);
  await expect(page.getByText('Loading…')).toHaveCount(0);
  await expect(strip).toContainText(/listening on 127\.0\.0\.1:\d+/);
  const text = await strip.textContent();
  return Number(/listening on 127\.0\.0\.1:(\d+)/.exec(text ?? '')![1]);
}

export function pluginCard(page: Page, name: string): Locator {
  return page.getByRole('article', { name, exact: true });
}

export async function expectState(card: Locator, state: PluginState): Promise<void> {
  await expect(card.locator('.plugin-title .badge')).toHaveText(state);
}

/** Opens the card's log and returns its lines. */
export async function logLines(card: Locator): Promise<Locator> {
  const log = card.locator('details.log');
  if (!(await log.evaluate((d) => (d as HTMLDetailsElement).open))) await log.locator('summary').click();
  // Its lines are hidden (and not list items to a role query) while it is folded: say so if the click missed.
  await expect(log, 'the log opens').toHaveJSProperty('open', true);
  return log.getByRole('listitem');
}

/** Drags files onto the drop zone: dragenter, dragover and drop with a DataTransfer holding them. */
export async function dropFiles(page: Page, files: PanelFile[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name, { type: f.name.endsWith('.wasm') ? 'application/wasm' : 'text/plain' }));
    }
    return dt;
  }, files.map((f) => ({ name: f.name, base64: f.bytes.toString('base64') })));
  const zone = page.getByTestId('drop-zone');
  for (const type of ['dragenter', 'dragover', 'drop']) await zone.dispatchEvent(type, { dataTransfer });
  await dataTransfer.dispose();
}

/** The "Choose files…" route: the file input behind the button. */
export async function pickFiles(page: Page, files: PanelFile[]): Promise<void> {
  await page.getByLabel('Plugin files to deploy').setInputFiles(files.map((f) => ({ name: f.name, mimeType: 'application/wasm', buffer: f.bytes })));
}

/** The upload entry of a dropped file (its name, status badge and reason). */
export function upload(page: Page, name: string): Locator {
  return page.getByRole('list', { name: 'Uploads' }).getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) });
}
