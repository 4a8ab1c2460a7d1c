// Chat components as the wire wants them: a JSON string up to 1.20.2, an NBT tag from 1.20.3 on (in the
// shape prismarine-nbt reads and writes), and back to JSON for events and logs.

import nbt from 'prismarine-nbt';
import { parseComponent } from './text-component.ts';

export interface NbtTag {
  type: string;
  value: unknown;
}

/** The wire value of a component string (JSON text or plain text) for a version. */
export function wireText(component: string, nbtText: boolean): string | NbtTag {
  const value = parseComponent(component);
  return nbtText ? toNbt(value) : JSON.stringify(value);
}

/** The JSON text of a component read off the wire (a JSON string or an NBT tag). */
export function textJson(wire: unknown): string {
  if (typeof wire === 'string') return wire;
  const simple = nbt.simplify(wire as never) as unknown;
  return JSON.stringify(fromNbtValue(simple));
}

function toNbt(value: unknown): NbtTag {
  if (typeof value === 'string') return { type: 'string', value };
  if (typeof value === 'boolean') return { type: 'byte', value: value ? 1 : 0 };
  if (typeof value === 'number') return Number.isInteger(value) ? { type: 'int', value } : { type: 'double', value };
  if (Array.isArray(value)) {
    // NBT lists hold one type: components in a list become compounds ("text" for bare strings).
    const items = value.map((v) => toNbt(typeof v === 'object' && v !== null && !Array.isArray(v) ? v : { text: plain(v) }));
    return { type: 'list', value: { type: 'compound', value: items.map((i) => i.value) } };
  }
  if (value && typeof value === 'object') {
    const out: Record<string, NbtTag> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = toNbt(v);
    return { type: 'compound', value: out };
  }
  return { type: 'string', value: '' };
}

function plain(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Simplified NBT uses 0/1 for booleans; components spell them true/false. */
function fromNbtValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromNbtValue);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = BOOLEAN_KEYS.has(k) && (x === 0 || x === 1) ? x === 1 : fromNbtValue(x);
    return out;
  }
  return v;
}

const BOOLEAN_KEYS = new Set(['bold', 'italic', 'underlined', 'strikethrough', 'obfuscated', 'interpret']);
