// A host-async call (here ban-service, as for player.switch-server) may take the host longer than the
// guest's call budget: the deadline counts the guest's own running time, so waiting on the host does not
// poison the plugin. A real WASM guest (the ban-guard example, its 0.2.3 build) drives it.
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtPlugin } from '../../../plugins/kit/build-plugin';
import type { PluginLogLine } from '../../shared/plugin-state';
import { tempHost, type TempHost } from '../../../test/support/temp-host';
import { offlineServices } from './contract-services';
import { PluginManager } from './plugin-manager';

let host: TempHost;
afterEach(async () => host?.cleanup());

describe('host-async calls', () => {
  it('a host answer slower than the call budget does not count against the guest', async () => {
    host = await tempHost();
    // The example's 0.2.3 build: this is the 0.2.3 host's async path (0.3.0's waits are test/contract-0.3.test.ts's).
    await copyFile(await builtPlugin(join(__dirname, '../../../test/fixtures/compat-023/ban-guard')), join(host.pluginsDir, 'ban-guard.wasm'));
    await host.writeConfig('[wasm]\ncall_timeout_ms = 200\n\n[plugins.ban_guard]\npermissions = ["ban"]\n');
    const slowUnban = async () => {
      await new Promise((r) => setTimeout(r, 600));
      return { tag: 'ok' as const, val: true };
    };
    const m = new PluginManager({ ...host.config(), services: { ...offlineServices, bans: { ...offlineServices.bans, unban: slowUnban } } });
    const logs: PluginLogLine[] = [];
    m.on('log', (l) => logs.push(l));
    await m.loadAll();
    expect(m.list().find((p) => p.id === 'ban_guard')?.state).toBe('enabled');
    expect(await m.runCommand('/unban alex')).toBe(true);
    expect(m.list().find((p) => p.id === 'ban_guard')).toMatchObject({ state: 'enabled' });
    expect(logs.map((l) => l.message)).toContain('unbanned alex');
    await m.shutdown();
  });
});
