// Writing TOML keys and strings by hand, for warnings that quote them and for in-place edits.

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** A basic string with every character TOML forbids unescaped turned into an escape. */
export function encodeString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** One key segment: bare when TOML allows it, quoted otherwise. */
export function encodeKey(key: string): string {
  return BARE_KEY.test(key) ? key : encodeString(key);
}

export function encodeKeyPath(path: readonly string[]): string {
  return path.map(encodeKey).join('.');
}
