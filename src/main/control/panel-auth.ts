// Who may use the headless panel. Every request for the page, the WebSocket and uploads needs the token:
// the configured `[panel] token`, or else a random one made for this run (the way notebook servers do it).
// It arrives once in the printed URL (`?token=`), is then kept in an HttpOnly, SameSite=Strict cookie;
// scripts may send `Authorization: Bearer <token>` instead. On loopback, Host must be a loopback name
// (no DNS rebinding); everywhere, a request that carries an Origin must come from the panel's own origin.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopbackHost, parseHostPort } from '../config/host-port';

export type Refusal = { status: 401 | 403 | 421; message: string };

export interface PanelAuth {
  readonly token: string;
  /** The cookie that carries the token after the first load (named per port: cookies ignore ports). */
  cookie(): string;
  /** Null when `req` may go on (a valid `?token=` stands in for the cookie, for the first load and scripts). */
  refusal(req: IncomingMessage): Refusal | null;
  /** True when `req` carries a valid `?token=`, which is then worth a cookie. */
  hasQueryToken(req: IncomingMessage): boolean;
}

export function newRunToken(): string {
  return randomBytes(24).toString('base64url');
}

export function panelAuth(opts: { token: string; loopback: boolean; scheme: 'http' | 'https'; port: () => number }): PanelAuth {
  const { token, loopback, scheme } = opts;
  const cookieName = () => `infrarust_panel_${opts.port()}`;
  const queryToken = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://panel').searchParams.get('token');
  const hasQueryToken = (req: IncomingMessage) => {
    const given = queryToken(req);
    return given !== null && sameSecret(given, token);
  };
  const given = (req: IncomingMessage): string | null => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length);
    return cookieValue(req.headers.cookie, cookieName());
  };
  return {
    token,
    cookie: () => `${cookieName()}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict${scheme === 'https' ? '; Secure' : ''}`,
    hasQueryToken,
    refusal(req) {
      if (loopback && !isLoopbackAuthority(req.headers.host, opts.port())) return { status: 421, message: 'unexpected Host header' };
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `${scheme}://${req.headers.host}`) return { status: 403, message: 'requests from other origins are refused' };
      const presented = given(req);
      if (presented !== null && sameSecret(presented, token)) return null;
      if (hasQueryToken(req)) return null;
      return { status: 401, message: 'this panel needs its token: open the URL that `infrarust-desktop serve` printed' };
    },
  };
}

/** A loopback panel answers only to loopback names, so a rebinding DNS name cannot reach it. */
function isLoopbackAuthority(authority: string | undefined, port: number): boolean {
  if (!authority) return false;
  const parsed = parseHostPort(authority);
  return parsed !== null && parsed.port === port && isLoopbackHost(parsed.host);
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
