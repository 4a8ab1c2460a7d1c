// Classifies a .wasm file and reads the names a component imports, before any transpiling.
import { WasmFormatError, WasmReader, WASM_MAGIC } from './wasm-reader';

export type WasmKind = 'component' | 'core-module';

/** Throws WasmFormatError with a user-facing reason when the bytes are not WebAssembly at all. */
export function wasmKind(bytes: Uint8Array): WasmKind {
  if (bytes.length < 8 || WASM_MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new WasmFormatError('not a WebAssembly file (the \\0asm header is missing)');
  }
  const version = bytes[4]! | (bytes[5]! << 8);
  const layer = bytes[6]! | (bytes[7]! << 8);
  if (layer === 1) return 'component';
  if (layer === 0 && version === 1) return 'core-module';
  throw new WasmFormatError(`unsupported WebAssembly binary (version ${version}, layer ${layer})`);
}

const COMPONENT_IMPORT_SECTION = 10;
const COMPONENT_EXPORT_SECTION = 11;

/**
 * The top-level import names of a component, versions included (e.g. `infrarust:plugin/log@0.2.3`).
 * Walks every section, so a truncated component is reported here rather than deep inside jco.
 */
export function componentImportNames(bytes: Uint8Array): string[] {
  const r = new WasmReader(bytes, 8);
  const names: string[] = [];
  for (const section of r.sections()) {
    if (section.id !== COMPONENT_IMPORT_SECTION) continue;
    const s = new WasmReader(bytes, section.start, section.end);
    const count = s.u32();
    for (let i = 0; i < count; i++) {
      names.push(externName(s));
      skipExternDesc(s);
    }
  }
  return names;
}

/**
 * The top-level export names of a component, versions included (e.g. `infrarust:plugin/guest@0.3.0`):
 * the contract a plugin speaks is read from here before anything is transpiled.
 */
export function componentExportNames(bytes: Uint8Array): string[] {
  const r = new WasmReader(bytes, 8);
  const names: string[] = [];
  for (const section of r.sections()) {
    if (section.id !== COMPONENT_EXPORT_SECTION) continue;
    const s = new WasmReader(bytes, section.start, section.end);
    const count = s.u32();
    for (let i = 0; i < count; i++) {
      names.push(externName(s));
      if (s.byte() === 0x00) s.byte(); // sort (core sorts take a second byte)
      s.u32(); // its index
      if (s.byte() === 0x01) skipExternDesc(s); // optional ascribed type
    }
  }
  return names;
}

/** A component extern name (an import's or an export's), without the legacy version suffix some carry. */
export function externName(s: WasmReader): string {
  const kind = s.byte();
  if (kind !== 0x00 && kind !== 0x01) throw new WasmFormatError('malformed component extern name');
  const name = s.name();
  if (kind === 0x01) s.name(); // legacy version suffix
  return name;
}

export function skipExternDesc(s: WasmReader): void {
  skipExternDescBody(s, s.byte());
}

/** An extern description after its kind byte. */
export function skipExternDescBody(s: WasmReader, kind: number): void {
  switch (kind) {
    case 0x00: // core module: 0x11 typeidx
      s.byte();
      s.u32();
      return;
    case 0x01: // func
    case 0x04: // component
    case 0x05: // instance
      s.u32();
      return;
    case 0x02: // value: eq valueidx | valtype (a primitive byte or an index: both one LEB)
    case 0x03: // type: eq typeidx | sub resource
      if (s.byte() === 0x01 && kind === 0x03) return;
      s.u32();
      return;
    default:
      throw new WasmFormatError(`malformed component extern (kind ${kind})`);
  }
}

const CUSTOM_SECTION = 0;

/**
 * The component without its top-level custom sections (names, producers, padding): they change nothing jco
 * emits, and a large one would otherwise be copied into jco's memory, which never shrinks. The same bytes
 * when there are none.
 */
export function withoutCustomSections(bytes: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  let dropped = false;
  for (const section of new WasmReader(bytes, 8).sections()) {
    if (section.id === CUSTOM_SECTION) dropped = true;
    else kept.push(bytes.subarray(section.header, section.end));
  }
  return dropped ? Buffer.concat(kept) : bytes;
}
