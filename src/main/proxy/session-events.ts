// The events a decoding session fires on the way through: chat-message on a client's chat packet and
// kicked-from-server on a backend's kick.

import type { CurrentBackend, DecodedSession } from './decoded-session.ts';
import type { Frame } from './packet-wire.ts';
import { commandDecision } from './session-messages.ts';
import { parseComponent, plainText } from './text-component.ts';

/** chat-message: plugins observe, deny (the player sees why) or rewrite a chat message before the backend sees it. */
export async function chatDecision(s: DecodedSession, frame: Frame, packet: Buffer): Promise<void> {
  const p = s.codec.decode('play', 'toServer', packet);
  const message = p.params.message as string;
  if (!s.codec.signedChat && message.startsWith('/')) return commandDecision(s, frame, packet) ?? s.toBackend(frame); // a command before 1.19
  const result = await s.ctx.events.decide('chat-message', () => ({ tag: 'chat-message', val: { playerId: s.playerId, message } }));
  if (s.closed) return;
  if (result?.tag === 'deny') {
    s.ctx.log('info', `${s.who}: chat message denied by a plugin`);
    if (result.val) void s.act({ kind: 'message', component: result.val }); // '' = denied without a reason (0.3.0)
    return;
  }
  // Moved meanwhile (the plugin switched the player): the message was for the old server.
  if (s.clientState !== 'play' || s.backend?.state !== 'play') return;
  if (!result || result.tag === 'allow') return s.toBackend(frame);
  // modify: a changed message cannot keep the client's signature (offline backends accept unsigned chat).
  const params = { ...p.params, message: result.val, ...(s.codec.signedChat ? { signature: undefined } : {}) };
  s.backend?.login.wire.sendPacket(s.codec.encode('play', 'toServer', { name: p.name, params }));
}

/** kicked-from-server: plugins may redirect the player or choose the reason; otherwise the kick goes through. */
export async function kickedFromServer(s: DecodedSession, b: CurrentBackend, reasonJson: string): Promise<void> {
  s.ctx.log('info', `${s.who}: kicked by ${b.server.id}: ${plainText(parseComponent(reasonJson))}`);
  s.retireBackend();
  const outcome = await s.ctx.events.decide('kicked-from-server', () => ({
    tag: 'kicked-from-server',
    val: { playerId: s.playerId, server: b.server.id, reason: reasonJson },
  }));
  if (s.closed) return;
  if (outcome?.tag === 'redirect-to') {
    const failed = await s.switchTo(outcome.val);
    if (!failed) return;
    s.ctx.log('warn', `${s.who}: redirect to ${outcome.val} after the kick failed: ${failed.tag === 'disconnected' ? 'disconnected' : failed.tag === 'not-active' ? 'not active' : failed.val}`);
  }
  if (outcome?.tag === 'send-to-limbo') {
    return s.enterLimbo({ handlers: outcome.val, context: { tag: 'kicked-from-server', val: [b.server.id, reasonJson] }, target: b.server.id });
  }
  const reason = outcome?.tag === 'disconnect-player' || outcome?.tag === 'notify' ? outcome.val : reasonJson;
  s.disconnect(reason);
}
