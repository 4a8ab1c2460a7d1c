// The permission provider (0.3.0, §4.6). The operator grants `permission-provider` and names the plugin in
// `[permissions] provider`; the plugin calls `permissionProvider(...)` in `enable`, which registers it with the
// host and answers `permission-snapshot-for` from the function given (without one: an empty snapshot).
import { registerPermissionProvider } from 'infrarust:plugin/providers@0.3.0';
import { providers, type PermissionProvider } from './callbacks';
import { hostCall } from './errors';

export type { PermissionProvider };

/** Registers this plugin as the proxy's permission provider; throws a HostCallError when the host refuses. */
export function permissionProvider(snapshotFor: PermissionProvider): void {
  hostCall('providers.register-permission-provider', () => registerPermissionProvider());
  providers.permission = snapshotFor;
}
