// fallback in a real host with an `offline` proxy mode: a player kicked from the game server lands in the
// lobby without reconnecting and sees the plugin's message and title; a blocked word never reaches the
// backend and the player is told why. Both builds run it; the 0.3.0 build needs `chat-intercept` to
// subscribe to chat, and without it refuses to start with the host's answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../test/support/minecraft-peers';
import { joinPlay, startPlayBackend, type PlayBackend } from '../../../test/support/play-peers';
import { startExampleHost, EXAMPLE_BUILDS, type ExampleHost } from '../example-host';

describe.each(EXAMPLE_BUILDS)('fallback example (%s build)', (contract) => {
  let lobby: PlayBackend;
  let game: PlayBackend;
  let ex: ExampleHost;

  beforeAll(async () => {
    [lobby, game] = await Promise.all([startPlayBackend('Lobby', '1.21.4'), startPlayBackend('Game', '1.21.4')]);
    ex = await startExampleHost({
      contract,
      plugins: ['fallback'],
      servers: {
        lobby: { port: lobby.port, domains: ['lobby.test'], mode: 'offline' },
        game: { port: game.port, domains: ['game.test'], mode: 'offline' },
      },
      config: `${contract === '0.3.0' ? '[plugins.fallback]\npermissions = ["chat-intercept"]\n' : ''}[plugins.fallback.settings]\nblocked_words = "spoiler, creeper"\n`,
    });
  });

  afterAll(async () => {
    await ex?.stop();
    lobby?.close();
    game?.close();
  });

  it('catches a kick, moves the player to the lobby and tells them with a message and a title', async () => {
    expect(ex.plugin('fallback').state).toBe('enabled');
    const ana = await joinPlay(ex.port, 'game.test', 'ana', game);
    await until('in play', () => ana.joined);
    game.kick('ana', 'round over');
    await until('in the lobby', () => lobby.players.has('ana'));
    await until('message and title', () => ana.messages.some((m) => m.includes('You were kicked from game: round over')) && ana.titles.some((t) => t.includes('Back in the lobby')));
    expect(ana.ended).toBe(false);
    await ex.logged(/game kicked player #\d+: sending them to lobby/);

    ana.chat('no Spoiler please');
    ana.chat('hello all');
    await until('allowed chat on the lobby', () => lobby.chats.some((c) => c.message === 'hello all'));
    expect(lobby.chats.map((c) => c.message)).toEqual(['hello all']);
    await until('told why', () => ana.messages.some((m) => m.includes("Please don't say \\\"spoiler\\\" here.")));
    await ana.leave();
  });

  it.runIf(contract === '0.3.0')('starts with chat-intercept granted, and without it is refused with the host\'s answer', async () => {
    expect(ex.plugin('fallback').state).toBe('enabled');
    await ex.reconfigure('[plugins.fallback.settings]\nblocked_words = "spoiler"\n');
    expect(ex.plugin('fallback')).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('event-bus.subscribe(chat-message): permission-denied: missing capability: chat-intercept'),
    });
    // Without words to block it does not subscribe to chat, and needs nothing more.
    await ex.reconfigure('');
    expect(ex.plugin('fallback').state).toBe('enabled');
  });
});
