// The 0.3.0 contract's types under short names, from the generated host types (wit/0.3.0).
export type * as T from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-types.js';
export type * as Ev from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-events.js';
export type * as Guest from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-guest.js';
export type * as Players from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-players.js';
export type * as Bans from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-ban-service.js';
export type * as Registry from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-plugin-registry.js';
export type * as ProxyInfo from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-proxy-info.js';
export type * as Commands from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-command-manager.js';
export type * as Codec from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-codec-filter.js';
export type * as CodecReg from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-codec-registry.js';
export type * as Bus from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-event-bus.js';
export type * as Limbo from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-limbo.js';
export type * as Nodes from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-permission-nodes.js';

import type { ErrorKind, HostError } from '../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-types.js';

/** A host import's err value (jco lowers `{ tag: 'err' }` as the result's err case). */
export const hostErr = (kind: ErrorKind, message: string): { tag: 'err'; val: HostError } => ({ tag: 'err', val: { kind, message } });
export const ok = <V>(val: V): { tag: 'ok'; val: V } => ({ tag: 'ok', val });
export type HostResult<V> = { tag: 'ok'; val: V } | { tag: 'err'; val: HostError };
