// The typed ControlApi on top of any transport: `api.setEnabled({ id, enabled })` instead of raw calls.
import { CONTROL_METHODS, type ControlApi, type ControlMethod } from '../../../shared/control-api';
import type { ControlTransport } from './transport';

export function createControlClient(transport: ControlTransport): ControlApi {
  const entries = CONTROL_METHODS.map((method: ControlMethod) => [method, (params: never) => transport.call(method, params)]);
  return Object.fromEntries(entries) as ControlApi;
}
