// Comment-preserving edits of one plugin's settings in infrarust.toml. Each edit splices the source text;
// everything outside the plugin's own lines stays byte-for-byte. The result is re-parsed and must equal
// the original document with just the intended change, or the edit throws and nothing is returned.
import { parse, TomlError } from 'smol-toml';
import { rewriteStringArray } from './toml-array-rewrite';
import { encodeKey, encodeString } from './toml-encode';
import { scanToml, type HeaderStatement, type KeyValueStatement, type Statement, type ValueNode } from './toml-scan';
import { applySplices, cloneData, detectEol, indentAt, isTable, sameData, type Splice, type Table } from './toml-splice';

type PluginKey = 'permissions' | 'enabled';

/** Where the plugin's settings are written, in one of the forms TOML allows. */
type Location =
  | { form: 'header'; header: HeaderStatement; body: KeyValueStatement[] }
  | { form: 'inline'; statement: KeyValueStatement; node: Extract<ValueNode, { kind: 'inline-table' }> }
  | { form: 'dotted'; statements: KeyValueStatement[]; inPluginsTable: boolean }
  | { form: 'missing' };

function label(id: string): string {
  return `plugins.${encodeKey(id)}`;
}

function parseSource(text: string): Table {
  try {
    return parse(text);
  } catch (err) {
    const where = err instanceof TomlError ? ` at line ${err.line}, column ${err.column}` : '';
    const reason = (err as Error).message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    throw new Error(`cannot edit the config: it does not parse${where} (${reason}); fix the file first`);
  }
}

/** Refuses shapes where `plugins.<id>` is not a table that could hold the key. */
function checkShape(data: Table, id: string): void {
  const plugins = data.plugins;
  if (plugins === undefined) return;
  if (!isTable(plugins)) {
    throw new Error('cannot edit the config: "plugins" is not a table of [plugins.<id>] tables; edit it by hand');
  }
  const entry = plugins[id];
  if (entry !== undefined && !isTable(entry)) {
    const kind = Array.isArray(entry) ? 'an array (of tables?)' : 'not a table';
    throw new Error(`cannot edit the config: ${label(id)} is ${kind}; edit it by hand`);
  }
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

function startsWithPath(path: readonly string[], prefix: readonly string[]): boolean {
  return path.length >= prefix.length && prefix.every((part, i) => part === path[i]);
}

/** Every statement with the table path it belongs to (`[]` for the root). */
function withSections(statements: Statement[]): { statement: Statement; section: string[] }[] {
  let section: string[] = [];
  return statements.map((statement) => {
    if (statement.kind === 'header') section = statement.key.path;
    return { statement, section };
  });
}

function locate(statements: Statement[], id: string): Location {
  const target = ['plugins', id];
  const dotted: KeyValueStatement[] = [];
  let inPluginsTable = false;
  const sections = withSections(statements);
  for (const [index, { statement, section }] of sections.entries()) {
    if (statement.kind === 'header') {
      if (statement.array || !samePath(statement.key.path, target)) continue;
      const body: KeyValueStatement[] = [];
      for (const next of statements.slice(index + 1)) {
        if (next.kind === 'header') break;
        body.push(next);
      }
      return { form: 'header', header: statement, body };
    }
    const full = [...section, ...statement.key.path];
    if (samePath(full, ['plugins'])) {
      throw new Error('cannot edit the config: "plugins" is written as an inline table; edit it by hand');
    }
    if (samePath(full, target)) {
      if (statement.value.kind !== 'inline-table') {
        throw new Error(`cannot edit the config: ${label(id)} is not a table; edit it by hand`);
      }
      return { form: 'inline', statement, node: statement.value };
    }
    if (section.length < 2 && full.length > 2 && startsWithPath(full, target)) {
      dotted.push(statement);
      inPluginsTable = section.length === 1;
    }
  }
  return dotted.length ? { form: 'dotted', statements: dotted, inPluginsTable } : { form: 'missing' };
}

/** Keys of the plugin's table written as `key.sub = …` would make `key` a table: refuse rather than guess. */
function refuseDottedKey(matches: { path: string[] }[], id: string, key: PluginKey): void {
  if (matches.some((m) => m.path.length > 1)) {
    throw new Error(`cannot edit the config: ${label(id)}.${key} is written as a table; edit it by hand`);
  }
}

function appendTable(text: string, id: string, key: PluginKey, value: string, eol: string): string {
  const table = `[${label(id)}]${eol}${key} = ${value}`;
  if (text.replace(/^\uFEFF/, '') === '') return `${text}${table}${eol}`;
  const endsWithNewline = text.endsWith('\n');
  const separator = /\n[ \t]*\r?\n$/.test(text) ? '' : endsWithNewline ? eol : eol + eol;
  return `${text}${separator}${table}${endsWithNewline ? eol : ''}`;
}

/** Renders the new value; gets the old value node, if any, and the indentation of the key's line. */
type Render = (old: ValueNode | null, indent: string) => string;

function setKey(text: string, id: string, key: PluginKey, render: Render): string {
  const statements = scanToml(text);
  const eol = detectEol(text);
  const location = locate(statements, id);
  const insertLine = (after: Statement, keyText: string): string => {
    const indent = indentAt(text, after.lineStart);
    const line = `${eol}${indent}${keyText} = ${render(null, indent)}`;
    return applySplices(text, [{ start: after.contentEnd, end: after.contentEnd, text: line }]);
  };
  const replaceValue = (statement: KeyValueStatement, value: ValueNode): string => {
    const rendered = render(value, indentAt(text, statement.lineStart));
    return applySplices(text, [{ start: value.start, end: value.end, text: rendered }]);
  };

  switch (location.form) {
    case 'header': {
      const matches = location.body.filter((s) => s.key.path[0] === key);
      refuseDottedKey(matches.map((s) => s.key), id, key);
      if (matches[0]) return replaceValue(matches[0], matches[0].value);
      return insertLine(location.body.at(-1) ?? location.header, key);
    }
    case 'inline': {
      const { node, statement } = location;
      const matches = node.entries.filter((e) => e.key.path[0] === key);
      refuseDottedKey(matches.map((e) => e.key), id, key);
      if (matches[0]) return replaceValue(statement, matches[0].value);
      const entry = `${key} = ${render(null, indentAt(text, statement.lineStart))}`;
      const last = node.entries.at(-1);
      const splice = last
        ? { start: last.value.end, end: last.value.end, text: `, ${entry}` }
        : { start: node.start + 1, end: node.end - 1, text: ` ${entry} ` };
      return applySplices(text, [splice]);
    }
    case 'dotted': {
      const skip = location.inPluginsTable ? 1 : 2;
      const matches = location.statements.filter((s) => s.key.path[skip] === key);
      refuseDottedKey(matches.map((s) => ({ path: s.key.path.slice(skip) })), id, key);
      if (matches[0]) return replaceValue(matches[0], matches[0].value);
      const prefix = location.inPluginsTable ? encodeKey(id) : label(id);
      return insertLine(location.statements.at(-1)!, `${prefix}.${key}`);
    }
    case 'missing':
      return appendTable(text, id, key, render(null, ''), eol);
  }
}

/** Start of the comment lines directly above `lineStart` (no blank line between), not before `floor`. */
function attachedCommentsStart(text: string, lineStart: number, floor: number): number {
  let start = lineStart;
  while (start > floor) {
    const previous = text.lastIndexOf('\n', start - 2) + 1;
    if (previous < floor || !/^[ \t]*#/.test(text.slice(previous, start))) break;
    start = previous;
  }
  return start;
}

/**
 * Widens a span that reaches the end of the text over the blank lines above it,
 * keeping the file's final newline (or lack of it).
 */
function trimToEnd(text: string, start: number, floor: number): number {
  let s = start;
  while (s > floor) {
    const previous = text.lastIndexOf('\n', s - 2) + 1;
    if (previous < floor || !/^[ \t]*\r?\n$/.test(text.slice(previous, s))) break;
    s = previous;
  }
  if (!text.endsWith('\n') && text[s - 1] === '\n') s -= text[s - 2] === '\r' ? 2 : 1;
  return s;
}

function removalSplices(text: string, statements: Statement[], id: string): Splice[] {
  const target = ['plugins', id];
  const removes = (s: Statement | undefined): boolean => s?.kind === 'header' && startsWithPath(s.key.path, target);
  const splices: Splice[] = [];
  const location = locate(statements, id);
  if (location.form === 'inline') splices.push(lineSpan(location.statement));
  if (location.form === 'dotted') splices.push(...location.statements.map(lineSpan));

  statements.forEach((statement, index) => {
    if (!removes(statement)) return;
    let last = index;
    while (statements[last + 1] && statements[last + 1]!.kind !== 'header') last++;
    const next = statements[last + 1];
    const end = !next
      ? text.length
      : removes(next)
        ? next.lineStart
        : attachedCommentsStart(text, next.lineStart, statements[last]!.next);
    // Comments right above a header describe it and go with it, unless they open the file.
    const floor = statements[index - 1]?.next ?? 0;
    const commented = attachedCommentsStart(text, statement.lineStart, floor);
    const start = commented === floor && !statements[index - 1] ? statement.lineStart : commented;
    splices.push({ start, end, text: '' });
  });

  // A table followed by its own sub-tables yields touching spans: join them before splicing.
  const merged: Splice[] = [];
  for (const splice of splices.sort((a, b) => a.start - b.start)) {
    const previous = merged.at(-1);
    if (previous && splice.start <= previous.end) previous.end = Math.max(previous.end, splice.end);
    else merged.push({ ...splice });
  }
  const last = merged.at(-1);
  if (last && last.end === text.length) {
    const before = statements.filter((s) => s.next <= last.start).at(-1);
    last.start = trimToEnd(text, last.start, before?.next ?? 0);
  }
  return merged;
}

function lineSpan(statement: Statement): Splice {
  return { start: statement.lineStart, end: statement.next, text: '' };
}

/** An empty `plugins` table and no `plugins` at all mean the same thing. */
function dropEmptyPlugins(data: Table): Table {
  if (isTable(data.plugins) && Object.keys(data.plugins).length === 0) delete data.plugins;
  return data;
}

function verify(result: string, expected: Table, id: string): string {
  let actual: Table;
  try {
    actual = parse(result);
  } catch {
    throw new Error(`cannot edit ${label(id)} safely: the edited file would not parse; it was left unchanged`);
  }
  if (!sameData(dropEmptyPlugins(actual), dropEmptyPlugins(expected))) {
    throw new Error(`cannot edit ${label(id)} safely: the edit would change other settings; it was left unchanged`);
  }
  return result;
}

function editPluginKey(text: string, id: string, key: PluginKey, value: unknown, render: Render): string {
  const data = parseSource(text);
  checkShape(data, id);
  const result = setKey(text, id, key, render);
  const expected = cloneData(data) as Table;
  const plugins = (expected.plugins ??= {}) as Table;
  const entry = (plugins[id] ??= {}) as Table;
  entry[key] = value;
  return verify(result, expected, id);
}

export function setPluginPermissions(text: string, id: string, permissions: string[]): string {
  const eol = detectEol(text);
  return editPluginKey(text, id, 'permissions', [...permissions], (old, indent) =>
    old?.kind === 'array'
      ? rewriteStringArray(text, old, permissions, eol, indent)
      : `[${permissions.map(encodeString).join(', ')}]`,
  );
}

export function setPluginEnabled(text: string, id: string, enabled: boolean): string {
  return editPluginKey(text, id, 'enabled', enabled, () => String(enabled));
}

export function removePluginTable(text: string, id: string): string {
  const data = parseSource(text);
  checkShape(data, id);
  const statements = scanToml(text);
  const result = applySplices(text, removalSplices(text, statements, id));
  const expected = cloneData(data) as Table;
  if (isTable(expected.plugins)) delete expected.plugins[id];
  return verify(result, expected, id);
}
