// What a decoding session reports of plugin channels and commands, for 0.3.0 plugins: custom payloads on a
// channel some plugin registered go through plugin-message (forward, handled, or replace the data) both
// ways; the client's brand and channel registrations and its settings are observed; a command goes through
// command-execute (allow, deny, modify). Unregistered channels and unheard kinds pass untouched.

import type { WireState } from './decoded-protocol.ts';
import type { CurrentBackend, DecodedSession } from './decoded-session.ts';
import type { Frame } from './packet-wire.ts';
import { PacketReader } from './packet-codec.ts';

const BRAND = new Set(['minecraft:brand', 'MC|Brand']);
const REGISTER = new Set(['minecraft:register', 'REGISTER']);

/** A client's custom payload: resolves once it is forwarded, replaced or kept back. */
export function clientPayload(s: DecodedSession, frame: Frame, state: WireState): Promise<void> | undefined {
  const { channel, data } = s.codec.decode(state, 'toServer', frame.packet()).params as { channel: string; data: Buffer };
  const { events } = s.ctx;
  if (BRAND.has(channel)) events.notify030('player-client-brand', () => ({ tag: 'player-client-brand', val: { playerId: s.playerId, brand: brandOf(data) } }));
  if (REGISTER.has(channel)) events.notify030('player-channel-register', () => ({ tag: 'player-channel-register', val: { playerId: s.playerId, channels: channelsOf(data), direction: 'serverbound' } }));
  if (!events.has030('plugin-message') || !events.channelRegistered(channel)) return void s.toBackend(frame);
  return events
    .decide030('plugin-message', () => ({ tag: 'plugin-message', val: { playerId: s.playerId, source: { tag: 'client' }, channel, data: new Uint8Array(data), phase: phaseOf(state) } }), { tag: 'forward' })
    .then((result) => {
      if (s.closed || result.tag === 'handled') return;
      if (result.tag === 'forward') return s.toBackend(frame);
      const b = s.backend;
      if (b) b.login.wire.sendPacket(s.codec.encode(b.state, 'toServer', { name: 'custom_payload', params: { channel, data: Buffer.from(result.val) } }));
    });
}

/**
 * A backend's custom payload: undefined when it is relayed as is, else a promise that resolves once it is
 * forwarded, replaced or kept back (the backend's later frames wait for it).
 */
export function backendPayload(s: DecodedSession, b: CurrentBackend, frame: Frame): Promise<void> | undefined {
  const { channel, data } = s.codec.decode(b.state, 'toClient', frame.packet()).params as { channel: string; data: Buffer };
  const { events } = s.ctx;
  if (REGISTER.has(channel)) events.notify030('player-channel-register', () => ({ tag: 'player-channel-register', val: { playerId: s.playerId, channels: channelsOf(data), direction: 'clientbound' } }));
  if (!events.has030('plugin-message') || !events.channelRegistered(channel)) return undefined;
  const state = b.state;
  return events
    .decide030('plugin-message', () => ({ tag: 'plugin-message', val: { playerId: s.playerId, source: { tag: 'backend', val: b.server.id }, channel, data: new Uint8Array(data), phase: phaseOf(state) } }), { tag: 'forward' })
    .then((result) => {
      if (s.closed || s.backend !== b || result.tag === 'handled') return;
      if (result.tag === 'forward') return void s.client.forward(frame);
      s.send(s.codec.encode(state, 'toClient', { name: 'custom_payload', params: { channel, data: Buffer.from(result.val) } }));
    });
}

/** The client's Client Information (in either phase): observed by player-settings-changed. */
export function settingsChanged(s: DecodedSession, settings: Record<string, unknown>): void {
  s.ctx.events.notify030('player-settings-changed', () => ({ tag: 'player-settings-changed', val: { playerId: s.playerId, settings } }));
}

/**
 * A command the client typed (`chat_command`/`chat_command_signed` from 1.19, a chat message starting with
 * '/' before): command-execute decides first (deny, modify, or forward-to-backend, which skips the
 * proxy's plugin commands); then a plugin command runs in the proxy (session-commands.ts) and anything
 * else goes to the backend. Undefined when nobody listens and no plugin command exists (relayed as usual).
 */
export function commandDecision(s: DecodedSession, frame: Frame, packet: Buffer): Promise<void> | undefined {
  const listened = s.ctx.events.has030('command-execute');
  if (!listened && !s.ctx.commands.active()) return undefined;
  const p = s.codec.decode('play', 'toServer', packet);
  const legacy = p.name === 'chat';
  const command = legacy ? (p.params.message as string).slice(1) : (p.params.command as string);
  if (!listened) return s.commands.take(command) ? Promise.resolve() : undefined;
  const signed = p.name === 'chat_command_signed' || (Array.isArray(p.params.argumentSignatures) && p.params.argumentSignatures.length > 0);
  return s.ctx.events
    .decide030('command-execute', () => ({ tag: 'command-execute', val: { playerId: s.playerId, command, signed, server: s.backend?.server.id } }), { tag: 'allow' })
    .then((result) => {
      if (s.closed) return;
      if (result.tag === 'deny') {
        s.ctx.log('info', `${s.who}: command denied by a plugin`);
        if (result.val) void s.act({ kind: 'message', component: result.val });
        return;
      }
      if (result.tag !== 'forward-to-backend' && s.commands.take(result.tag === 'modify' ? result.val : command)) return;
      if (s.clientState !== 'play' || s.backend?.state !== 'play') return;
      if (result.tag !== 'modify') return s.toBackend(frame);
      // A changed command cannot keep the client's argument signatures (offline backends accept none).
      const rewritten = legacy
        ? { name: 'chat', params: { ...p.params, message: `/${result.val}` } }
        : p.name === 'chat_command_signed'
          ? { name: 'chat_command', params: { command: result.val } }
          : { name: p.name, params: { ...p.params, command: result.val, argumentSignatures: [] } };
      s.backend.login.wire.sendPacket(s.codec.encode('play', 'toServer', rewritten));
    });
}

const phaseOf = (state: WireState): 'configuration' | 'play' => (state === 'configuration' ? 'configuration' : 'play');

function brandOf(data: Buffer): string {
  try {
    return new PacketReader(data).string(32767);
  } catch {
    return data.toString('utf8');
  }
}

/** minecraft:register carries NUL-separated channel names. */
function channelsOf(data: Buffer): string[] {
  return data
    .toString('utf8')
    .split('\0')
    .filter((c) => c.length > 0);
}
