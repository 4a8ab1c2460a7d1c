// chat_filter in a real host: chat a backend sends to a player of a decoding mode reaches the client with
// the listed words masked (mode = "mask") or not at all (mode = "drop"), while other chat passes unchanged;
// a passthrough server's players are never filtered (the filter is registered but never called there).
// Both builds run; without `codec-filter` the 0.3.0 build is refused by its own registration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../test/support/minecraft-peers';
import { joinPlay, startPlayBackend, type PlayBackend } from '../../../test/support/play-peers';
import { wireText } from '../../../src/main/proxy/text-nbt';
import { EXAMPLE_BUILDS, startExampleHost, type ExampleHost } from '../example-host';

function say(backend: PlayBackend, username: string, text: string): void {
  const client = backend.players.get(username)!;
  if (backend.version === '1.8.9') client.write('chat', { message: JSON.stringify({ text }), position: 1 });
  else client.write('system_chat', { content: wireText(JSON.stringify({ text }), backend.version !== '1.20.2'), isActionBar: false });
}

for (const [contract, version, mode] of EXAMPLE_BUILDS.flatMap((c) => [[c, '1.21.4', 'mask'], [c, '1.8.9', 'drop']] as const)) {
  describe(`chat_filter example (${contract} build, ${version}, ${mode})`, () => {
    let game: PlayBackend;
    let plain: PlayBackend;
    let ex: ExampleHost;

    beforeAll(async () => {
      [game, plain] = await Promise.all([startPlayBackend('Game', version), startPlayBackend('Plain', version)]);
      ex = await startExampleHost({
        contract,
        plugins: ['chat_filter'],
        servers: {
          game: { port: game.port, domains: ['game.test'], mode: 'offline' },
          plain: { port: plain.port, domains: ['plain.test'] },
        },
        // codec_cpu_budget_ms keeps its 5 ms default (0.3.0: the guest's own time in its codec store).
        config: `[plugins.chat_filter]\npermissions = ["codec-filter"]\n[plugins.chat_filter.settings]\nwords = "creeper, Spoiler"\nmode = "${mode}"\n`,
      });
    });

    afterAll(async () => {
      await ex?.stop();
      game?.close();
      plain?.close();
    });

    it(`${mode === 'mask' ? 'masks' : 'drops'} chat with a listed word and passes the rest unchanged`, async () => {
      expect(ex.plugin('chat_filter').state).toBe('enabled');
      expect(ex.plugin('chat_filter').warnings).toContain('codec filter(s) chat_filter: called only for servers with proxy_mode "offline" or "client_only"; passthrough connections never call them');
      const ana = await joinPlay(ex.port, 'game.test', 'ana', game);
      say(game, 'ana', 'a Creeper is near');
      say(game, 'ana', 'hello there');
      say(game, 'ana', 'no spoilers please');
      say(game, 'ana', 'the end');
      await until('the last message', () => ana.messages.some((m) => m.includes('the end')));
      const texts = ana.messages.filter((m) => !m.includes('Welcome'));
      if (mode === 'mask') {
        expect(texts.some((m) => m.includes('a ******* is near'))).toBe(true);
        expect(texts.some((m) => m.includes('no *******s please'))).toBe(true);
      } else {
        expect(texts.some((m) => /creeper|spoiler|\*\*\*/i.test(m))).toBe(false);
      }
      expect(texts.some((m) => m.includes('hello there'))).toBe(true);
      expect(ana.ended).toBe(false);
      await ana.leave();
    });

    it('leaves a passthrough server alone', async () => {
      const bo = await joinPlay(ex.port, 'plain.test', 'bo', plain);
      say(plain, 'bo', 'a creeper is near');
      await until('the message, unfiltered', () => bo.messages.some((m) => m.includes('a creeper is near')));
      await bo.leave();
    });
  });
}

describe('chat_filter example (0.3.0 build) without codec-filter', () => {
  let ex: ExampleHost;

  beforeAll(async () => {
    ex = await startExampleHost({
      plugins: ['chat_filter'],
      servers: { game: { port: 1, domains: ['game.test'], mode: 'offline' } },
      config: '[plugins.chat_filter.settings]\nwords = "creeper"\n',
    });
  });

  afterAll(() => ex?.stop());

  it('is linked (0.3.0 checks at call time) and refuses to start with the host\'s answer to its registration', () => {
    expect(ex.plugin('chat_filter')).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('codec-registry.register-codec-filter(chat_filter): permission-denied: missing capability: codec-filter'),
    });
    expect(ex.plugin('chat_filter').warnings.join('\n')).toMatch(/codec-registry@0\.3\.0 \(needs capability `codec-filter`\)/);
  });
});
