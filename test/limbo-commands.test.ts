// Plugin commands for players held in limbo, through the real proxy with real minecraft-protocol clients and
// real 0.3.0 guests: js030/codec-limbo.js holds players with its limbo handler "gate" (and logs what its
// limbo-on-command hears), js030/commander.js is the permission provider with commands. A player in limbo
// gets a command tree of the plugin commands it may run (no backend tree to extend), runs one and sees its
// output, is refused one its snapshot lacks in red, gets completions from the plugin, and sees the tree
// again when its snapshot changes; a command no plugin registered reaches the holding handler (upstream's
// limbo asks its command manager before the handler too, and fires no command-execute). A 1.8.9 player (no
// command tree) runs and completes them as chat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginLogLine } from '../src/shared/plugin-state';
import type { Host } from '../src/main/host/host';
import { completions, trees } from './support/command-peers';
import { until } from './support/minecraft-peers';
import { playClient, startPlayBackend, type PlayBackend, type PlayClient } from './support/play-peers';
import { tempHost, type TempHost } from './support/temp-host';

const CONFIG = `bind = "127.0.0.1:0"

[permissions]
provider = "commander"

[plugins.commander]
permissions = ["permission-provider", "chat-intercept"]

[plugins.codec_limbo]
permissions = ["limbo"]
`;

describe('plugin commands for players held in limbo', () => {
  let tmp: TempHost;
  let host: Host;
  let game: PlayBackend;
  let port: number;
  const lines: PluginLogLine[] = [];
  const logged = (plugin: string, message: string) => lines.some((l) => l.pluginId === plugin && l.message === message);

  beforeAll(async () => {
    tmp = await tempHost();
    game = await startPlayBackend('Game', '1.21.4');
    await tmp.addPlugin('commander-030');
    await tmp.addPlugin('codec-limbo-030');
    ({ host, port } = await tmp.run({
      servers: { gate: `domains = ["gate.test"]\naddresses = ["127.0.0.1:${game.port}"]\nproxy_mode = "offline"\nlimbo_handlers = ["gate"]\n` },
      config: CONFIG,
      listen: (h) => h.plugins.on('log', (l) => lines.push(l)),
    }));
    await until('both plugins enabled', () => host.plugins.get('commander')?.state === 'enabled' && host.plugins.get('codec_limbo')?.state === 'enabled');
  });

  afterAll(async () => {
    await tmp?.cleanup();
    game?.close();
  });

  const said = (pc: PlayClient, text: string) => until(`${pc.username} to see "${text}"`, () => pc.messages.find((m) => m.includes(text)));

  /** A client held by "gate", its command trees and completions recorded from the first. */
  async function held(username: string, version: string) {
    const pc = playClient(port, 'gate.test', username, version);
    const seen = { trees: trees(pc), completions: completions(pc) };
    await until(`${username} held in limbo`, () => logged('codec_limbo', `limbo enter ${username} initial-connection`) || pc.ended);
    await until(`${username} in the limbo world`, () => pc.joins > 0 || pc.ended);
    expect(pc.kicked).toBeUndefined();
    return { pc, ...seen };
  }

  it('gives a 1.21.4 player in limbo the plugin commands it may run: tree, output, red refusal, completion', async () => {
    const { pc: ann, trees: seen, completions: answers } = await held('Ann', '1.21.4');
    // ct is codec_limbo's; commander's secret needs a permission Ann lacks and ghost is hidden.
    const base = ['ct', 'grant', 'hello', 'hi', 'revoke'];
    expect(await until('the limbo tree', () => seen[0])).toEqual(base);

    ann.chat('/hello big world');
    expect(await said(ann, 'hello big world via hello')).toBeTruthy();
    ann.chat('/secret');
    expect(await said(ann, 'You do not have permission to run /secret.')).toMatch(/"red"/);
    expect(logged('commander', 'ran secret ')).toBe(false);

    ann.client.write('tab_complete', { transactionId: 5, text: '/hello w' });
    expect(await until('the plugin completion', () => answers.find((a) => a.transactionId === 5))).toEqual({ transactionId: 5, start: 7, length: 1, matches: ['world', 'wide', 'web'] });
    ann.client.write('tab_complete', { transactionId: 6, text: '/secret a' });
    expect(await until('the refused completion', () => answers.find((a) => a.transactionId === 6))).toMatchObject({ matches: [] });
    ann.client.write('tab_complete', { transactionId: 7, text: '/h' });
    expect(await until('the names', () => answers.find((a) => a.transactionId === 7))).toEqual({ transactionId: 7, start: 1, length: 1, matches: ['hello', 'hi'] });

    // As in Infrarust's limbo, command-execute is not fired: commander's listener would deny this one.
    ann.chat('/hello deny');
    await said(ann, 'hello deny via hello');

    // A command no plugin registered goes to the handler holding the player.
    ann.chat('/login hunter2');
    await until('limbo-on-command', () => logged('codec_limbo', 'limbo command Ann login hunter2'));
    expect(logged('commander', 'ran login hunter2')).toBe(false);

    // set-snapshot sends the limbo's tree again, now with secret, which then runs.
    ann.chat('/grant');
    expect(await until('the tree with secret', () => seen[1])).toEqual([...base, 'secret'].sort());
    ann.chat('/secret');
    await said(ann, 'the secret is 42');
    expect(game.players.has('Ann')).toBe(false);

    // Released, the player reaches the game server.
    await host.plugins.runCommand('ct release Ann');
    await until('Ann on the game server', () => game.players.has('Ann'));
    expect(logged('codec_limbo', 'limbo command Ann grant')).toBe(false);
    await ann.leave();
  });

  it('runs and completes plugin commands typed as chat by a 1.8.9 player in limbo', async () => {
    const { pc: eve, trees: seen, completions: answers } = await held('Eve', '1.8.9');
    eve.chat('/hello old world');
    await said(eve, 'hello old world via hello');
    eve.chat('/secret');
    await said(eve, 'You do not have permission to run /secret.');
    eve.client.write('tab_complete', { text: '/hello wi' });
    expect(await until('the 1.8 completion', () => answers[0])).toEqual({ matches: ['wide'] });
    eve.client.write('tab_complete', { text: '/h' });
    expect(await until('the 1.8 names', () => answers[1])).toEqual({ matches: ['/hello', '/hi'] });
    eve.chat('/login pw');
    await until('limbo-on-command', () => logged('codec_limbo', 'limbo command Eve login pw'));
    expect(seen).toEqual([]);
    await eve.leave();
  });
});
