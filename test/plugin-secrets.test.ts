// Secrets never reach a plugin: a real guest asks config-service for the panel's token and another plugin's
// settings and puts what it got into its MOTD; a real status ping through the proxy shows what leaked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { buildPlugin, pluginSource } from '../plugins/kit/build-plugin';
import { startExampleHost, type ExampleHost } from '../plugins/examples/example-host';
import { pingVia, startBackend, type Backend } from './support/minecraft-peers';

const CONFIG = `
[default_motd]
text = "Proxy MOTD"

[panel]
bind = "127.0.0.1:0"
token = "panel-secret-token"

[plugins.other.settings]
api_key = "other-plugins-api-key"

[plugins.secret_probe.settings]
mine = "own-setting"
`;

describe('config-service keeps secrets from plugins', () => {
  let backend: Backend;
  let ex: ExampleHost;

  beforeAll(async () => {
    await buildPlugin(pluginSource(join(import.meta.dirname, 'plugins/secret-probe')));
    backend = await startBackend('Backend');
    ex = await startExampleHost({
      plugins: [join(import.meta.dirname, 'plugins/secret-probe')],
      servers: { lobby: { port: backend.port, domains: ['play.test'] } },
      config: CONFIG,
    });
  }, 60_000);

  afterAll(async () => {
    await ex?.stop();
    backend?.close();
  });

  it('answers nothing under [panel] or another plugin table, and the plugin its own keys', async () => {
    expect(ex.plugin('secret_probe').state).toBe('enabled');
    const ping = await pingVia(ex.port, 'play.test');
    const seen = JSON.parse((ping.description as { text: string }).text) as Record<string, unknown>;
    expect(seen).toEqual({
      panel: null,
      'panel.token': null,
      'panel.bind': null,
      plugins: JSON.stringify({ secret_probe: { settings: { mine: 'own-setting' } } }),
      'plugins.other': null,
      'plugins.other.settings': null,
      'plugins.other.settings.api_key': null,
      'plugins.secret_probe.settings.mine': 'own-setting',
      'default_motd.text': 'Proxy MOTD',
    });
    expect(JSON.stringify(ping)).not.toContain('panel-secret-token');
    expect(JSON.stringify(ping)).not.toContain('other-plugins-api-key');
  });
});
