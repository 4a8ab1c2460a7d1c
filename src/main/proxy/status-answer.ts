// Answers to status requests and legacy pings: the server's own motd, the default motd, or the backend's
// status fetched live; plugins' proxy-ping outcomes replace it.

import type { PingResponse } from '../contract/guest-types.ts';
import { fetchBackendStatus } from './backend-status.ts';
import type { ConnectionContext } from './client-connection.ts';
import type { Handshake } from './handshake.ts';
import type { Endpoint } from './proxy-protocol.ts';
import type { ServerDefinition } from './server-file.ts';
import { fromStatusJson, toStatusJson } from './status-response.ts';
import { componentJson } from './text-component.ts';
import { managedMotd } from './server-wake.ts';
import type { MotdSettings } from './server-file.ts';

export interface StatusRequest {
  ctx: ConnectionContext;
  /** ip:port of the client. */
  peer: string;
  signal: AbortSignal;
  /** Throws when the client went away meanwhile. */
  ensureOpen: () => void;
  /** The client's address, for a PROXY header to a server with send_proxy_protocol. */
  source: Endpoint;
}

/**
 * The status JSON for the client. Without proxy-ping listeners a forwarded backend status goes out
 * verbatim (keeping fields like player samples or mod info); with listeners it goes through the
 * contract's ping-response, and a plugin's answer replaces it entirely.
 */
export async function statusJson(r: StatusRequest, server: ServerDefinition | undefined, hs: Handshake): Promise<Record<string, unknown>> {
  let raw: Record<string, unknown> | undefined;
  const asleep = server && managedMotd(r.ctx.manager, server);
  if (server && !server.motd && !asleep) raw = await backendStatus(r, server, hs);
  if (raw && !r.ctx.events.has('proxy-ping')) return raw;
  const base = raw ? fromStatusJson(raw, hs.protocolVersion) : localStatus(r, server, hs.protocolVersion, asleep);
  const replaced = await r.ctx.events.decide('proxy-ping', () => ({
    tag: 'proxy-ping',
    val: { remoteAddr: r.peer, response: base },
  }));
  if (replaced) return toStatusJson(replaced);
  return raw ?? toStatusJson(base);
}

/** The ping-response for a legacy ping (always through the contract's shape). */
export async function pingResponse(
  r: StatusRequest,
  server: ServerDefinition | undefined,
  hs: Pick<Handshake, 'host' | 'port' | 'protocolVersion'>,
): Promise<PingResponse> {
  const asleep = server && managedMotd(r.ctx.manager, server);
  const raw = server && !server.motd && !asleep ? await backendStatus(r, server, { ...hs, serverAddress: hs.host }) : undefined;
  const base = raw ? fromStatusJson(raw, hs.protocolVersion) : localStatus(r, server, hs.protocolVersion, asleep);
  const replaced = await r.ctx.events.decide('proxy-ping', () => ({
    tag: 'proxy-ping',
    val: { remoteAddr: r.peer, response: base },
  }));
  return replaced ?? base;
}

async function backendStatus(
  r: StatusRequest,
  server: ServerDefinition,
  hs: Pick<Handshake, 'serverAddress' | 'port' | 'protocolVersion'>,
): Promise<Record<string, unknown> | undefined> {
  try {
    return await fetchBackendStatus(server.addresses, {
      host: hs.serverAddress,
      port: hs.port,
      protocolVersion: hs.protocolVersion,
      timeoutMs: r.ctx.settings.connectTimeoutMs,
      signal: r.signal,
      proxyProtocol: server.sendProxyProtocol ? { source: r.source } : undefined,
    });
  } catch (err) {
    r.ensureOpen();
    r.ctx.counters.backendFailures++;
    r.ctx.log('warn', `${r.peer}: status of ${server.id} unavailable: ${(err as Error).message}`);
    return undefined;
  }
}

/** Status answered by the proxy: the server's motd (a managed server's state motd while not running), the "unreachable" text, or the default motd. */
function localStatus(r: StatusRequest, server: ServerDefinition | undefined, clientProtocol: number, stateMotd?: MotdSettings): PingResponse {
  const d = r.ctx.settings.defaultMotd;
  if (!server) {
    return {
      description: componentJson(d.text),
      maxPlayers: d.maxPlayers,
      onlinePlayers: 0,
      protocolVersion: clientProtocol,
      versionName: d.versionName,
      favicon: undefined,
    };
  }
  const m = stateMotd ?? server.motd;
  return {
    description: componentJson(m ? m.text : (server.disconnectMessage ?? '§cServer unreachable')),
    maxPlayers: m?.maxPlayers ?? (server.maxPlayers || d.maxPlayers),
    onlinePlayers: m?.onlinePlayers ?? r.ctx.players.countOn(server.id),
    protocolVersion: m?.protocolVersion ?? clientProtocol,
    versionName: m?.versionName ?? d.versionName,
    favicon: m?.favicon,
  };
}
