// `config-service.get-value(key)`: a dotted key into infrarust.toml as the user wrote it
// (e.g. "bind", "default_motd.text", "plugins.motd.greeting"). Strings come back as they are, other
// values as JSON; a missing key is none. Secrets are never handed to plugins.
import { parse } from 'smol-toml';

const SECRET_KEYS = new Set(['panel.token']);

export function configValueReader(text: string | null): (key: string) => string | undefined {
  let data: Record<string, unknown> = {};
  try {
    data = text ? (parse(text) as Record<string, unknown>) : {};
  } catch {
    // The loader reports parse errors; a plugin simply sees no values.
  }
  return (key) => {
    if (SECRET_KEYS.has(key)) return undefined;
    let value: unknown = data;
    for (const part of key.split('.')) {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
      value = (value as Record<string, unknown>)[part];
    }
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
  };
}
