// Ban list: the proxy's ban provider (0.3.0, §4.6), keeping every ban in bans.json in its data folder
// (plugins_dir/ban_list/), a file an admin can read and edit. Every ban the proxy issues (a plugin's
// ban-service call, such as ban-guard's /ban) lands here; logins are checked against it at the status ping,
// before and after authentication. Targets: username, uuid, ip and ip range (CIDR); bans may expire; the
// list pages. A malformed file stops the plugin with the reason (no login gets through meanwhile) and is
// never overwritten; edits made while it runs apply at the next check.
//   [ban]
//   provider = "ban_list"
//   [plugins.ban_list]
//   permissions = ["ban-provider"]
//   [plugins.ban_list.settings]
//   message = "You are banned from this network."   # the first line banned players see
// Capabilities: `ban-provider`, which an admin must grant.
import type { BanRecord, BanSource, BanTarget, IpAddress, LoginAttempt, Uuid } from 'infrarust:plugin/ban-service@0.3.0';
import { info } from 'infrarust:plugin/log@0.3.0';
import { banProvider, dataFileVersion, definePlugin, join, part, readDataFile, setting, writeDataFile } from '../../kit';

const FILE = '/bans.json';
const HEADER = 'Bans kept by the ban_list plugin. Targets: "username:<name>", "uuid:<uuid>", "ip:<address>", "ip-range:<cidr>"; "expires" is an ISO date or null.';

/** A ban as bans.json holds it. */
interface StoredBan {
  id: string;
  target: string;
  reason: string | null;
  source: string;
  created: string;
  expires: string | null;
}

let cache: { version: string | undefined; bans: StoredBan[] } | undefined;

// --- targets and sources as text -------------------------------------------------------------------

const hex = (n: number, width: number) => BigInt(n).toString(16).padStart(width, '0');

function uuidText(u: Uuid): string {
  const h = hex(u.hi, 16) + hex(u.lo, 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function uuidFrom(text: string): Uuid {
  const h = text.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(h)) throw new Error(`"${text}" is not a uuid`);
  // u64 is a number in QuickJS guests (the kit's bindings): both directions round it the same way.
  return { hi: Number(BigInt(`0x${h.slice(0, 16)}`)), lo: Number(BigInt(`0x${h.slice(16)}`)) };
}

const ipText = (ip: IpAddress): string => (ip.tag === 'ipv4' ? [...ip.val].join('.') : [...ip.val].map((g) => g.toString(16)).join(':'));

function ipFrom(text: string): IpAddress {
  const v4 = text.split('.');
  if (v4.length === 4 && v4.every((p) => /^\d{1,3}$/.test(p) && Number(p) < 256)) return { tag: 'ipv4', val: v4.map(Number) as [number, number, number, number] };
  const v6 = text.split(':');
  if (v6.length === 8 && v6.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) {
    return { tag: 'ipv6', val: v6.map((g) => parseInt(g, 16)) as [number, number, number, number, number, number, number, number] };
  }
  throw new Error(`"${text}" is not an IP address (write IPv6 with all eight groups)`);
}

/** An address as one number and its width in bits, for range matching. */
function ipBits(ip: IpAddress): { value: bigint; bits: number } {
  const parts = [...ip.val].map(BigInt);
  const width = ip.tag === 'ipv4' ? 8n : 16n;
  return { value: parts.reduce((acc, p) => (acc << width) | p, 0n), bits: parts.length * Number(width) };
}

function inRange(ip: IpAddress, cidr: string): boolean {
  const [base, prefixText] = cidr.split('/');
  const range = ipBits(ipFrom(base!));
  const addr = ipBits(ip);
  const prefix = Number(prefixText);
  if (range.bits !== addr.bits || !Number.isInteger(prefix) || prefix < 0 || prefix > range.bits) return false;
  const shift = BigInt(range.bits - prefix);
  return addr.value >> shift === range.value >> shift;
}

function targetText(t: BanTarget): string {
  switch (t.tag) {
    case 'username':
      return `username:${t.val.toLowerCase()}`;
    case 'uuid':
      return `uuid:${uuidText(t.val)}`;
    case 'ip':
      return `ip:${ipText(t.val)}`;
    case 'ip-range':
      return `ip-range:${t.val}`;
  }
}

function targetFrom(text: string): BanTarget {
  const at = text.indexOf(':');
  const [kind, value] = [text.slice(0, at), text.slice(at + 1)];
  if (kind === 'username' && value) return { tag: 'username', val: value.toLowerCase() };
  if (kind === 'uuid') return { tag: 'uuid', val: uuidFrom(value) };
  if (kind === 'ip') return { tag: 'ip', val: ipFrom(value) };
  if (kind === 'ip-range' && value.includes('/')) return { tag: 'ip-range', val: value };
  throw new Error(`"${text}" is not a target (username:, uuid:, ip: or ip-range:)`);
}

function sourceText(s: BanSource): string {
  switch (s.tag) {
    case 'player':
      return `player:${s.val.name}:${uuidText(s.val.uuid)}`;
    case 'plugin':
      return `plugin:${s.val}`;
    case 'web-api':
      return s.val ? `web-api:${s.val}` : 'web-api';
    default:
      return s.tag;
  }
}

function sourceFrom(text: string): BanSource {
  const [kind, ...rest] = text.split(':');
  if (kind === 'console' || kind === 'system') return { tag: kind };
  if (kind === 'plugin' && rest.length > 0) return { tag: 'plugin', val: rest.join(':') };
  if (kind === 'web-api') return { tag: 'web-api', val: rest.length > 0 ? rest.join(':') : undefined };
  if (kind === 'player' && rest.length === 2) return { tag: 'player', val: { name: rest[0]!, uuid: uuidFrom(rest[1]!) } };
  throw new Error(`"${text}" is not a ban source (console, system, plugin:<id>, web-api[:<name>], player:<name>:<uuid>)`);
}

// --- the file --------------------------------------------------------------------------------------

function time(text: string | null, field: string): number | undefined {
  if (text === null) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`${field} "${text}" is not a date`);
  return ms;
}

/** A stored ban as the contract's record; throws naming what is wrong with it. */
function recordOf(b: StoredBan): BanRecord {
  return {
    id: b.id,
    target: targetFrom(b.target),
    reason: b.reason ?? undefined,
    source: sourceFrom(b.source),
    createdAt: time(b.created, 'created')!,
    expiresAt: time(b.expires, 'expires'),
  };
}

function parse(text: string): StoredBan[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`${FILE} is not valid JSON (${(err as Error).message})`);
  }
  const bans = (doc as { bans?: unknown } | null)?.bans;
  if (!Array.isArray(bans)) throw new Error(`${FILE} has no "bans" list`);
  bans.forEach((b: StoredBan, i) => {
    const where = `${FILE}: ban #${i + 1}`;
    if (typeof b?.id !== 'string' || typeof b.target !== 'string' || typeof b.source !== 'string' || typeof b.created !== 'string') {
      throw new Error(`${where} needs "id", "target", "source" and "created" as strings`);
    }
    if (!(b.reason === null || typeof b.reason === 'string') || !(b.expires === null || typeof b.expires === 'string')) {
      throw new Error(`${where}: "reason" and "expires" are strings or null`);
    }
    try {
      recordOf(b);
    } catch (err) {
      throw new Error(`${where}: ${(err as Error).message}`);
    }
  });
  return bans as StoredBan[];
}

/** The bans in the file, reread when it changed; throws (naming the problem) while it is malformed. */
function load(): StoredBan[] {
  const version = dataFileVersion(FILE);
  if (!cache || cache.version !== version) {
    const text = readDataFile(FILE);
    cache = { version, bans: text === undefined ? [] : parse(text) };
  }
  return cache.bans;
}

/** Saves the bans, dropping the expired ones. */
function save(bans: StoredBan[]): void {
  const kept = bans.filter((b) => !expired(b));
  writeDataFile(FILE, `${JSON.stringify({ about: HEADER, bans: kept }, null, 2)}\n`);
  cache = { version: dataFileVersion(FILE), bans: kept };
}

const expired = (b: StoredBan, now = Date.now()): boolean => b.expires !== null && Date.parse(b.expires) <= now;
const active = (): StoredBan[] => load().filter((b) => !expired(b));

function covers(b: StoredBan, a: LoginAttempt): boolean {
  const t = targetFrom(b.target);
  switch (t.tag) {
    case 'username':
      return a.username != null && a.username.toLowerCase() === t.val;
    case 'uuid':
      return a.uuid != null && uuidText(a.uuid) === uuidText(t.val);
    case 'ip':
      return ipText(a.ip) === ipText(t.val);
    case 'ip-range':
      return inRange(a.ip, t.val);
  }
}

function kickMessage(b: StoredBan) {
  const lines: (string | ReturnType<typeof part>)[] = [part(setting('message') ?? 'You are banned from this network.', { color: 'red' })];
  if (b.reason) lines.push(`\nReason: ${b.reason}`);
  lines.push(b.expires ? `\nExpires: ${b.expires.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : '\nThis ban does not expire.');
  return join(...lines);
}

export default definePlugin({
  id: 'ban_list',
  name: 'Ban List',
  version: '1.0.0',
  authors: ['Infrarust Desktop'],
  description: 'The proxy\'s ban provider: bans kept in bans.json (usernames, uuids, addresses, ranges, expiry).',
  enable() {
    // A malformed file stops the plugin here with the reason; the file is left as it is.
    const count = active().length;
    banProvider(
      {
        check(attempt) {
          const ban = active().find((b) => covers(b, attempt));
          return ban && { entry: recordOf(ban), kickMessage: kickMessage(ban) };
        },
        ban(request, source) {
          const now = Date.now();
          const target = targetText(request.target);
          const bans = load().filter((b) => b.target !== target);
          const id = String(load().reduce((max, b) => Math.max(max, Number(b.id) || 0), 0) + 1);
          const ban: StoredBan = {
            id,
            target,
            reason: request.reason ?? null,
            source: sourceText(source),
            created: new Date(now).toISOString(),
            expires: request.durationMs == null ? null : new Date(now + Number(request.durationMs)).toISOString(),
          };
          save([...bans, ban]);
          info(`banned ${target}${ban.reason ? ` (${ban.reason})` : ''}${ban.expires ? ` until ${ban.expires}` : ''} by ${ban.source}`);
          return recordOf(ban);
        },
        unban(request) {
          const target = targetText(request.target);
          const bans = load();
          const removed = bans.find((b) => b.target === target);
          if (!removed) return undefined;
          save(bans.filter((b) => b !== removed));
          info(`unbanned ${target} by ${sourceText(request.source)}`);
          return expired(removed) ? undefined : recordOf(removed);
        },
        get(target) {
          const ban = active().find((b) => b.target === targetText(target));
          return ban && recordOf(ban);
        },
        list({ cursor, limit }) {
          // In id order; the cursor is the last id a page showed, so a ban lifted meanwhile skips nothing.
          const after = cursor == null ? 0 : Number(cursor);
          const bans = active()
            .filter((b) => Number(b.id) > after)
            .sort((a, b) => Number(a.id) - Number(b.id));
          const page = bans.slice(0, Math.max(1, limit));
          return { entries: page.map(recordOf), nextCursor: bans.length > page.length ? page[page.length - 1]!.id : undefined };
        },
      },
      { ipRanges: true, pagination: true },
    );
    info(`${count} active ban(s) in ${FILE}`);
  },
});
