// Ban and permission providers (0.3.0, §4.6). The operator grants the capability (`ban-provider`,
// `permission-provider`) and names the plugin (`[ban] provider`, `[permissions] provider`); the plugin calls
// `banProvider(...)` / `permissionProvider(...)` in `enable`, which registers it with the host and answers
// the six provider exports from the functions given. A plugin that provides nothing answers as the upstream
// SDK does: ban calls err ("this plugin provides no bans"), snapshots empty.
import { registerBanProvider, registerPermissionProvider } from 'infrarust:plugin/providers@0.3.0';
import type { BanFeatures } from 'infrarust:plugin/ban-service@0.3.0';
import { providers, type BanProvider, type PermissionProvider } from './callbacks';
import { hostCall } from './errors';

export type { BanProvider, PermissionProvider, BanFeatures };

/** Registers this plugin as the proxy's ban provider; throws a HostCallError when the host refuses (conflict). */
export function banProvider(provider: BanProvider, features: BanFeatures = { ipRanges: false, pagination: false }): void {
  hostCall('providers.register-ban-provider', () => registerBanProvider(features));
  providers.ban = provider;
}

/** Registers this plugin as the proxy's permission provider; throws a HostCallError when the host refuses. */
export function permissionProvider(snapshotFor: PermissionProvider): void {
  hostCall('providers.register-permission-provider', () => registerPermissionProvider());
  providers.permission = snapshotFor;
}
