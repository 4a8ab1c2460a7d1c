// Which functions a component imports from each instance it imports, read from its own binary (the type of
// each top-level instance import): a plugin that imports `ban-service` only for its types lists no function
// there, one that calls `ban` lists `ban`. The capability report (§4.1) is built from this.
import { externName, skipExternDesc, skipExternDescBody } from './component-binary';
import { WasmFormatError, WasmReader } from './wasm-reader';

const ALIAS_SECTION = 6;
const TYPE_SECTION = 7;
const IMPORT_SECTION = 10;
const EXPORT_SECTION = 11;
const SORT_CORE = 0x00;
const SORT_TYPE = 0x03;
const SORT_INSTANCE = 0x05;
const INSTANCE_TYPE = 0x42;

/**
 * Import name (versioned, e.g. `infrarust:plugin/ban-service@0.3.0`) → the functions and resource methods
 * its instance type declares (`ban`, `[method]limbo-session.complete`). An import whose type this reader
 * cannot resolve maps to null: the caller then assumes every function of the interface.
 */
export function componentImportFunctions(bytes: Uint8Array): Map<string, string[] | null> {
  // The top-level type index space: one entry per type definition, type alias, type import and type export.
  const types: (string[] | null)[] = [];
  const imports = new Map<string, string[] | null>();
  for (const section of new WasmReader(bytes, 8).sections()) {
    const s = new WasmReader(bytes, section.start, section.end);
    if (section.id === TYPE_SECTION) {
      for (let n = s.u32(); n > 0; n--) types.push(readType(s));
    } else if (section.id === ALIAS_SECTION) {
      for (let n = s.u32(); n > 0; n--) if (readAlias(s) === SORT_TYPE) types.push(null);
    } else if (section.id === IMPORT_SECTION) {
      for (let n = s.u32(); n > 0; n--) {
        const name = externName(s);
        const kind = s.byte();
        if (kind === SORT_INSTANCE) imports.set(name, types[s.u32()] ?? null);
        else {
          skipExternDescBody(s, kind);
          if (kind === SORT_TYPE) types.push(null);
        }
      }
    } else if (section.id === EXPORT_SECTION) {
      for (let n = s.u32(); n > 0; n--) {
        externName(s);
        const sort = s.byte();
        if (sort === SORT_CORE) s.byte();
        s.u32();
        if (s.byte() === 0x01) skipExternDesc(s);
        if (sort === SORT_TYPE) types.push(null);
      }
    }
  }
  return imports;
}

/** One type definition: the function names of an instance type, null for any other type. */
function readType(s: WasmReader): string[] | null {
  if (s.bytes[s.pos] !== INSTANCE_TYPE) {
    skipDefType(s);
    return null;
  }
  s.byte();
  const functions: string[] = [];
  for (let n = s.u32(); n > 0; n--) {
    const decl = s.byte();
    if (decl === 0x00) skipCoreType(s);
    else if (decl === 0x01) skipDefType(s);
    else if (decl === 0x02) readAlias(s);
    else if (decl === 0x04) {
      const name = externName(s);
      const kind = s.byte();
      if (kind === 0x01) functions.push(name);
      skipExternDescBody(s, kind);
    } else throw new WasmFormatError(`malformed instance type (declaration ${decl})`);
  }
  return functions;
}

/** An alias (section entry or declaration); answers its sort. */
function readAlias(s: WasmReader): number {
  const sort = s.byte();
  if (sort === SORT_CORE) s.byte();
  const target = s.byte();
  if (target === 0x00 || target === 0x01) {
    s.u32();
    s.name();
  } else if (target === 0x02) {
    s.u32();
    s.u32();
  } else throw new WasmFormatError(`malformed alias (target ${target})`);
  return sort;
}

/** A primitive value type is one byte; an index a LEB; both read as one LEB. */
const skipValType = (s: WasmReader): void => void s.u32();

function skipOptionalValType(s: WasmReader): void {
  if (s.byte() === 0x01) skipValType(s);
}

function skipDefType(s: WasmReader): void {
  const tag = s.byte();
  if ((tag >= 0x73 && tag <= 0x7f) || tag === 0x64) return; // bool … string, error-context
  switch (tag) {
    case 0x72: // record
      for (let n = s.u32(); n > 0; n--) {
        s.name();
        skipValType(s);
      }
      return;
    case 0x71: // variant
      for (let n = s.u32(); n > 0; n--) {
        s.name();
        skipOptionalValType(s);
        if (s.byte() !== 0x00) throw new WasmFormatError('malformed variant case');
      }
      return;
    case 0x70: // list
    case 0x6b: // option
    case 0x69: // own
    case 0x68: // borrow
      s.u32();
      return;
    case 0x67: // fixed-size list
      skipValType(s);
      s.u32();
      return;
    case 0x6f: // tuple
      for (let n = s.u32(); n > 0; n--) skipValType(s);
      return;
    case 0x6e: // flags
    case 0x6d: // enum
      for (let n = s.u32(); n > 0; n--) s.name();
      return;
    case 0x6a: // result
      skipOptionalValType(s);
      skipOptionalValType(s);
      return;
    case 0x66: // stream
    case 0x65: // future
      skipOptionalValType(s);
      return;
    case 0x40: // func
    case 0x43: // async func
      for (let n = s.u32(); n > 0; n--) {
        s.name();
        skipValType(s);
      }
      if (s.byte() === 0x00) skipValType(s);
      else s.byte();
      return;
    case 0x41: // component type
      for (let n = s.u32(); n > 0; n--) {
        const decl = s.byte();
        if (decl === 0x03) {
          externName(s);
          skipExternDesc(s);
        } else skipInstanceDecl(s, decl);
      }
      return;
    case INSTANCE_TYPE:
      for (let n = s.u32(); n > 0; n--) skipInstanceDecl(s, s.byte());
      return;
    case 0x3f: // resource (sync): rep i32, optional destructor
      s.byte();
      if (s.byte() === 0x01) s.u32();
      return;
    case 0x3e: // resource (async): rep i32, optional destructor, optional callback
      s.byte();
      if (s.byte() === 0x01) s.u32();
      if (s.byte() === 0x01) s.u32();
      return;
    default:
      throw new WasmFormatError(`malformed component type (tag 0x${tag.toString(16)})`);
  }
}

function skipInstanceDecl(s: WasmReader, decl: number): void {
  if (decl === 0x00) skipCoreType(s);
  else if (decl === 0x01) skipDefType(s);
  else if (decl === 0x02) readAlias(s);
  else if (decl === 0x04) {
    externName(s);
    skipExternDesc(s);
  } else throw new WasmFormatError(`malformed declaration ${decl}`);
}

/** Core types inside component types: plain function types and module types (no GC types in plugins). */
function skipCoreType(s: WasmReader): void {
  const tag = s.byte();
  if (tag === 0x60) {
    for (let part = 0; part < 2; part++) for (let n = s.u32(); n > 0; n--) s.byte();
    return;
  }
  if (tag === 0x50) {
    for (let n = s.u32(); n > 0; n--) {
      const decl = s.byte();
      if (decl === 0x00) {
        s.name();
        s.name();
        skipCoreImportDesc(s);
      } else if (decl === 0x01) skipCoreType(s);
      else if (decl === 0x02) {
        s.byte();
        s.byte();
        s.u32();
        s.u32();
      } else if (decl === 0x03) {
        s.name();
        skipCoreImportDesc(s);
      } else throw new WasmFormatError(`malformed core module type (declaration ${decl})`);
    }
    return;
  }
  throw new WasmFormatError(`unsupported core type 0x${tag.toString(16)} in a component type`);
}

function skipCoreImportDesc(s: WasmReader): void {
  const kind = s.byte();
  if (kind === 0x00) s.u32(); // func typeidx
  else if (kind === 0x01) {
    s.byte(); // table reftype
    skipLimits(s);
  } else if (kind === 0x02) skipLimits(s);
  else if (kind === 0x03) {
    s.byte();
    s.byte();
  } else throw new WasmFormatError(`malformed core import (kind ${kind})`);
}

function skipLimits(s: WasmReader): void {
  const flags = s.byte();
  s.u32();
  if (flags & 0x01) s.u32();
}
