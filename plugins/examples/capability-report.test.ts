// Every example as the kit builds it, in one real host: granted exactly the capabilities the kit computes
// for it (what the gallery lists), none shows a capability warning, so the interfaces the kit pulls in only for
// their types (`ban-service`, `permissions`, `limbo`) never count as ungranted (§4.1). Without grants, the
// only warnings are for the opt-in capabilities the kit lists.
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASELINE_CAPABILITIES } from '../../src/shared/capabilities';
import { bundlePlugin, capabilitiesFor, pluginSource } from '../kit/build-plugin';
import { exampleFolders } from '../kit/gallery';
import { startExampleHost, type ExampleHost } from './example-host';

describe('kit-built examples', () => {
  let ex: ExampleHost;
  /** Example file name (as deployed) → the capabilities the kit says it needs. */
  const needs = new Map<string, string[]>();

  beforeAll(async () => {
    const folders = await exampleFolders();
    for (const folder of folders) {
      const bundle = await bundlePlugin(pluginSource(folder));
      needs.set(`${basename(folder)}.wasm`, capabilitiesFor(bundle.functions, bundle.contract));
    }
    ex = await startExampleHost({ plugins: folders, servers: {} });
  });

  afterAll(async () => ex?.stop());

  const viewOf = (file: string) => ex.host.plugins.list().find((v) => basename(v.file) === file)!;
  const optIn = (caps: string[]) => caps.filter((c) => !(BASELINE_CAPABILITIES as readonly string[]).includes(c));

  it('warn only about the opt-in capabilities the kit lists for them', () => {
    for (const [file, caps] of needs) {
      const warned = viewOf(file).warnings.map((w) => /needs capability `([a-z-]+)`/.exec(w)?.[1] ?? w);
      expect({ file, warned: warned.sort() }).toEqual({ file, warned: optIn(caps).sort() });
    }
  });

  it('show no capability warning once granted what the kit lists, even under strict_capabilities', async () => {
    const tables = [...needs].map(([file, caps]) => `[plugins.${viewOf(file).id}]\npermissions = ${JSON.stringify(caps)}\nstrict_capabilities = true\n`);
    await ex.reconfigure(tables.join('\n'));
    for (const file of needs.keys()) {
      // (chat_filter keeps its note that passthrough servers never call codec filters.)
      expect({ file, warnings: viewOf(file).warnings.filter((w) => /capabilit/.test(w)) }).toEqual({ file, warnings: [] });
      expect({ file, state: viewOf(file).state }).not.toEqual({ file, state: 'capability-denied' });
    }
  });
});
