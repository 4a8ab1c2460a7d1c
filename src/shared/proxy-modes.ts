// Proxy modes and forwarding as servers/*.toml spells them, shared by the file parser and the panel's form.

export type ProxyModeName = 'passthrough' | 'server_only' | 'zero_copy' | 'offline' | 'client_only';
export type ForwardingMode = 'none' | 'bungeecord' | 'velocity';

export const PROXY_MODES: readonly ProxyModeName[] = ['passthrough', 'server_only', 'zero_copy', 'offline', 'client_only'];
export const FORWARDING_MODES: readonly ForwardingMode[] = ['none', 'bungeecord', 'velocity'];

/** Whether the proxy decodes a server's traffic (and so can talk to its players and move them). */
export function isDecodedMode(mode: string): mode is 'offline' | 'client_only' {
  return mode === 'offline' || mode === 'client_only';
}
