// Where the proxy asks whether a connection is banned. With a ban provider selected (`[ban] provider`,
// contract 0.3.0 §4.6) the gate answers at three stages — a status ping (address only), before
// authentication (username) and after it (uuid, verified in client_only) — and the built-in list
// (ban-store.ts) is not consulted; without one the built-in list decides, before authentication only.
import type { BanEntry } from '../contract/guest-types.ts';
import type { ConnectionContext } from './client-connection.ts';

export type LoginStage = 'status' | 'pre-auth' | 'post-auth';

export interface LoginAttemptInfo {
  stage: LoginStage;
  ip: string;
  username?: string;
  uuid?: string;
  uuidVerified: boolean;
  virtualHost?: string;
  server?: string;
}

/** banned: what the client is told (a JSON text component), why (for the log) and whether an ip ban matched. */
export type BanDecision = { banned: false } | { banned: true; reasonJson: string; why: string; byIp?: boolean };

export interface BanGate {
  /** null: no provider is selected, the built-in list decides. A status ping is refused only by a ban, never by a failure. */
  check(attempt: LoginAttemptInfo): Promise<BanDecision> | null;
}

export const BAN_CHECK_UNAVAILABLE = 'Your ban status cannot be checked right now. Please try again later.';

/** The default kick text of a ban: its expiry and reason. */
export function banMessage(reason: string | undefined, expiresAt: bigint | number | undefined): string {
  const until = expiresAt === undefined ? '' : ` until ${new Date(Number(expiresAt)).toISOString()}`;
  return JSON.stringify({ text: `You are banned from this server${until}.\n${reason ?? ''}`.trimEnd() });
}

function builtInDecision(ban: BanEntry | undefined): BanDecision {
  return ban ? { banned: true, reasonJson: banMessage(ban.reason, ban.expiresAt), why: `banned (${ban.target.tag} ${ban.target.val})`, byIp: ban.target.tag === 'ip' } : { banned: false };
}

/** The ban decision at one stage: the provider's when one is selected; else the built-in list's before authentication. */
export async function banDecision(ctx: Pick<ConnectionContext, 'banGate' | 'bans'>, attempt: LoginAttemptInfo): Promise<BanDecision> {
  const viaProvider = ctx.banGate?.check(attempt);
  if (viaProvider) return viaProvider;
  if (attempt.stage !== 'pre-auth') return { banned: false };
  return builtInDecision(ctx.bans.findActive(attempt.ip, attempt.username ?? '', attempt.uuid ?? ''));
}
