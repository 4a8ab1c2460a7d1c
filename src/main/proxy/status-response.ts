// Conversions between the contract's ping-response and the status JSON a client receives.

import type { PingResponse } from '../contract/guest-types.ts';
import { parseComponent } from './text-component.ts';

export function toStatusJson(p: PingResponse): Record<string, unknown> {
  const json: Record<string, unknown> = {
    version: { name: p.versionName, protocol: p.protocolVersion },
    players: { max: p.maxPlayers, online: p.onlinePlayers },
    description: parseComponent(p.description),
  };
  if (p.favicon !== undefined) json.favicon = p.favicon;
  return json;
}

/** A backend's status JSON as a ping-response; missing or mistyped fields get neutral values. */
export function fromStatusJson(json: Record<string, unknown>, fallbackProtocol: number): PingResponse {
  const version = (json.version ?? {}) as { name?: unknown; protocol?: unknown };
  const players = (json.players ?? {}) as { max?: unknown; online?: unknown };
  const int = (v: unknown, d: number) => (typeof v === 'number' && Number.isInteger(v) ? v : d);
  return {
    description: JSON.stringify(json.description ?? { text: '' }),
    maxPlayers: int(players.max, 0),
    onlinePlayers: int(players.online, 0),
    protocolVersion: int(version.protocol, fallbackProtocol),
    versionName: typeof version.name === 'string' ? version.name : '',
    favicon: typeof json.favicon === 'string' ? json.favicon : undefined,
  };
}
