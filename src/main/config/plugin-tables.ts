// `[plugins.<id>]` tables: capabilities granted, enabled, a native module's path, the plugin's own settings.
import { resolve } from 'node:path';
import { isBaseline, isOptIn, NEVER_GRANTABLE } from '../../shared/capabilities';
import { PLUGIN_DEFAULTS } from './config-defaults';
import { isTable, type Reader, type Table } from './config-reader';
import { encodeKey } from './toml-encode';
import type { PluginTable } from './types';

export const PLUGIN_ID_PATTERN = /^[a-z0-9_][a-z0-9_-]*$/;

function readPermissions(r: Reader, table: string, value: unknown): string[] {
  if (value === undefined) return [...PLUGIN_DEFAULTS.permissions];
  if (!Array.isArray(value)) {
    r.warn(table, 'permissions', 'must be an array of strings; using []');
    return [...PLUGIN_DEFAULTS.permissions];
  }
  const kept: string[] = [];
  for (const entry of value) {
    if (typeof entry !== 'string') {
      r.warn(table, 'permissions', `${JSON.stringify(entry) ?? String(entry)} is not a string; dropped`);
    } else if ((NEVER_GRANTABLE as readonly string[]).includes(entry)) {
      r.warn(table, 'permissions', `${JSON.stringify(entry)} is never grantable through configuration; dropped`);
    } else if (!isBaseline(entry) && !isOptIn(entry)) {
      const plugin = table.slice('plugins.'.length);
      r.warn(table, 'permissions', `unknown capability ${JSON.stringify(entry)} for plugin ${plugin}; dropped`);
    } else if (!kept.includes(entry)) {
      kept.push(entry);
    }
  }
  return kept;
}

function readPlugin(r: Reader, table: string, t: Table, baseDir: string): PluginTable {
  r.unknownKeys(t, table, ['permissions', 'enabled', 'path', 'settings', 'strict_capabilities']);
  let enabled = PLUGIN_DEFAULTS.enabled;
  if (t.enabled !== undefined) {
    if (typeof t.enabled === 'boolean') enabled = t.enabled;
    else r.warn(table, 'enabled', `must be true or false; using ${PLUGIN_DEFAULTS.enabled}`);
  }
  let path = PLUGIN_DEFAULTS.path;
  if (t.path !== undefined) {
    if (typeof t.path === 'string' && t.path !== '') path = resolve(baseDir, t.path);
    else r.warn(table, 'path', 'must be a non-empty string; ignored');
  }
  let settings: Record<string, unknown> = {};
  if (t.settings !== undefined) {
    if (isTable(t.settings)) settings = t.settings;
    else r.warn(table, 'settings', 'must be a table of the plugin\'s own settings; ignored');
  }
  const strictCapabilities = r.bool(t, table, 'strict_capabilities', PLUGIN_DEFAULTS.strictCapabilities);
  return { permissions: readPermissions(r, table, t.permissions), enabled, path, settings, strictCapabilities };
}

export function readPlugins(r: Reader, root: Table, baseDir: string): Record<string, PluginTable> {
  const plugins: Record<string, PluginTable> = {};
  const value = root.plugins;
  if (value === undefined) return plugins;
  if (!isTable(value)) {
    r.warn(undefined, 'plugins', 'must hold one [plugins.<id>] table per plugin; ignored');
    return plugins;
  }
  for (const [id, entry] of Object.entries(value)) {
    const table = `plugins.${id}`;
    const display = `plugins.${encodeKey(id)}`;
    if (!PLUGIN_ID_PATTERN.test(id)) {
      r.warn(table, undefined, `plugin id must match ${PLUGIN_ID_PATTERN.source}; table ignored`, display);
    } else if (!isTable(entry)) {
      r.warn(table, undefined, 'must be a table; ignored', display);
    } else {
      plugins[id] = readPlugin(r, table, entry, baseDir);
    }
  }
  return plugins;
}

