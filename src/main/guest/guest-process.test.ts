// The call channel with a real guest in its worker: values too large for the shared memory, both ways,
// and log lines that still arrive before the answer they preceded.
import { afterEach, describe, expect, it } from 'vitest';
import type { GuestEvent } from '../contract/guest-types';
import type { PluginLogLine } from '../../shared/plugin-state';
import { tempHost, type TempHost } from '../../../test/support/temp-host';
import { CHANNEL_BYTES } from './call-channel';

let host: TempHost;
afterEach(async () => host?.cleanup());

describe('guest calls through the call channel', () => {
  it('carries answers and events larger than its shared memory, with the log lines before them', async () => {
    host = await tempHost();
    await host.addPlugin('big-answers');
    await host.addPlugin('events-echo');
    await host.writeConfig('');
    const m = host.manager();
    const logs: PluginLogLine[] = [];
    m.on('log', (l) => logs.push(l));
    await m.loadAll();

    const big = m.list().find((p) => p.id === 'big_answers')!;
    expect(big.state).toBe('enabled');
    // metadata() answered with a description larger than the channel: it came by message, whole.
    expect(big.metadata?.description).toBe('big answers '.repeat(8000));
    expect(big.metadata!.description!.length).toBeGreaterThan(CHANNEL_BYTES);
    // Logged during on-enable: taken in before on-enable's answer, so already here.
    expect(logs.map((l) => l.message)).toContain('big_answers enabled');

    // An event larger than the channel reaches both guests; each still answers.
    const username = 'u'.repeat(CHANNEL_BYTES + 1000);
    const event: GuestEvent = {
      tag: 'pre-login',
      val: { profile: { uuid: '00000000-0000-3000-8000-000000000000', username, properties: [] }, remoteAddr: '127.0.0.1:5000', protocolVersion: 767, serverDomain: 'a.localhost' },
    };
    expect(await m.events.dispatch(event)).toEqual([]);
    expect(m.list().map((p) => [p.id, p.state]).sort()).toEqual([
      ['big_answers', 'enabled'],
      ['events_echo', 'enabled'],
    ]);
    expect(m.pluginMetrics('events_echo').calls).toBe(1);
    expect(m.pluginMetrics('big_answers').calls).toBe(1);
  });
});
