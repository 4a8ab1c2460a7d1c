// How a permission snapshot answers for a node (§4.6): names trimmed and lowercased; the exact rule, then
// the nearest wildcard (`a.b.*`, then `a.*`, then `*`); `admin` grants everything; a node no rule names
// falls back to its registered default (`true`, `false`, or `admin`: only for admins).
import type { PermissionSnapshot } from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-permissions.js';

export const MAX_RULES = 65_536;

export type NodeDefault = 'true' | 'false' | 'admin';

export interface Checker {
  admin: boolean;
  rules: ReadonlyMap<string, boolean>;
  /** The snapshot as held (`custom` results and set-snapshot give it back to the panel and events). */
  snapshot: PermissionSnapshot;
}

const normalizeNode = (name: string): string => name.trim().toLowerCase();

/** A snapshot ready to answer; null when it has more rules than the contract allows. */
export function compileSnapshot(s: PermissionSnapshot): Checker | null {
  if (s.rules.length > MAX_RULES) return null;
  const rules = new Map<string, boolean>();
  for (const r of s.rules) rules.set(normalizeNode(r.node), !!r.value);
  return { admin: !!s.admin, rules, snapshot: s };
}

export const EMPTY_CHECKER: Checker = compileSnapshot({ rules: [], admin: false })!;

export function resolvePermission(c: Checker, node: string, defaultOf: (name: string) => NodeDefault | undefined): boolean {
  if (c.admin) return true;
  const name = normalizeNode(node);
  const exact = c.rules.get(name);
  if (exact !== undefined) return exact;
  const parts = name.split('.');
  for (let i = parts.length - 1; i >= 1; i--) {
    const wild = c.rules.get(`${parts.slice(0, i).join('.')}.*`);
    if (wild !== undefined) return wild;
  }
  const all = c.rules.get('*');
  if (all !== undefined) return all;
  return defaultOf(name) === 'true';
}
