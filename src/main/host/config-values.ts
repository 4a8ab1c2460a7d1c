// `config-service.get-value(key)`: a dotted key into infrarust.toml as the user wrote it
// (e.g. "bind", "default_motd.text", "plugins.motd.settings.greeting"). Strings come back as they are, other
// values as JSON; a missing key is none.
//
// What a plugin may read: the proxy's own keys and its own `[plugins.<id>]` table. Never anything under
// the private tables (`[panel]`: its token protects the whole host; `[cluster]`: the Redis URL may carry a
// password), at any depth, and never another plugin's table (settings are where API keys live). `plugins`
// itself answers with the reader's own table only. The same rules redact config documents
// (config/config-document.ts).
import { parse } from 'smol-toml';
import { PRIVATE_TABLES, redactConfig } from '../config/config-document';

export type ConfigValueReader = (pluginId: string, key: string) => string | undefined;

export function configValueReader(text: string | null): ConfigValueReader {
  let data: Record<string, unknown> = {};
  try {
    data = text ? (parse(text) as Record<string, unknown>) : {};
  } catch {
    // The loader reports parse errors; a plugin simply sees no values.
  }
  return (pluginId, key) => {
    const path = key.split('.');
    if (PRIVATE_TABLES.includes(path[0]!)) return undefined;
    if (path[0] === 'plugins') {
      if (path.length === 1) return encode(redactConfig(data, pluginId).plugins);
      if (path[1] !== pluginId) return undefined;
    }
    return encode(lookup(data, path));
  };
}

function lookup(data: unknown, path: string[]): unknown {
  let value = data;
  for (const part of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function encode(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
}
