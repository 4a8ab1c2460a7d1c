// A TOML reader that keeps byte offsets instead of values, so edits can splice the source text and leave
// every other byte alone. It assumes the text already parses (callers check with smol-toml first) and
// throws on anything it does not understand rather than guessing.

export interface KeyNode {
  /** Decoded segments: `plugins."a.b"` is ['plugins', 'a.b']. */
  path: string[];
  start: number;
  end: number;
}

export type ArrayToken =
  | { type: 'value'; node: ValueNode }
  | { type: 'comma'; start: number }
  | { type: 'comment'; start: number; end: number }
  | { type: 'newline'; start: number };

export interface InlineEntry {
  key: KeyNode;
  value: ValueNode;
}

export type ValueNode =
  /** `value` is null for multi-line strings, which edits never need to compare. */
  | { kind: 'string'; start: number; end: number; value: string | null }
  | { kind: 'array'; start: number; end: number; tokens: ArrayToken[] }
  | { kind: 'inline-table'; start: number; end: number; entries: InlineEntry[] }
  | { kind: 'scalar'; start: number; end: number };

interface StatementSpan {
  /** Start of the line the statement begins on. */
  lineStart: number;
  /** End of the statement's last line, trailing comment included, line break excluded. */
  contentEnd: number;
  /** Start of the following line (or the end of the text). */
  next: number;
}

export interface HeaderStatement extends StatementSpan {
  kind: 'header';
  /** `[[array.of.tables]]` */
  array: boolean;
  key: KeyNode;
}

export interface KeyValueStatement extends StatementSpan {
  kind: 'keyval';
  key: KeyNode;
  value: ValueNode;
}

export type Statement = HeaderStatement | KeyValueStatement;

const BARE_KEY_CHAR = /[A-Za-z0-9_-]/;
const SCALAR_END = new Set([',', ']', '}', '#', '\n', '\r']);
const SIMPLE_ESCAPES: Record<string, string> = {
  b: '\b',
  t: '\t',
  n: '\n',
  f: '\f',
  r: '\r',
  e: '\x1b',
  '"': '"',
  '\\': '\\',
};

class Scanner {
  pos = 0;

  constructor(readonly text: string) {
    if (text.startsWith('\uFEFF')) this.pos = 1;
  }

  fail(problem: string): never {
    const before = this.text.slice(0, this.pos);
    const line = before.split('\n').length;
    const column = this.pos - (before.lastIndexOf('\n') + 1) + 1;
    throw new Error(`cannot edit this TOML safely (line ${line}, column ${column}): ${problem}`);
  }

  peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  atNewline(): boolean {
    return this.peek() === '\n' || this.startsWith('\r\n');
  }

  consumeNewline(): void {
    this.pos += this.peek() === '\n' ? 1 : 2;
  }

  skipComment(): void {
    while (!this.atEnd() && !this.atNewline()) this.pos++;
  }

  /** Spaces, an optional comment, then the line break or the end: what may follow a statement. */
  finishLine(): { contentEnd: number; next: number } {
    this.skipSpaces();
    if (this.peek() === '#') this.skipComment();
    const contentEnd = this.pos;
    if (this.atEnd()) return { contentEnd, next: this.pos };
    if (!this.atNewline()) this.fail('expected the end of the line');
    this.consumeNewline();
    return { contentEnd, next: this.pos };
  }

  key(): KeyNode {
    const start = this.pos;
    const path = [this.simpleKey()];
    let end = this.pos;
    for (;;) {
      const save = this.pos;
      this.skipSpaces();
      if (this.peek() !== '.') {
        this.pos = save;
        break;
      }
      this.pos++;
      this.skipSpaces();
      path.push(this.simpleKey());
      end = this.pos;
    }
    return { path, start, end };
  }

  simpleKey(): string {
    const c = this.peek();
    if (c === '"') return this.basicString();
    if (c === "'") return this.literalString();
    const start = this.pos;
    while (BARE_KEY_CHAR.test(this.peek())) this.pos++;
    if (this.pos === start) this.fail('expected a key');
    return this.text.slice(start, this.pos);
  }

  basicString(): string {
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.peek();
      if (this.atEnd() || c === '\n' || c === '\r') this.fail('unterminated string');
      this.pos++;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.peek();
      this.pos++;
      if (e in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[e];
      else if (e === 'u' || e === 'U' || e === 'x') {
        const digits = e === 'u' ? 4 : e === 'U' ? 8 : 2;
        const hex = this.text.slice(this.pos, this.pos + digits);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== digits) this.fail('bad unicode escape');
        out += String.fromCodePoint(parseInt(hex, 16));
        this.pos += digits;
      } else this.fail(`unknown escape \\${e}`);
    }
  }

  literalString(): string {
    const start = ++this.pos;
    while (!this.atEnd() && this.peek() !== "'" && this.peek() !== '\n') this.pos++;
    if (this.peek() !== "'") this.fail('unterminated string');
    return this.text.slice(start, this.pos++);
  }

  /** `"""…"""` or `'''…'''`; up to two extra quotes before the closing three belong to the content. */
  multilineString(quote: '"' | "'"): void {
    this.pos += 3;
    for (;;) {
      if (this.atEnd()) this.fail('unterminated multi-line string');
      const c = this.peek();
      if (c === '\\' && quote === '"') {
        this.pos += 2;
      } else if (c === quote && this.startsWith(quote.repeat(3))) {
        let run = 0;
        while (this.peek() === quote) {
          run++;
          this.pos++;
        }
        if (run > 5) this.fail('too many quotes closing a multi-line string');
        return;
      } else {
        this.pos++;
      }
    }
  }

  value(): ValueNode {
    const start = this.pos;
    if (this.startsWith('"""') || this.startsWith("'''")) {
      this.multilineString(this.peek() as '"' | "'");
      return { kind: 'string', start, end: this.pos, value: null };
    }
    if (this.peek() === '"') return { kind: 'string', start, value: this.basicString(), end: this.pos };
    if (this.peek() === "'") return { kind: 'string', start, value: this.literalString(), end: this.pos };
    if (this.peek() === '[') return this.array();
    if (this.peek() === '{') return this.inlineTable();
    while (!this.atEnd() && !SCALAR_END.has(this.peek())) this.pos++;
    while (this.pos > start && (this.text[this.pos - 1] === ' ' || this.text[this.pos - 1] === '\t')) this.pos--;
    if (this.pos === start) this.fail('expected a value');
    return { kind: 'scalar', start, end: this.pos };
  }

  array(): ValueNode {
    const start = this.pos++;
    const tokens: ArrayToken[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.atEnd()) this.fail('unterminated array');
      const c = this.peek();
      if (c === ']') {
        this.pos++;
        return { kind: 'array', start, end: this.pos, tokens };
      }
      if (this.atNewline()) {
        tokens.push({ type: 'newline', start: this.pos });
        this.consumeNewline();
      } else if (c === '#') {
        const commentStart = this.pos;
        this.skipComment();
        tokens.push({ type: 'comment', start: commentStart, end: this.pos });
      } else if (c === ',') {
        tokens.push({ type: 'comma', start: this.pos++ });
      } else {
        tokens.push({ type: 'value', node: this.value() });
      }
    }
  }

  /** TOML 1.1 inline tables: line breaks, comments and a trailing comma are allowed inside. */
  inlineTable(): ValueNode {
    const start = this.pos++;
    const entries: InlineEntry[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.atEnd()) this.fail('unterminated inline table');
      const c = this.peek();
      if (c === '}') {
        this.pos++;
        return { kind: 'inline-table', start, end: this.pos, entries };
      }
      if (this.atNewline()) this.consumeNewline();
      else if (c === '#') this.skipComment();
      else if (c === ',') this.pos++;
      else {
        const key = this.key();
        this.skipSpaces();
        if (this.peek() !== '=') this.fail('expected "="');
        this.pos++;
        this.skipSpaces();
        entries.push({ key, value: this.value() });
      }
    }
  }

  header(lineStart: number): HeaderStatement {
    const array = this.startsWith('[[');
    this.pos += array ? 2 : 1;
    this.skipSpaces();
    const key = this.key();
    this.skipSpaces();
    const close = array ? ']]' : ']';
    if (!this.startsWith(close)) this.fail(`expected "${close}"`);
    this.pos += close.length;
    return { kind: 'header', array, key, lineStart, ...this.finishLine() };
  }

  keyValue(lineStart: number): KeyValueStatement {
    const key = this.key();
    this.skipSpaces();
    if (this.peek() !== '=') this.fail('expected "="');
    this.pos++;
    this.skipSpaces();
    const value = this.value();
    return { kind: 'keyval', key, value, lineStart, ...this.finishLine() };
  }

  statements(): Statement[] {
    const out: Statement[] = [];
    while (!this.atEnd()) {
      const lineStart = this.pos;
      this.skipSpaces();
      if (this.atEnd()) break;
      if (this.atNewline()) this.consumeNewline();
      else if (this.peek() === '#') this.finishLine();
      else if (this.peek() === '[') out.push(this.header(lineStart));
      else out.push(this.keyValue(lineStart));
    }
    return out;
  }
}

export function scanToml(text: string): Statement[] {
  return new Scanner(text).statements();
}
