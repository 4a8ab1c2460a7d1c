// A scenario is written once and run by both the browser spec (headless panel) and the Electron spec.
import type { Page } from '@playwright/test';
import type { FixtureName } from '../../test/fixtures/index';
import type { DataFolder } from '../support/data-folder';

export interface PanelApp {
  page: Page;
  data: DataFolder;
  /** The proxy's port, as the panel shows it. */
  proxyPort: number;
  /** Saves a screenshot of a state on the way (the final one is always saved): `<scenario>-<label>.png`. */
  screenshot(label: string): Promise<void>;
  /** Runs after the scenario, pass or fail, newest first (players, backends). */
  defer(cleanup: () => unknown): void;
}

export interface Scenario {
  /** File-safe: names the screenshot. */
  name: string;
  title: string;
  /** Appended to the embedded default infrarust.toml before the first start. */
  config?: string;
  /** Fixture plugins already in plugins_dir at the first start. */
  plugins?: FixtureName[];
  run(app: PanelApp): Promise<void>;
}
