import { describe, expect, it } from 'vitest';
import type { GameProfile, GuestEvent } from '../contract/guest-types';
import { eventSummary, outcomeChanges } from './event-description';

const profile: GameProfile = { uuid: 'u', username: 'alex', properties: [] };
const names = (id: bigint) => (id === 7n ? 'alex' : undefined);
const preLogin: GuestEvent = { tag: 'pre-login', val: { profile, remoteAddr: '127.0.0.1:5000', protocolVersion: 767, serverDomain: 'play.test' } };

describe('event descriptions', () => {
  it('says who and what in one line, naming players by id when they are known', () => {
    expect(eventSummary(preLogin, names)).toBe('alex from 127.0.0.1:5000 → play.test');
    expect(eventSummary({ tag: 'server-connected', val: { playerId: 7n, server: 'lobby' } }, names)).toBe('alex connected to lobby');
    expect(eventSummary({ tag: 'server-connected', val: { playerId: 8n, server: 'lobby' } }, names)).toBe('player #8 connected to lobby');
    expect(eventSummary({ tag: 'kicked-from-server', val: { playerId: 7n, server: 'pvp', reason: '{"text":"bye"}' } }, names)).toBe('alex kicked from pvp: bye');
    expect(eventSummary({ tag: 'server-state-change', val: { server: 'pvp', oldState: 'offline', newState: 'online' } }, names)).toBe('pvp: offline → online');
  });

  it('describes each plugin outcome, and an outcome of the wrong kind as ignored', () => {
    expect(
      outcomeChanges(preLogin, [
        { pluginId: 'guard', outcome: { tag: 'pre-login', val: { tag: 'denied', val: '{"text":"Banned"}' } } },
        { pluginId: 'odd', outcome: { tag: 'chat-message', val: { tag: 'allow' } } },
        { pluginId: 'quiet', outcome: { tag: 'none' } },
      ]),
    ).toEqual([
      { pluginId: 'guard', outcome: 'denied: "Banned"' },
      { pluginId: 'odd', outcome: 'answered with a chat-message outcome (ignored)' },
    ]);
    const connect: GuestEvent = { tag: 'server-pre-connect', val: { playerId: 7n, profile, originalServer: 'lobby' } };
    expect(outcomeChanges(connect, [{ pluginId: 'r', outcome: { tag: 'server-pre-connect', val: { tag: 'connect-to', val: 'hub' } } }])).toEqual([
      { pluginId: 'r', outcome: 'connect-to → hub' },
    ]);
    expect(outcomeChanges(connect, [{ pluginId: 'l', outcome: { tag: 'server-pre-connect', val: { tag: 'send-to-limbo', val: ['queue'] } } }])[0]!.outcome).toBe('send-to-limbo [queue]');
    const chat: GuestEvent = { tag: 'chat-message', val: { playerId: 7n, message: 'hi' } };
    expect(outcomeChanges(chat, [{ pluginId: 'f', outcome: { tag: 'chat-message', val: { tag: 'modify', val: 'hello' } } }])[0]!.outcome).toBe('modify → "hello"');
  });
});
