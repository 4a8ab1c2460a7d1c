// A minimal cursor over WebAssembly binaries: just enough to classify a file and walk its sections.

export class WasmFormatError extends Error {}

export class WasmReader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  byte(): number {
    if (this.pos >= this.end) throw new WasmFormatError('unexpected end of data (the file is truncated)');
    return this.bytes[this.pos++]!;
  }

  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new WasmFormatError('malformed LEB128 integer');
  }

  /** A length-prefixed UTF-8 name. */
  name(): string {
    const len = this.u32();
    if (this.pos + len > this.end) throw new WasmFormatError('unexpected end of data (the file is truncated)');
    const s = new TextDecoder('utf-8', { fatal: true }).decode(this.bytes.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }

  skip(len: number): void {
    if (this.pos + len > this.end) throw new WasmFormatError('unexpected end of data (the file is truncated)');
    this.pos += len;
  }

  /** Iterates each section from the current position: `header` is where its id byte sits. */
  *sections(): Generator<{ id: number; header: number; start: number; end: number }> {
    while (!this.done) {
      const header = this.pos;
      const id = this.byte();
      const size = this.u32();
      const start = this.pos;
      this.skip(size);
      yield { id, header, start, end: start + size };
    }
  }
}

export const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
