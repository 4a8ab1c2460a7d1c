import { describe, expect, it } from 'vitest';
import { compileSnapshot, EMPTY_CHECKER, MAX_RULES, resolvePermission, type NodeDefault } from './permission-resolve';

const defaults: Record<string, NodeDefault> = { 'kit.use': 'true', 'kit.admin': 'admin', 'kit.off': 'false' };
const defaultOf = (n: string) => defaults[n];
const check = (rules: [string, boolean][], node: string, admin = false) =>
  resolvePermission(compileSnapshot({ rules: rules.map(([n, value]) => ({ node: n, value })), admin })!, node, defaultOf);

describe('permission resolution', () => {
  it('takes the exact rule first, then the nearest wildcard, then *', () => {
    expect(check([['a.b.c', false], ['a.b.*', true]], 'a.b.c')).toBe(false);
    expect(check([['a.b.*', false], ['a.*', true]], 'a.b.c')).toBe(false);
    expect(check([['a.*', true], ['*', false]], 'a.b.c')).toBe(true);
    expect(check([['*', true]], 'x.y')).toBe(true);
    expect(check([['a.b.c.*', true]], 'a.b.c')).toBe(false);
  });

  it('trims and lowercases names on both sides', () => {
    expect(check([['  Kit.Fly ', true]], 'KIT.FLY  ')).toBe(true);
    expect(check([[' KIT.* ', false]], 'kit.use')).toBe(false);
  });

  it('falls back to node defaults; admin grants all', () => {
    expect(resolvePermission(EMPTY_CHECKER, 'kit.use', defaultOf)).toBe(true);
    expect(resolvePermission(EMPTY_CHECKER, 'kit.off', defaultOf)).toBe(false);
    expect(resolvePermission(EMPTY_CHECKER, 'kit.admin', defaultOf)).toBe(false);
    expect(resolvePermission(EMPTY_CHECKER, 'unknown.node', defaultOf)).toBe(false);
    expect(check([], 'kit.admin', true)).toBe(true);
    expect(check([['kit.off', false]], 'kit.off', true)).toBe(true);
  });

  it(`refuses a snapshot over ${MAX_RULES} rules`, () => {
    const rules = Array.from({ length: MAX_RULES + 1 }, (_, i) => ({ node: `n.${i}`, value: true }));
    expect(compileSnapshot({ rules, admin: false })).toBeNull();
    expect(compileSnapshot({ rules: rules.slice(1), admin: false })).not.toBeNull();
  });
});
