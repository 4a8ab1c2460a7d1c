// Rewrites a string array in place: elements that stay keep their exact text, their indentation and the
// comments around them; only the removed ones (with the comment lines just above them) disappear.
import { encodeString } from './toml-encode';
import type { ValueNode } from './toml-scan';

type ArrayNode = Extract<ValueNode, { kind: 'array' }>;

interface Item {
  /** Source text of the element, or the encoded string for a new one. */
  raw: string;
  value: string | null;
  /** Whole comment lines directly above the element. */
  leading: string[];
  /** Spacing and comment after the element on its line. */
  trailing: string;
  /** Indentation when the element starts its own line. */
  indent: string | null;
}

function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** The text before `pos` on its line, if it is only indentation. */
function ownLineIndent(text: string, pos: number): string | null {
  const before = text.slice(lineStartOf(text, pos), pos);
  return /^[ \t]*$/.test(before) ? before : null;
}

/** Spacing before a trailing comment plus the comment. */
function trailingText(text: string, start: number, end: number): string {
  let gapStart = start;
  while (text[gapStart - 1] === ' ' || text[gapStart - 1] === '\t') gapStart--;
  return text.slice(gapStart, end);
}

/**
 * The replacement for `node`'s source span so that it holds exactly `values`, in that order.
 * `keyIndent` is the indentation of the key's line, used when the closing bracket has none of its own.
 */
export function rewriteStringArray(
  text: string,
  node: ArrayNode,
  values: readonly string[],
  eol: string,
  keyIndent: string,
): string {
  const items: Item[] = [];
  let head = '';
  let pending: string[] = [];
  let multiline = false;
  let newlineSinceItem = false;
  let trailingComma = true;

  for (const token of node.tokens) {
    const last = items.at(-1);
    if (token.type === 'newline') {
      multiline = true;
      newlineSinceItem = true;
    } else if (token.type === 'comma') {
      trailingComma = true;
    } else if (token.type === 'comment') {
      if (last && !newlineSinceItem) last.trailing = trailingText(text, token.start, token.end);
      else if (!multiline) head = text.slice(node.start + 1, token.end);
      else pending.push((ownLineIndent(text, token.start) ?? '') + text.slice(token.start, token.end));
    } else {
      const { node: value } = token;
      items.push({
        raw: text.slice(value.start, value.end),
        value: value.kind === 'string' ? value.value : null,
        leading: pending,
        trailing: '',
        indent: ownLineIndent(text, value.start),
      });
      pending = [];
      newlineSinceItem = false;
      trailingComma = false;
    }
  }

  const unused = [...items];
  const finals: Item[] = values.map((value) => {
    const index = unused.findIndex((item) => item.value === value);
    if (index >= 0) return unused.splice(index, 1)[0]!;
    return { raw: encodeString(value), value, leading: [], trailing: '', indent: null };
  });

  if (!multiline) return `[${finals.map((item) => item.raw).join(', ')}]`;

  const dangling = pending;
  const hasComments = head !== '' || dangling.length > 0 || finals.some((i) => i.leading.length || i.trailing);
  if (finals.length === 0 && !hasComments) return '[]';

  const closingIndent = ownLineIndent(text, node.end - 1) ?? keyIndent;
  const itemIndent = items.find((item) => item.indent !== null)?.indent ?? `${closingIndent}  `;
  let out = `[${head}${eol}`;
  finals.forEach((item, i) => {
    for (const line of item.leading) out += line + eol;
    const comma = i < finals.length - 1 || trailingComma ? ',' : '';
    out += `${item.indent ?? itemIndent}${item.raw}${comma}${item.trailing}${eol}`;
  });
  for (const line of dangling) out += line + eol;
  return `${out}${closingIndent}]`;
}
