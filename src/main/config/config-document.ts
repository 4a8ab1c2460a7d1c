// infrarust.toml as a document a plugin may read and, with `config-write`, rewrite (config-service §3.9).
// What a plugin sees is redacted: no `[panel]` (its token controls the host), no `[cluster]` (the Redis URL
// may carry a password), and of `[plugins]` only the caller's own table (other plugins' settings hold their
// API keys). Comments are dropped with the redaction: a comment can hold a secret as easily as a value.
// A write is the reverse: the hidden parts come from the file as it is, only the top-level sections whose
// data changed are rewritten, and every other byte — comments and layout included — stays.
import { parse, stringify, TomlError } from 'smol-toml';
import { CONFIG_DEFAULTS } from './config-defaults';
import { scanToml, type Statement } from './toml-scan';
import { applySplices, detectEol, isTable, sameData, type Splice, type Table } from './toml-splice';

/** Top-level tables no plugin reads or writes, whole or in part. */
export const PRIVATE_TABLES: readonly string[] = ['panel', 'cluster'];

export class DocumentRefused extends Error {
  constructor(
    readonly kind: 'invalid-argument' | 'permission-denied',
    message: string,
  ) {
    super(message);
  }
}

/** The data a plugin may see: private tables gone, `plugins` reduced to its own table. */
export function redactConfig(data: Table, pluginId: string): Table {
  const out: Table = {};
  for (const [key, value] of Object.entries(data)) {
    if (PRIVATE_TABLES.includes(key)) continue;
    if (key === 'plugins') {
      if (isTable(value) && value[pluginId] !== undefined) out.plugins = { [pluginId]: value[pluginId] };
      continue;
    }
    out[key] = value;
  }
  return out;
}

const parseOrEmpty = (text: string | null): Table => (text ? (parse(text) as Table) : {});

/** `get-proxy-config-document`: the file as written, redacted. */
export function proxyConfigDocument(text: string | null, pluginId: string): string {
  return stringify(redactConfig(parseOrEmpty(text), pluginId));
}

/** `get-effective-proxy-config-document`: the defaults with the file's values over them, redacted. */
export function effectiveConfigDocument(text: string | null, pluginId: string): string {
  return stringify(redactConfig(merge(structuredClone(CONFIG_DEFAULTS) as Table, parseOrEmpty(text)), pluginId));
}

function merge(base: Table, over: Table): Table {
  for (const [k, v] of Object.entries(over)) base[k] = isTable(v) && isTable(base[k]) ? merge(base[k] as Table, v) : v;
  return base;
}

/** A server file as a plugin may read it: the velocity forwarding secret is never answered. */
export function serverDocument(text: string): string {
  const data = parse(text) as Table;
  delete data.forwarding_secret;
  return stringify(data);
}

/**
 * The file's new text after a plugin's write of `document` (its redacted view): the data the whole file will
 * hold and the text holding it. Throws DocumentRefused for a document that does not parse, or that touches a
 * private table or another plugin's table.
 */
export function applyConfigDocument(current: string, document: string, pluginId: string): { text: string; data: Table } {
  let incoming: Table;
  try {
    incoming = parse(document) as Table;
  } catch (err) {
    throw new DocumentRefused('invalid-argument', `the document does not parse: ${err instanceof TomlError ? err.message.split('\n')[0] : (err as Error).message}`);
  }
  for (const key of PRIVATE_TABLES) if (key in incoming) throw new DocumentRefused('permission-denied', `[${key}] is not writable by plugins`);
  if (incoming.plugins !== undefined) {
    if (!isTable(incoming.plugins)) throw new DocumentRefused('invalid-argument', 'plugins must hold [plugins.<id>] tables');
    const foreign = Object.keys(incoming.plugins).filter((id) => id !== pluginId);
    if (foreign.length > 0) throw new DocumentRefused('permission-denied', `[plugins.${foreign[0]}] belongs to another plugin`);
  }
  const existing = parseOrEmpty(current);
  // The whole file: the document, plus what the plugin cannot see, as the file has it.
  const data: Table = { ...incoming };
  for (const key of PRIVATE_TABLES) if (existing[key] !== undefined) data[key] = existing[key];
  const otherPlugins = isTable(existing.plugins) ? Object.fromEntries(Object.entries(existing.plugins).filter(([id]) => id !== pluginId)) : {};
  const own = isTable(incoming.plugins) ? incoming.plugins[pluginId] : undefined;
  const plugins = { ...otherPlugins, ...(own === undefined ? {} : { [pluginId]: own }) };
  if (Object.keys(plugins).length > 0) data.plugins = plugins;
  else delete data.plugins;
  return { text: rewriteSections(current, existing, data, pluginId), data };
}

/** Section owners: a top-level key, or `plugins.<id>` for one plugin's table. */
function ownerOf(path: string[]): string {
  return path[0] === 'plugins' && path.length > 1 ? `plugins.${path[1]}` : path[0]!;
}

function valueOf(data: Table, owner: string): unknown {
  if (!owner.startsWith('plugins.')) return data[owner];
  return isTable(data.plugins) ? data.plugins[owner.slice('plugins.'.length)] : undefined;
}

function rewriteSections(current: string, before: Table, after: Table, pluginId: string): string {
  const statements = scanToml(current);
  const owners = new Set<string>();
  const ownerByStatement = new Map<Statement, string>();
  let header: string[] = [];
  for (const s of statements) {
    if (s.kind === 'header') header = s.key.path;
    const path = s.kind === 'header' ? s.key.path : [...header, ...s.key.path];
    const owner = ownerOf(path);
    ownerByStatement.set(s, owner);
    owners.add(owner);
  }
  const candidates = [...Object.keys(after).filter((k) => k !== 'plugins'), ...Object.keys(isTable(after.plugins) ? after.plugins : {}).map((id) => `plugins.${id}`)];
  for (const c of candidates) owners.add(c);
  // Only the plugin's own sections can differ: private tables and other plugins' tables come from the file.
  const changed = [...owners].filter((o) => (o === `plugins.${pluginId}` || (!o.startsWith('plugins') && !PRIVATE_TABLES.includes(o))) && !sameData(valueOf(before, o), valueOf(after, o)));
  if (changed.length === 0) return current;
  const eol = detectEol(current);
  const splices: Splice[] = statements.filter((s) => changed.includes(ownerByStatement.get(s)!)).map((s) => ({ start: s.lineStart, end: s.next, text: '' }));
  // Root values go before the first table header (anywhere later they would land inside a table); tables at the end.
  const firstHeader = statements.find((s) => s.kind === 'header' && !changed.includes(ownerByStatement.get(s)!));
  const rootValues: Table = {};
  const tables: Table = {};
  for (const o of changed) {
    const v = valueOf(after, o);
    if (v === undefined) continue;
    if (o.startsWith('plugins.')) tables.plugins = { ...((tables.plugins as Table) ?? {}), [o.slice('plugins.'.length)]: v };
    else if (isTable(v)) tables[o] = v;
    else rootValues[o] = v;
  }
  const text = (t: Table) => stringify(t).replace(/\r?\n/g, eol);
  if (Object.keys(rootValues).length > 0) {
    const at = firstHeader ? firstHeader.lineStart : current.length;
    const lead = at > 0 && !current.slice(0, at).endsWith('\n') ? eol : '';
    splices.push({ start: at, end: at, text: `${lead}${text(rootValues)}${eol}${firstHeader ? eol : ''}` });
  }
  let out = applySplices(current, splices);
  if (Object.keys(tables).length > 0) out = `${out.replace(/\s*$/, '')}${out.trim() ? `${eol}${eol}` : ''}${text(tables)}${eol}`;
  return out;
}
