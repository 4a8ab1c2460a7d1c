// The contracts' host interfaces as jco sees them: import-object keys (unversioned) and the camelCase
// names of their functions, per contract, from the tables generated out of wit/ (shared/contract/generated).
// The worker builds its import objects from these and the main thread's host-call handlers match them.
import { HOST_FUNCTIONS as FUNCTIONS_023, HOST_RESOURCES as RESOURCES_023 } from '../../shared/contract/generated/0.2.3/host-functions';
import { HOST_FUNCTIONS as FUNCTIONS_030, HOST_RESOURCES as RESOURCES_030 } from '../../shared/contract/generated/0.3.0/host-functions';

export { NETWORK_PACKAGES, WASI_PACKAGES } from '../../shared/contract/contracts';

export const CONTRACT_IMPORT_PREFIX = 'infrarust:plugin/';

interface HostTables {
  functions: Readonly<Record<string, readonly string[]>>;
  resources: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

export const HOST_TABLES: Readonly<Record<string, HostTables>> = {
  '0.2.3': { functions: FUNCTIONS_023, resources: RESOURCES_023 },
  '0.3.0': { functions: FUNCTIONS_030, resources: RESOURCES_030 },
};

/**
 * How a host resource crosses the thread boundary: the main thread returns `{ [RESOURCE_TAG]: class, id }`
 * and the worker turns it into an instance of that class holding only the id.
 */
export const RESOURCE_TAG = '$resource';
export interface ResourceRef {
  [RESOURCE_TAG]: 'Player' | 'LimboSession' | 'LimboSessionHandle';
  id: bigint;
}

/** Whether a component's import names include any WASI interface (versioned or not). */
export const importsWasi = (names: readonly string[]): boolean => names.some((n) => n.startsWith('wasi:'));
