// Caps every linear memory of a core module at a page limit by rewriting its limits in place.
// V8 then refuses memory.grow past the cap (it returns -1 in the guest), which is how the sandbox
// enforces its memory budget: Worker resourceLimits do not cover wasm memory.
import { WasmReader, WasmFormatError } from './wasm-reader';

const IMPORT_SECTION = 2;
const MEMORY_SECTION = 5;
const IMPORT_KIND_MEMORY = 0x02;

export const WASM_PAGE = 65536;

interface Limits {
  start: number;
  end: number;
  flags: number;
  min: number;
}

/** Returns a new module whose memories all have max = min(existing max, maxPages). */
export function capMemory(module: Uint8Array, maxPages: number): Uint8Array {
  const r = new WasmReader(module, 8);
  const edits: Limits[] = [];
  for (const section of r.sections()) {
    const s = new WasmReader(module, section.start, section.end);
    if (section.id === IMPORT_SECTION) {
      const count = s.u32();
      for (let i = 0; i < count; i++) {
        s.name();
        s.name();
        const kind = s.byte();
        if (kind === IMPORT_KIND_MEMORY) edits.push(readLimits(s));
        else skipImportDesc(s, kind);
      }
    } else if (section.id === MEMORY_SECTION) {
      const count = s.u32();
      for (let i = 0; i < count; i++) edits.push(readLimits(s));
    }
  }
  if (edits.length === 0) return module;
  return rewrite(module, edits, maxPages);
}

function readLimits(s: WasmReader): Limits & { max: number | null } {
  const start = s.pos;
  const flags = s.byte();
  if (flags & 0x04) throw new WasmFormatError('64-bit memories are not supported');
  const min = s.u32();
  const max = flags & 0x01 ? s.u32() : null;
  return { start, end: s.pos, flags, min, max };
}

function skipImportDesc(s: WasmReader, kind: number): void {
  switch (kind) {
    case 0x00: // func typeidx
      s.u32();
      return;
    case 0x01: // table: reftype + limits
      s.byte();
      readLimits(s);
      return;
    case 0x03: // global: valtype + mut
      s.byte();
      s.byte();
      return;
    case 0x04: // tag: attribute + typeidx
      s.byte();
      s.u32();
      return;
    default:
      throw new WasmFormatError(`unknown import kind ${kind}`);
  }
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

/** Re-encodes the module with new limits; section sizes change, so every section is re-emitted. */
function rewrite(module: Uint8Array, edits: (Limits & { max?: number | null })[], maxPages: number): Uint8Array {
  const replaced = new Map<number, { end: number; bytes: number[] }>();
  for (const e of edits) {
    const shared = e.flags & 0x02;
    const max = e.max == null ? maxPages : Math.min(e.max, maxPages);
    const min = Math.min(e.min, max);
    if (e.min > maxPages) throw new WasmFormatError(`the module needs ${e.min} pages of memory at start, over the cap of ${maxPages}`);
    replaced.set(e.start, { end: e.end, bytes: [0x01 | shared, ...leb(min), ...leb(max)] });
  }
  const r = new WasmReader(module, 8);
  const parts: Uint8Array[] = [module.subarray(0, 8)];
  for (const section of r.sections()) {
    const inside = [...replaced.keys()].filter((k) => k >= section.start && k < section.end).sort((a, b) => a - b);
    if (inside.length === 0) {
      parts.push(module.subarray(section.header, section.end));
      continue;
    }
    const body: number[] = [];
    let pos = section.start;
    for (const k of inside) {
      const edit = replaced.get(k)!;
      body.push(...module.subarray(pos, k), ...edit.bytes);
      pos = edit.end;
    }
    body.push(...module.subarray(pos, section.end));
    parts.push(Uint8Array.from([section.id, ...leb(body.length), ...body]));
  }
  return concat(parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
