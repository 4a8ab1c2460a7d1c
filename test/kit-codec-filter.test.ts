// The kit's codec filters live at a module's top level: one made inside `enable` would exist only in the main
// instance, out of the codec store's reach, and pass every packet unfiltered. The kit refuses it instead,
// and the refusal is the plugin's failure reason in a real host.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleHost, type ExampleHost } from '../plugins/examples/example-host';
import { buildPlugin, pluginSource } from '../plugins/kit/build-plugin';

describe('a kit codec filter made inside enable', () => {
  let ex: ExampleHost;

  beforeAll(async () => {
    await buildPlugin(pluginSource(join(import.meta.dirname, 'plugins/late-filter')));
    ex = await startExampleHost({ plugins: [join(import.meta.dirname, 'plugins/late-filter')], servers: {}, config: '[plugins.late_filter]\npermissions = ["codec-filter"]' });
  }, 60_000);

  afterAll(() => ex?.stop());

  it('fails the plugin, saying to declare it at the top level', () => {
    const view = ex.plugin('late_filter');
    expect(view.state).toBe('failed');
    expect(view.reason).toMatch(/codecFilter\(late\) inside enable: declare codec filters at the module's top level/);
  });
});
