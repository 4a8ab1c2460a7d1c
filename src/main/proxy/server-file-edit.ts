// Writing servers/<id>.toml from the route form. A new file gets the keys in Infrarust's order; an existing
// file is edited in place: only keys whose value changed are touched, arrays keep their elements' comments,
// and every other byte (comments, blank lines, unknown keys, line endings) stays as the user wrote it. The
// result is parsed back and must equal the old document with exactly those changes, or nothing is returned.
import { parse, TomlError } from 'smol-toml';
import { FORWARDING_MODES, PROXY_MODES, type ForwardingMode, type ProxyModeName } from '../../shared/proxy-modes.ts';
import type { RouteSettings } from '../../shared/route-rules.ts';
import { rewriteStringArray } from '../config/toml-array-rewrite.ts';
import { encodeString } from '../config/toml-encode.ts';
import { scanToml, type HeaderStatement, type KeyValueStatement, type Statement } from '../config/toml-scan.ts';
import { applySplices, cloneData, detectEol, indentAt, isTable, sameData, type Table } from '../config/toml-splice.ts';

export type ServerFields = Omit<RouteSettings, 'id'>;

type RootKey = 'domains' | 'addresses' | 'proxy_mode' | 'forwarding' | 'forwarding_secret' | 'motd' | 'max_players' | 'disconnect_message';

export function newServerFileText(f: ServerFields): string {
  const lines = [`domains = ${stringArray(f.domains)}`, `addresses = ${stringArray(f.addresses)}`, `proxy_mode = ${encodeString(f.proxyMode)}`];
  if (f.forwarding !== 'none') lines.push(`forwarding = ${encodeString(f.forwarding)}`);
  if (f.forwardingSecret) lines.push(`forwarding_secret = ${encodeString(f.forwardingSecret)}`);
  if (f.motd) lines.push(`motd = ${encodeString(f.motd)}`);
  if (f.maxPlayers > 0) lines.push(`max_players = ${f.maxPlayers}`);
  if (f.disconnectMessage) lines.push(`disconnect_message = ${encodeString(f.disconnectMessage)}`);
  return `${lines.join('\n')}\n`;
}

/** The form's view of a parsed file: what `editServerFileText` compares against. */
export function serverFieldsOf(doc: Table): ServerFields {
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const motd = doc.motd;
  const motdText = typeof motd === 'string' ? motd : isTable(motd) && motd.enabled !== false && typeof motd.text === 'string' ? motd.text : '';
  return {
    domains: strings(doc.domains),
    addresses: strings(doc.addresses),
    motd: motdText,
    maxPlayers: typeof doc.max_players === 'number' ? doc.max_players : 0,
    disconnectMessage: typeof doc.disconnect_message === 'string' ? doc.disconnect_message : '',
    proxyMode: (PROXY_MODES as readonly unknown[]).includes(doc.proxy_mode) ? (doc.proxy_mode as ProxyModeName) : 'passthrough',
    forwarding: (FORWARDING_MODES as readonly unknown[]).includes(doc.forwarding) ? (doc.forwarding as ForwardingMode) : 'none',
    forwardingSecret: typeof doc.forwarding_secret === 'string' ? doc.forwarding_secret : '',
  };
}

export function parseServerText(text: string): Table {
  try {
    return parse(text);
  } catch (err) {
    const where = err instanceof TomlError ? ` at line ${err.line}, column ${err.column}` : '';
    throw new Error(`the file does not parse${where}: fix it by hand (or remove the route and add it again)`);
  }
}

export function editServerFileText(text: string, f: ServerFields): string {
  const doc = parseServerText(text);
  const old = serverFieldsOf(doc);
  const expected = cloneData(doc) as Table;
  let out = text;
  const set = (key: RootKey, value: unknown, render: (old: KeyValueStatement | undefined) => string) => {
    out = setRootKey(out, key, value === undefined ? null : render);
    if (value === undefined) delete expected[key];
    else expected[key] = value;
  };

  if (!sameData(old.domains, f.domains)) set('domains', [...f.domains], (kv) => arrayText(out, kv, f.domains));
  if (!sameData(old.addresses, f.addresses)) set('addresses', [...f.addresses], (kv) => arrayText(out, kv, f.addresses));
  if (old.proxyMode !== f.proxyMode) set('proxy_mode', f.proxyMode, () => encodeString(f.proxyMode));
  if (old.forwarding !== f.forwarding) set('forwarding', f.forwarding === 'none' ? undefined : f.forwarding, () => encodeString(f.forwarding));
  if (old.forwardingSecret !== f.forwardingSecret) set('forwarding_secret', f.forwardingSecret || undefined, () => encodeString(f.forwardingSecret));
  if (old.motd !== f.motd) {
    if (isTable(doc.motd)) out = editMotdTable(out, f.motd, expected);
    else set('motd', f.motd || undefined, () => encodeString(f.motd));
  }
  if (old.maxPlayers !== f.maxPlayers) set('max_players', f.maxPlayers || undefined, () => String(f.maxPlayers));
  if (old.disconnectMessage !== f.disconnectMessage) {
    set('disconnect_message', f.disconnectMessage || undefined, () => encodeString(f.disconnectMessage));
  }

  let actual: Table;
  try {
    actual = parse(out);
  } catch {
    throw new Error('cannot edit this server file safely: the result would not parse; it was left unchanged');
  }
  if (!sameData(actual, expected)) throw new Error('cannot edit this server file safely: the edit would change other settings; it was left unchanged');
  return out;
}

function stringArray(values: readonly string[]): string {
  return `[${values.map(encodeString).join(', ')}]`;
}

function arrayText(text: string, kv: KeyValueStatement | undefined, values: readonly string[]): string {
  if (kv?.value.kind !== 'array') return stringArray(values);
  return rewriteStringArray(text, kv.value, values, detectEol(text), indentAt(text, kv.lineStart));
}

/** Statements before the first table header, and that header. */
function rootPart(statements: Statement[]): { root: KeyValueStatement[]; firstHeader: HeaderStatement | undefined } {
  const index = statements.findIndex((s) => s.kind === 'header');
  const root = (index < 0 ? statements : statements.slice(0, index)) as KeyValueStatement[];
  return { root, firstHeader: index < 0 ? undefined : (statements[index] as HeaderStatement) };
}

/** Sets (render) or removes (null) a top-level `key = value` line. */
function setRootKey(text: string, key: RootKey, render: ((old: KeyValueStatement | undefined) => string) | null): string {
  const { root, firstHeader } = rootPart(scanToml(text));
  const matches = root.filter((s) => s.key.path[0] === key);
  if (matches.some((s) => s.key.path.length > 1)) throw new Error(`cannot edit this server file safely: \`${key}\` is written as a table; edit it by hand`);
  const existing = matches[0];
  if (!render) return existing ? applySplices(text, [{ start: existing.lineStart, end: existing.next, text: '' }]) : text;
  const value = render(existing);
  if (existing) return applySplices(text, [{ start: existing.value.start, end: existing.value.end, text: value }]);
  const eol = detectEol(text);
  const last = root.at(-1);
  if (last) return applySplices(text, [{ start: last.contentEnd, end: last.contentEnd, text: `${eol}${indentAt(text, last.lineStart)}${key} = ${value}` }]);
  if (firstHeader) return applySplices(text, [{ start: firstHeader.lineStart, end: firstHeader.lineStart, text: `${key} = ${value}${eol}${eol}` }]);
  const separator = text === '' || text.endsWith('\n') ? '' : eol;
  return `${text}${separator}${key} = ${value}${eol}`;
}

/**
 * A `[motd]` table keeps its other settings (version, favicon...): new text goes into `text` (switching an
 * `enabled = false` back on); clearing the text switches the table off instead of deleting it.
 */
function editMotdTable(text: string, motd: string, expected: Table): string {
  const header = scanToml(text).findIndex((s) => s.kind === 'header' && !s.array && sameData(s.key.path, ['motd']));
  if (header < 0) throw new Error('cannot edit this server file safely: `motd` is not a [motd] table; edit it by hand');
  const table = expected.motd as Table;
  const setIn = (current: string, key: string, value: string): string => {
    const statements = scanToml(current);
    const body = tableBody(statements, header);
    const kv = body.find((s) => s.key.path.length === 1 && s.key.path[0] === key);
    if (kv) return applySplices(current, [{ start: kv.value.start, end: kv.value.end, text: value }]);
    const after = body.at(-1) ?? statements[header]!;
    const line = `${detectEol(current)}${indentAt(current, after.lineStart)}${key} = ${value}`;
    return applySplices(current, [{ start: after.contentEnd, end: after.contentEnd, text: line }]);
  };
  if (!motd) {
    table.enabled = false;
    return setIn(text, 'enabled', 'false');
  }
  table.text = motd;
  const out = setIn(text, 'text', encodeString(motd));
  if (table.enabled === undefined) return out;
  table.enabled = true;
  return setIn(out, 'enabled', 'true');
}

function tableBody(statements: Statement[], headerIndex: number): KeyValueStatement[] {
  const body: KeyValueStatement[] = [];
  for (const s of statements.slice(headerIndex + 1)) {
    if (s.kind === 'header') break;
    body.push(s);
  }
  return body;
}
