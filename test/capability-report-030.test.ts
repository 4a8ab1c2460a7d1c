// The 0.3.0 load-time capability report (§4.1) with real QuickJS guests built as the kit builds them: an
// interface imported only for its types counts for nothing, even under strict_capabilities; a gated function
// imported without its grant is named in the warning, answers permission-denied, and strict refuses the load.
import { afterEach, describe, expect, it } from 'vitest';
import type { PluginLogLine } from '../src/shared/plugin-state';
import { tempHost, type TempHost } from './support/temp-host';
import { until } from './support/minecraft-peers';

let tmp: TempHost;
afterEach(async () => tmp?.cleanup());

async function load(fixture: 'types-only-030' | 'bans-ungranted-030', config: string) {
  tmp = await tempHost();
  await tmp.addPlugin(fixture);
  await tmp.writeConfig(config);
  const m = tmp.manager();
  const lines: PluginLogLine[] = [];
  m.on('log', (l) => lines.push(l));
  await m.loadAll();
  return { m, lines };
}

describe('0.3.0 capability report', () => {
  it('ignores ban-service and permissions imported only for their types, strict or not', async () => {
    const { m } = await load('types-only-030', '[plugins.types_only]\nstrict_capabilities = true\n');
    expect(m.get('types_only')).toMatchObject({ state: 'enabled', contract: '0.3.0', warnings: [] });
  });

  it('names ban-service.ban imported without `ban`; the call answers permission-denied', async () => {
    const { m, lines } = await load('bans-ungranted-030', '');
    const view = m.get('bans_ungranted')!;
    expect(view.state).toBe('enabled');
    expect(view.warnings).toEqual([
      'it imports infrarust:plugin/ban-service@0.3.0 (needs capability `ban`) without that capability: ban-service.ban will answer permission-denied',
    ]);
    await until('the ban answer', () => lines.find((l) => l.message.startsWith('ban ')));
    expect(lines.find((l) => l.message.startsWith('ban '))?.message).toBe('ban refused: permission-denied: missing capability: ban');
  });

  it('refuses it under strict_capabilities, and loads it once `ban` is granted', async () => {
    const { m } = await load('bans-ungranted-030', '[plugins.bans_ungranted]\nstrict_capabilities = true\n');
    expect(m.get('bans_ungranted')).toMatchObject({
      state: 'capability-denied',
      missingCapabilities: ['ban'],
      reason: expect.stringContaining('strict_capabilities: it imports infrarust:plugin/ban-service@0.3.0 (needs capability `ban`) without that capability: ban-service.ban'),
    });
    await tmp.writeConfig('[plugins.bans_ungranted]\nstrict_capabilities = true\npermissions = ["ban"]\n');
    const granted = tmp.manager();
    await granted.loadAll();
    expect(granted.get('bans_ungranted')).toMatchObject({ state: 'enabled', warnings: [] });
  });
});
