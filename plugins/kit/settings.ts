// `setting(key)` for 0.3.0: the plugin's own settings, `[plugins.<id>.settings]` in infrarust.toml, through
// config-service (capability `config-read`). The host reloads the plugin when they change.
import { getValue } from 'infrarust:plugin/config-service@0.3.0';
import { hostCall } from './errors';
import { pluginId } from './runtime';

/** A string as written, any other value as JSON text (`0.25`, `true`, `["a"]`); undefined when absent. */
export function setting(key: string): string | undefined {
  return hostCall(`config-service.get-value(${key})`, () => getValue(`plugins.${pluginId()}.settings.${key}`)) ?? undefined;
}
