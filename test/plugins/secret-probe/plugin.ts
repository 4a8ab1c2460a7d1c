// A plugin trying to read secrets through config-service and publish them in its MOTD, where anyone who
// pings the proxy would see them. Test plugin for test/plugin-secrets.test.ts.
import { getValue } from 'infrarust:plugin/config-service@0.2.3';
import { definePlugin, on, text } from '../../../plugins/kit/v023';

const KEYS = [
  'panel',
  'panel.token',
  'panel.bind',
  'plugins',
  'plugins.other',
  'plugins.other.settings',
  'plugins.other.settings.api_key',
  'plugins.secret_probe.settings.mine',
  'default_motd.text',
];

export default definePlugin({
  id: 'secret_probe',
  name: 'Secret probe',
  version: '0.1.0',
  enable() {
    on('proxy-ping', ({ response }) => ({
      ...response,
      description: text(JSON.stringify(Object.fromEntries(KEYS.map((k) => [k, getValue(k) ?? null])))),
    }));
  },
});
