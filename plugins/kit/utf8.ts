// UTF-8 for file contents: QuickJS has no TextEncoder or TextDecoder.

export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

/** Malformed sequences become U+FFFD, as TextDecoder does. */
export function decodeUtf8(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const size = b < 0x80 ? 1 : b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
    let c = size === 1 ? b : size === 0 ? -1 : b & (0xff >> (size + 1));
    for (let k = 1; k < size && c >= 0; k++) {
      const next = bytes[i + k];
      c = next !== undefined && (next & 0xc0) === 0x80 ? (c << 6) | (next & 63) : -1;
    }
    if (c < 0 || c > 0x10ffff) {
      out += '\ufffd';
      i += 1;
    } else {
      out += String.fromCodePoint(c);
      i += size;
    }
  }
  return out;
}
