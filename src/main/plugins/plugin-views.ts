// What the panel shows of a plugin slot: its view (state, grants, the warnings that concern it, provider
// roles) and its runtime figures.
import type { PluginMetrics, PluginView } from '../../shared/plugin-state';
import type { ConfigWarning, HostConfig } from '../config/types';
import type { CallMetrics } from './call-metrics';
import type { PluginRegistrations } from './plugin-registrations';
import type { Slot } from './plugin-slot';
import { providerRoles } from './v030/providers';

export function slotView(slot: Slot, config: HostConfig, configWarnings: ConfigWarning[], reg: PluginRegistrations): PluginView {
  const id = slot.view.id;
  const warnings = [
    ...configWarnings.filter((w) => w.table === `plugins.${id}`).map((w) => w.message),
    ...(slot.kind === 'wasm' && config.plugins[id]?.path ? [`[plugins.${id}] path is for native plugins; this WASM plugin ignores it`] : []),
    ...slot.loadWarnings,
    ...reg.codecNotes(id),
  ];
  const roles = providerRoles(reg.providers, id);
  return { ...slot.view, warnings, granted: [...slot.view.granted], requested: [...slot.view.requested], ...(roles.length > 0 ? { providerRoles: roles } : {}) };
}

export function slotMetrics(id: string, slot: Slot | undefined, metrics: CallMetrics, config: HostConfig): PluginMetrics {
  const usage = slot?.guest?.usage ?? slot?.lastUsage;
  return {
    id,
    ...metrics.stats(id),
    memoryBytes: slot?.guest ? (usage?.memoryBytes ?? 0) : 0,
    memoryCapBytes: slot?.kind === 'wasm' ? config.wasm.memoryLimitMb * 1024 * 1024 : 0,
    logLinesDropped: usage?.droppedLines ?? 0,
  };
}
