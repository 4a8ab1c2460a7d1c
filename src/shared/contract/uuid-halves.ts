// 0.3.0 carries a uuid as two big-endian u64 halves; the proxy holds it as text. A QuickJS guest holds a
// u64 as a JavaScript number, so each half it gives back is the double nearest the real one (the low bits
// of a random half are lost). The host matches such a uuid to the one it came from here, in one place: the
// plugin calls (kick after a ban, players.get-by-uuid, game-profile-request) and the proxy's ban list.
import type { Uuid } from './generated/0.3.0/interfaces/infrarust-plugin-types.js';

const MASK = (1n << 64n) - 1n;

/** A uuid's halves as a guest may give them (jco lifts a u64 as a bigint; a number is tolerated). */
export interface UuidHalves {
  hi: bigint | number;
  lo: bigint | number;
}

/** The halves of a uuid in text (dashes optional, any case), or undefined when it is not one. */
export function parseUuid(text: string): Uuid | undefined {
  const hex = text.trim().replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return undefined;
  return { hi: BigInt(`0x${hex.slice(0, 16)}`), lo: BigInt(`0x${hex.slice(16)}`) };
}

/** The halves of a uuid in text; the nil uuid for text that is not one. */
export function uuidFrom(text: string): Uuid {
  return parseUuid(text) ?? { hi: 0n, lo: 0n };
}

export function uuidText(u: UuidHalves): string {
  const hex = ((BigInt(u.hi) & MASK).toString(16).padStart(16, '0') + (BigInt(u.lo) & MASK).toString(16).padStart(16, '0')).toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The uuid as a QuickJS guest holds it (each half as the nearest double), as a string: two uuids have the
 * same one exactly when `uuidMatches` pairs them, so it can key a lookup. Not a uuid's text form.
 */
export function uuidMatchKey(u: UuidHalves): string {
  return `${Number(u.hi)}:${Number(u.lo)}`;
}

/**
 * Whether a uuid a guest gave names the uuid `text`: equal, or equal once each half is rounded to a double
 * (a player's uuid handed back by a QuickJS guest). Two real uuids agreeing in the top 53 bits of both
 * halves are not a real case; halves 2^11 or more apart never match. Text that is not a uuid names none.
 */
export function uuidMatches(u: UuidHalves, text: string): boolean {
  const real = parseUuid(text);
  return real !== undefined && uuidMatchKey(u) === uuidMatchKey(real);
}
