// Plugins as the host reports them (keyed by file: a plugin's id can change when its file does), their
// recent log lines, and the changes the user asked for that the host has not confirmed yet.
import { createStore } from 'zustand/vanilla';
import type { OptInCapability } from '../../../shared/capabilities';
import { LOG_LINES_KEPT, type ControlApi, type ControlEvent, type PluginCommandResult } from '../../../shared/control-api';
import type { PluginLogLine, PluginView } from '../../../shared/plugin-state';

export interface PendingChange {
  /** What is being done, for the card's status line ("Granting ban…"). */
  label: string;
  permissions: Partial<Record<OptInCapability, boolean>>;
  enabled?: boolean;
}

export interface PluginsState {
  byFile: Record<string, PluginView>;
  /** By plugin id; `(host)` holds the host's own lines. */
  logs: Record<string, PluginLogLine[]>;
  /** By plugin id. */
  pending: Record<string, PendingChange>;
  /** Last failed command, by plugin id. */
  errors: Record<string, string>;
  reset(plugins: PluginView[], logs: PluginLogLine[]): void;
  applyEvent(event: ControlEvent): void;
  setPermission(id: string, capability: OptInCapability, granted: boolean): Promise<void>;
  setEnabled(id: string, enabled: boolean): Promise<void>;
  reload(id: string): Promise<void>;
  remove(id: string, forgetConfig: boolean): Promise<void>;
  dismissError(id: string): void;
}

export type PluginsStore = ReturnType<typeof createPluginsStore>;

export function createPluginsStore(api: ControlApi) {
  return createStore<PluginsState>()((set, get) => {
    const putPlugin = (plugin: PluginView) => set((s) => ({ byFile: { ...s.byFile, [plugin.file]: plugin } }));

    const addPending = (id: string, change: Partial<PendingChange> & { label: string }) =>
      set((s) => {
        const prev = s.pending[id];
        const { [id]: _dropped, ...errors } = s.errors;
        return {
          errors,
          pending: {
            ...s.pending,
            [id]: { permissions: { ...prev?.permissions, ...change.permissions }, enabled: change.enabled ?? prev?.enabled, label: change.label },
          },
        };
      });

    const clearPending = (id: string, clear: { capability?: OptInCapability; enabled?: boolean }) =>
      set((s) => {
        const prev = s.pending[id];
        if (!prev) return {};
        const permissions = { ...prev.permissions };
        if (clear.capability) delete permissions[clear.capability];
        const enabled = clear.enabled ? undefined : prev.enabled;
        const { [id]: _done, ...rest } = s.pending;
        const idle = Object.keys(permissions).length === 0 && enabled === undefined;
        return { pending: idle ? rest : { ...s.pending, [id]: { ...prev, permissions, enabled } } };
      });

    /** Runs a command; its answer is the plugin in its new state (events usually got there first). */
    const run = async (id: string, call: () => Promise<PluginCommandResult>, done: () => void) => {
      let result: PluginCommandResult;
      try {
        result = await call();
      } catch (err) {
        result = { ok: false, error: (err as Error).message };
      }
      done();
      if (!result.ok) set((s) => ({ errors: { ...s.errors, [id]: result.error } }));
      else if (result.plugin) putPlugin(result.plugin);
    };

    return {
      byFile: {},
      logs: {},
      pending: {},
      errors: {},

      reset(plugins, logs) {
        const byId: Record<string, PluginLogLine[]> = {};
        for (const line of logs) (byId[line.pluginId] ??= []).push(line);
        set({ byFile: Object.fromEntries(plugins.map((p) => [p.file, p])), logs: byId });
      },

      applyEvent(event) {
        switch (event.type) {
          case 'plugin':
            return putPlugin(event.plugin);
          case 'plugin-removed':
            return set((s) => {
              const { [event.file]: _gone, ...byFile } = s.byFile;
              return { byFile };
            });
          case 'log':
            return set((s) => {
              const kept = [...(s.logs[event.line.pluginId] ?? []), event.line].slice(-LOG_LINES_KEPT);
              return { logs: { ...s.logs, [event.line.pluginId]: kept } };
            });
        }
      },

      setPermission(id, capability, granted) {
        addPending(id, { label: `${granted ? 'Granting' : 'Revoking'} ${capability}…`, permissions: { [capability]: granted } });
        return run(id, () => api.setPermission({ id, capability, granted }), () => clearPending(id, { capability }));
      },

      setEnabled(id, enabled) {
        addPending(id, { label: enabled ? 'Enabling…' : 'Disabling…', enabled });
        return run(id, () => api.setEnabled({ id, enabled }), () => clearPending(id, { enabled: true }));
      },

      reload(id) {
        addPending(id, { label: 'Reloading…' });
        return run(id, () => api.reloadPlugin({ id }), () => clearPending(id, {}));
      },

      remove(id, forgetConfig) {
        addPending(id, { label: 'Removing…' });
        return run(id, () => api.removePlugin({ id, forgetConfig }), () => clearPending(id, {}));
      },

      dismissError(id) {
        const { [id]: _gone, ...errors } = get().errors;
        set({ errors });
      },
    };
  });
}
