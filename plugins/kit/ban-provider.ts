// The ban provider (0.3.0, §4.6). The operator grants `ban-provider` and names the plugin in `[ban] provider`;
// the plugin calls `banProvider(...)` in `enable`, which registers it with the host and answers the five
// ban-provider exports from the functions given. A plugin that provides nothing answers as the upstream SDK
// does: ban calls err ("this plugin provides no bans"). The permission provider is permission-provider.ts:
// a bundle keeps every import of a module it includes, and a ban provider must not import
// register-permission-provider (the host's capability report names the functions a plugin imports).
import { registerBanProvider } from 'infrarust:plugin/providers@0.3.0';
import type { BanFeatures } from 'infrarust:plugin/ban-service@0.3.0';
import { providers, type BanProvider } from './callbacks';
import { hostCall } from './errors';

export type { BanProvider, BanFeatures };

/** Registers this plugin as the proxy's ban provider; throws a HostCallError when the host refuses (conflict). */
export function banProvider(provider: BanProvider, features: BanFeatures = { ipRanges: false, pagination: false }): void {
  hostCall('providers.register-ban-provider', () => registerBanProvider(features));
  providers.ban = provider;
}
