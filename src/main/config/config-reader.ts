// Reading values out of one parsed infrarust.toml: each bad value becomes a warning naming the file, table
// and key, and the caller's default is used instead (load-config.ts and the section readers beside it).
import { parseHostPort } from './host-port';
import type { ConfigWarning } from './types';

export type Table = Record<string, unknown>;
type Limits = { readonly min: number; readonly max: number };

export function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Reads values out of one parsed file, collecting a warning for each one it has to replace. */
export class Reader {
  readonly warnings: ConfigWarning[] = [];

  constructor(private readonly file: string) {}

  warn(table: string | undefined, key: string | undefined, problem: string, displayTable = table): void {
    const where = `${displayTable ? `[${displayTable}] ` : ''}${key ? `${key}: ` : ''}`;
    this.warnings.push({ message: `${this.file}: ${where}${problem}`, table, key });
  }

  /** The sub-table `key` of `parent`, or an empty one (with a warning when something else is there). */
  table(parent: Table, key: string, tableName: string | undefined): Table {
    const value = parent[key];
    if (value === undefined) return {};
    if (isTable(value)) return value;
    this.warn(tableName, key, 'must be a table; using defaults');
    return {};
  }

  unknownKeys(t: Table, table: string | undefined, known: readonly string[], displayTable = table): void {
    for (const key of Object.keys(t)) {
      if (!known.includes(key)) this.warn(table, key, 'unknown key ignored', displayTable);
    }
  }

  int(t: Table, table: string | undefined, key: string, fallback: number, limits: Limits): number {
    const value = t[key];
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value >= limits.min && value <= limits.max) {
      return value;
    }
    this.warn(table, key, `must be an integer from ${limits.min} to ${limits.max}; using ${fallback}`);
    return fallback;
  }

  string(t: Table, table: string | undefined, key: string, fallback: string): string {
    const value = t[key];
    if (value === undefined) return fallback;
    if (typeof value === 'string' && value !== '') return value;
    this.warn(table, key, `must be a non-empty string; using ${JSON.stringify(fallback)}`);
    return fallback;
  }

  duration(t: Table, table: string | undefined, key: string, fallback: number, limits: Limits): number {
    const value = t[key];
    if (value === undefined) return fallback;
    const ms = parseDurationMs(value);
    if (ms !== null && ms >= limits.min && ms <= limits.max) return ms;
    this.warn(table, key, `must be milliseconds from ${limits.min} to ${limits.max} or a duration like "5s"; using ${fallback}`);
    return fallback;
  }

  bool(t: Table, table: string | undefined, key: string, fallback: boolean): boolean {
    const value = t[key];
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    this.warn(table, key, `must be true or false; using ${fallback}`);
    return fallback;
  }

  hostPort(t: Table, table: string | undefined, key: string, fallback: string): string {
    const value = t[key];
    if (value === undefined) return fallback;
    if (typeof value === 'string' && parseHostPort(value)) return value;
    this.warn(table, key, `must be "host:port" (IPv6 as "[::1]:port"); using ${JSON.stringify(fallback)}`);
    return fallback;
  }
}

/** `5000`, `"5s"`, `"500ms"`, `"1.5s"`, `"1m"`, `"2h"`, `"1h 30m"` (Infrarust's humantime units) → ms; null when not a duration. */
export function parseDurationMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  let total = 0;
  for (const part of value.trim().split(/\s+(?=\d)/)) {
    const match = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|secs|m|min|mins|h|hr|hrs|d)$/.exec(part);
    if (!match) return null;
    total += Number(match[1]) * DURATION_UNITS[match[2]!]!;
  }
  return Math.round(total);
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, secs: 1000, m: 60_000, min: 60_000, mins: 60_000, h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, d: 86_400_000 };

