// The choice of a login's first server: player-choose-initial-server, then server-pre-connect (unless the
// player goes to limbo first: pre-connect fires when it leaves limbo for a server). Both modes' logins
// run it once the player is admitted (decoded-login.ts) or, in passthrough, after pre-login (client-login.ts).

import type { GameProfile, PlayerId, ServerId } from '../contract/guest-types.ts';
import type { RejectReason } from '../contract/events-030-only.ts';
import type { LimboEntryContext } from '../contract/limbo-types.ts';
import { byPlugin } from './connection-events.ts';
import type { ProxyEvents } from './proxy-events.ts';
import { componentJson } from './text-component.ts';

export type InitialRoute =
  | { tag: 'server'; target: ServerId }
  | { tag: 'limbo'; target: ServerId; handlers: string[]; context: LimboEntryContext }
  | { tag: 'refused'; reasonJson: string; why: string; reject: RejectReason };

/** Where the player goes first; `ensureOpen` throws once the client has left (checked after each event). */
export async function chooseInitialServer(events: ProxyEvents, playerId: PlayerId, profile: GameProfile, initial: ServerId, ensureOpen: () => void): Promise<InitialRoute> {
  let target = initial;
  const choice = await events.decide('player-choose-initial-server', () => ({
    tag: 'player-choose-initial-server',
    val: { playerId, profile, initialServer: target },
  }));
  ensureOpen();
  if (choice?.tag === 'redirect') target = choice.val;
  if (choice?.tag === 'send-to-limbo') return { tag: 'limbo', target, handlers: choice.val, context: { tag: 'plugin-redirect', val: target } };

  const pre = await events.decide('server-pre-connect', () => ({
    tag: 'server-pre-connect',
    val: { playerId, profile, originalServer: target },
  }));
  ensureOpen();
  if (pre?.tag === 'denied') return { tag: 'refused', reasonJson: componentJson(pre.val), why: 'denied by server-pre-connect', reject: byPlugin(componentJson(pre.val)) };
  if (pre?.tag === 'send-to-limbo') return { tag: 'limbo', target, handlers: pre.val, context: { tag: 'plugin-redirect', val: target } };
  if (pre?.tag === 'connect-to') target = pre.val;
  return { tag: 'server', target };
}
