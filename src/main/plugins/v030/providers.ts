// The two providers of §4.6, held by the plugin manager: registrations that survive a recovery (§4.9)
// and go when their plugin is disabled or unloaded.
import { BanProvider030 } from './ban-provider';
import { PermissionProvider030 } from './permission-provider';
import type { NodeDefault } from './permission-resolve';
import type { ProviderHost } from './provider-host';

export interface Providers030 {
  bans: BanProvider030;
  permissions: PermissionProvider030;
}

export function createProviders030(host: ProviderHost, nodeDefault: (name: string) => NodeDefault | undefined): Providers030 {
  return { bans: new BanProvider030(host), permissions: new PermissionProvider030(host, nodeDefault) };
}

/** What the panel shows on a plugin's card: selected as a provider, and whether it registered. */
export function providerRoles(p: Providers030, pluginId: string): { kind: 'ban' | 'permission'; registered: boolean }[] {
  const roles: { kind: 'ban' | 'permission'; registered: boolean }[] = [];
  if (p.bans.selected() === pluginId) roles.push({ kind: 'ban', registered: p.bans.registeredBy() === pluginId });
  if (p.permissions.selected() === pluginId) roles.push({ kind: 'permission', registered: p.permissions.registeredBy() === pluginId });
  return roles;
}
