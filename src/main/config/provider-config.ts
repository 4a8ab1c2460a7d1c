// `[ban]` and `[permissions]`: the 0.3.0 plugins the operator names as ban and permission providers
// (contract 0.3.0 §4.6). A provider must also be granted its capability in its own `[plugins.<id>]` table;
// a setting that cannot work as written gets a warning, never a silent fallback.
import { BAN_DEFAULTS, CONFIG_LIMITS } from './config-defaults';
import type { Reader, Table } from './config-reader';
import { PLUGIN_ID_PATTERN } from './plugin-tables';
import type { BanSettings, PermissionSettings, PluginTable } from './types';

/** `builtin` (and `none`) name the proxy's own answer: the ban list, or node defaults. */
const BUILT_IN = ['builtin', 'none'];

export function readProviders(r: Reader, root: Table, plugins: Record<string, PluginTable>): { ban: BanSettings; permissions: PermissionSettings } {
  const ban = r.table(root, 'ban', undefined);
  r.unknownKeys(ban, 'ban', ['provider', 'check_timeout']);
  const perms = r.table(root, 'permissions', undefined);
  r.unknownKeys(perms, 'permissions', ['provider']);
  return {
    ban: {
      provider: provider(r, ban, 'ban', 'ban-provider', plugins),
      checkTimeoutMs: r.duration(ban, 'ban', 'check_timeout', BAN_DEFAULTS.check_timeout, CONFIG_LIMITS.check_timeout),
    },
    permissions: { provider: provider(r, perms, 'permissions', 'permission-provider', plugins) },
  };
}

function provider(r: Reader, t: Table, table: string, capability: string, plugins: Record<string, PluginTable>): string | null {
  const value = t.provider;
  if (value === undefined) return null;
  if (typeof value !== 'string' || !(PLUGIN_ID_PATTERN.test(value) || BUILT_IN.includes(value))) {
    r.warn(table, 'provider', 'must be a plugin id or "builtin"; using the built-in provider');
    return null;
  }
  if (BUILT_IN.includes(value)) return null;
  if (!plugins[value]?.permissions.includes(capability)) {
    r.warn(table, 'provider', `names "${value}", which needs permissions = ["${capability}"] in [plugins.${value}] to register`);
  }
  return value;
}
