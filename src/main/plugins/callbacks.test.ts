// Commands and scheduled tasks through the real host-call path (a native plugin drives it; WASM
// guests reach the same handlers through their worker): callback ids come back unchanged, and tasks
// stop when the plugin is disabled, reloaded or poisoned.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempHost, type TempHost } from '../../../test/support/temp-host';
import { sleep, until } from '../../../test/support/minecraft-peers';

let host: TempHost;
afterEach(async () => host?.cleanup());

const PLUGIN = `
export default (host) => {
  const calls = (globalThis.__calls ??= []);
  return {
    metadata: () => ({ id: 'clock', name: 'Clock', version: '1', authors: [], description: undefined, dependencies: [] }),
    onEnable() {
      host['command-manager'].register('tick', ['t'], 'counts ticks', 41n);
      host.scheduler.interval(20n, 7n);
      host.scheduler.delay(10n, 8n);
      const cancelled = host.scheduler.delay(10n, 9n);
      host.scheduler.cancel(cancelled);
    },
    handleCommand(id, args, player) { calls.push(['command', id, args, player]); if (args[0] === 'boom') throw new Error('boom'); },
    tabComplete(id, partial, cursor) { calls.push(['tab', id, partial, cursor]); return ['alpha', 'beta'].filter((w) => w.startsWith(partial.at(-1) ?? '')); },
    onScheduledTask(id) { calls.push(['task', id]); },
  };
};`;

type Call = [string, ...unknown[]];
const calls = (): Call[] => ((globalThis as { __calls?: Call[] }).__calls ??= []);

describe('commands and scheduled tasks', () => {
  it('routes console commands and tab completion to the plugin with its callback id', async () => {
    host = await tempHost();
    await writeFile(join(host.dir, 'clock.mjs'), PLUGIN);
    await host.writeConfig('[plugins.clock]\npath = "./clock.mjs"\n');
    const m = host.manager();
    await m.loadAll();
    expect(await m.runCommand('/tick a b')).toBe(true);
    expect(await m.runCommand('t')).toBe(true);
    expect(await m.runCommand('nope')).toBe(false);
    expect(calls().filter((c) => c[0] === 'command')).toEqual([
      ['command', 41n, ['a', 'b'], undefined],
      ['command', 41n, [], undefined],
    ]);
    expect(await m.tabComplete('ti')).toEqual(['tick']);
    expect(await m.tabComplete('tick a')).toEqual(['alpha']);
    expect(calls().find((c) => c[0] === 'tab')).toEqual(['tab', 41n, ['a'], 1]);
  });

  it('fires delays and intervals with their callback ids, honours cancel, and stops every task on disable and reload', async () => {
    calls().length = 0;
    host = await tempHost();
    await writeFile(join(host.dir, 'clock.mjs'), PLUGIN);
    await host.writeConfig('[plugins.clock]\npath = "./clock.mjs"\n');
    const m = host.manager();
    await m.loadAll();
    await until('three interval ticks', () => calls().filter((c) => c[0] === 'task' && c[1] === 7n).length >= 3);
    const tasks = calls().filter((c) => c[0] === 'task');
    expect(tasks.filter((c) => c[1] === 8n)).toHaveLength(1);
    expect(tasks.some((c) => c[1] === 9n)).toBe(false);
    expect(m.scheduler.count('clock')).toBe(1);

    await m.disable('clock');
    expect(m.scheduler.count('clock')).toBe(0);
    expect(m.commands.list()).toEqual([]);
    const before = calls().length;
    await sleep(100);
    expect(calls().length).toBe(before);

    await m.enable('clock');
    await m.reload('clock');
    // The reload's on-enable scheduled afresh (an interval and a delay); the earlier enable's are gone.
    expect(m.scheduler.count('clock')).toBeLessThanOrEqual(2);
    await until('the delay to fire', () => m.scheduler.count('clock') === 1);
  });

  it('a command that throws poisons a native plugin and cancels its tasks', async () => {
    host = await tempHost();
    await writeFile(join(host.dir, 'clock.mjs'), PLUGIN);
    await host.writeConfig('[plugins.clock]\npath = "./clock.mjs"\n');
    const m = host.manager();
    await m.loadAll();
    await m.runCommand('tick boom');
    expect(m.get('clock')).toMatchObject({ state: 'poisoned', poisonCause: 'trap' });
    expect(m.scheduler.count('clock')).toBe(0);
    expect(m.commands.list()).toEqual([]);
  });
});
