// Plugin commands for players in a decoding mode, through the real proxy with real minecraft-protocol
// clients and backends and real guests: a 0.3.0 permission provider with commands (js030/commander.js)
// and a 0.2.3 plugin with one (js030/shout-023.js). A player runs a plugin command and gets its reply
// (name, alias, any case, plugin:name, hidden); a command its permission snapshot lacks answers in red and
// never reaches the backend; unknown commands and command-execute's forward-to-backend reach it; tab
// completion of a plugin command comes from the plugin; the client's command tree carries the plugin
// commands it may run, replacing the backend's of the same name, and changes after set-snapshot and
// when a plugin's commands go; the snapshot is held before the first tree (login waits for it).
import type { EventEmitter } from 'node:events';
import type mc from 'minecraft-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginLogLine } from '../src/shared/plugin-state';
import type { Host } from '../src/main/host/host';
import { completions, trees } from './support/command-peers';
import { until } from './support/minecraft-peers';
import { joinPlay, playClient, startPlayBackend, type PlayBackend, type PlayClient } from './support/play-peers';
import { tempHost, type TempHost } from './support/temp-host';

const CONFIG = `bind = "127.0.0.1:0"

[permissions]
provider = "commander"

[plugins.commander]
permissions = ["permission-provider", "chat-intercept"]
`;

type Node = { flags: { command_node_type: number }; children: number[]; extraNodeData?: { name: string } };
type Tree = { nodes: Node[]; rootIndex: number };

/** The backend's own tree: `spawn`, and a `hello` the plugin's replaces. */
const BACKEND_TREE: Tree = {
  nodes: [
    { flags: { command_node_type: 0 }, children: [1, 2] },
    { flags: { command_node_type: 1 }, children: [], extraNodeData: { name: 'spawn' } },
    { flags: { command_node_type: 1 }, children: [], extraNodeData: { name: 'hello' } },
  ],
  rootIndex: 0,
};
const flagsOf = (type: number, command: number) => ({ unused: 0, has_custom_suggestions: 0, has_redirect_node: 0, has_command: command, command_node_type: type });

/** What a 1.21.4 backend records of its players' commands and completions; it sends its command tree on join. */
function recordCommands(backend: PlayBackend): { commands: string[]; completions: string[] } {
  const seen = { commands: [] as string[], completions: [] as string[] };
  (backend as unknown as EventEmitter).on('playerJoin', (client: mc.Client) => {
    const events = client as unknown as EventEmitter;
    if (backend.version !== '1.8.9') {
      client.write('declare_commands', { ...BACKEND_TREE, nodes: BACKEND_TREE.nodes.map((n) => ({ ...n, flags: flagsOf(n.flags.command_node_type, n.extraNodeData ? 1 : 0) })) });
    }
    events.on('chat_command', (p: { command: string }) => seen.commands.push(p.command));
    events.on('chat', (p: { message: string }) => p.message.startsWith('/') && seen.commands.push(p.message.slice(1)));
    events.on('tab_complete', (p: { text: string }) => {
      seen.completions.push(p.text);
      if (backend.version === '1.8.9') client.write('tab_complete', { matches: ['/spawn'] });
    });
  });
  return seen;
}

describe('plugin commands for players of a decoding mode', () => {
  let tmp: TempHost;
  let host: Host;
  let modern: PlayBackend;
  let old: PlayBackend;
  let onModern: ReturnType<typeof recordCommands>;
  let onOld: ReturnType<typeof recordCommands>;
  let port: number;
  const lines: PluginLogLine[] = [];

  beforeAll(async () => {
    tmp = await tempHost();
    [modern, old] = await Promise.all([startPlayBackend('Modern', '1.21.4'), startPlayBackend('Old', '1.8.9')]);
    onModern = recordCommands(modern);
    onOld = recordCommands(old);
    await tmp.addPlugin('commander-030');
    await tmp.addPlugin('shout-023');
    ({ host, port } = await tmp.run({
      servers: {
        modern: `domains = ["modern.test"]\naddresses = ["127.0.0.1:${modern.port}"]\nproxy_mode = "offline"\n`,
        old: `domains = ["old.test"]\naddresses = ["127.0.0.1:${old.port}"]\nproxy_mode = "offline"\n`,
      },
      config: CONFIG,
      listen: (h) => h.plugins.on('log', (l) => lines.push(l)),
    }));
    await until('both plugins enabled', () => host.plugins.get('commander')?.state === 'enabled' && host.plugins.get('shout')?.state === 'enabled');
  });

  afterAll(async () => {
    await tmp?.cleanup();
    modern?.close();
    old?.close();
  });

  const said = (pc: PlayClient, text: string) => until(`${pc.username} to see "${text}"`, () => pc.messages.find((m) => m.includes(text)));

  it('runs plugin commands of both contracts for a 1.21.4 player, refuses what its snapshot lacks, and passes the rest to the backend', async () => {
    const ann = await joinPlay(port, 'modern.test', 'Ann', modern);
    ann.chat('/hello big world');
    expect(await said(ann, 'hello big world via hello')).toBeTruthy();
    ann.chat('/HI there');
    await said(ann, 'hello there via hi');
    ann.chat('/commander:hello x');
    await said(ann, 'hello x via hello');
    ann.chat('/ghost');
    await said(ann, 'boo');
    ann.chat('/shout hey you');
    await said(ann, 'HEY YOU');
    ann.chat('/yell quiet');
    await said(ann, 'QUIET');

    ann.chat('/secret');
    const refusal = await said(ann, 'You do not have permission to run /secret.');
    expect(refusal).toMatch(/"red"/);
    expect(lines.some((l) => l.pluginId === 'commander' && l.message === 'ran secret ')).toBe(false);

    // command-execute runs first: its deny keeps the plugin command from running, forward-to-backend sends it on
    ann.chat('/hello deny');
    await said(ann, 'denied by the listener');
    ann.chat('/hello backend');
    ann.chat('/shout:hello z'); // hello is not shout's
    ann.chat('/spawn now');
    await until('the backend to get /spawn', () => onModern.commands.includes('spawn now'));
    expect(onModern.commands).toEqual(['hello backend', 'shout:hello z', 'spawn now']);
    expect(lines.filter((l) => l.pluginId === 'commander' && l.message.startsWith('ran ')).map((l) => l.message)).toEqual(['ran hello big world', 'ran hi there', 'ran hello x', 'ran ghost ']);
    await ann.leave();
  });

  it('answers tab completion of a plugin command from the plugin and leaves the others to the backend', async () => {
    const bo = await joinPlay(port, 'modern.test', 'Bo', modern);
    const answers = completions(bo);
    bo.client.write('tab_complete', { transactionId: 5, text: '/hello w' });
    expect(await until('the plugin completion', () => answers.find((a) => a.transactionId === 5))).toEqual({ transactionId: 5, start: 7, length: 1, matches: ['world', 'wide', 'web'] });
    bo.client.write('tab_complete', { transactionId: 6, text: '/shout lo' });
    expect(await until('the 0.2.3 completion', () => answers.find((a) => a.transactionId === 6))).toMatchObject({ start: 7, length: 2, matches: ['loud', 'louder'] });
    // A command the player may not run completes to nothing; an unknown one goes to the backend.
    bo.client.write('tab_complete', { transactionId: 7, text: '/secret a' });
    expect(await until('the refused completion', () => answers.find((a) => a.transactionId === 7))).toMatchObject({ matches: [] });
    bo.client.write('tab_complete', { transactionId: 8, text: '/spawn x' });
    await until('the backend to be asked', () => onModern.completions.includes('/spawn x'));
    expect(onModern.completions).toEqual(['/spawn x']);
    await bo.leave();
  });

  /** Joins with the command trees recorded from the first one on. */
  async function joinWithTrees(username: string): Promise<{ pc: PlayClient; seen: string[][] }> {
    const pc = playClient(port, 'modern.test', username, '1.21.4');
    const seen = trees(pc);
    await until(`${username} playing`, () => (modern.players.has(username) && pc.joins > 0) || pc.ended);
    return { pc, seen };
  }

  it('extends the backend command tree with what the player may run, and sends it again when that changes', async () => {
    const { pc: dee, seen } = await joinWithTrees('Dee');
    const base = ['grant', 'hello', 'hi', 'revoke', 'shout', 'spawn', 'yell'];
    // The backend's hello is replaced by the plugin's; secret (no permission) and ghost (hidden) are not shown.
    expect(await until('the first tree', () => seen[0])).toEqual(base);
    dee.chat('/grant');
    expect(await until('the tree with secret', () => seen[1])).toEqual([...base, 'secret'].sort());
    dee.chat('/secret');
    await said(dee, 'the secret is 42');
    dee.chat('/revoke');
    expect(await until('the tree without secret again', () => seen[2])).toEqual(base);

    // A plugin's commands going (disable) and coming back send the tree again.
    await host.plugins.disable('shout');
    expect(await until('the tree without shout', () => seen[3])).toEqual(base.filter((n) => n !== 'shout' && n !== 'yell'));
    dee.chat('/shout hello');
    await until('the backend to get /shout', () => onModern.commands.includes('shout hello'));
    await host.plugins.enable('shout');
    expect(await until('the tree with shout again', () => seen[4])).toEqual(base);
    await dee.leave();
  });

  it('holds the snapshot before the backend: an admin of the provider sees and runs secret from the first tree', async () => {
    const { pc: boss, seen } = await joinWithTrees('Boss');
    expect(await until('the first tree', () => seen[0])).toContain('secret');
    boss.chat('/secret');
    await said(boss, 'the secret is 42');
    await boss.leave();
  });

  it('runs and completes plugin commands typed as chat by a 1.8.9 player', async () => {
    const eve = await joinPlay(port, 'old.test', 'Eve', old);
    const answers = completions(eve);
    eve.chat('/hello old world');
    await said(eve, 'hello old world via hello');
    eve.chat('/secret');
    await said(eve, 'You do not have permission to run /secret.');
    eve.chat('/spawn');
    await until('the 1.8 backend to get /spawn', () => onOld.commands.includes('spawn'));
    expect(onOld.commands).toEqual(['spawn']);
    eve.client.write('tab_complete', { text: '/hello wi' });
    expect(await until('the 1.8 completion', () => answers[0])).toEqual({ matches: ['wide'] });
    // No command tree on 1.8: the backend's names for a bare command get the plugin commands Eve may see.
    eve.client.write('tab_complete', { text: '/s' });
    expect(await until('the 1.8 names', () => answers[1])).toEqual({ matches: ['/shout', '/spawn'] });
    expect(onOld.completions).toEqual(['/s']);
    await eve.leave();
  });
});
