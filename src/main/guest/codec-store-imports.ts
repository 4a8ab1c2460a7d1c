// What a codec store links (§4.8 "Separate store"): `log` (rate-limited by the worker), WASI clocks and random,
// and the plumbing they need (io streams and polls, an empty environment, stdout and stderr as log lines).
// The filesystem, sockets, HTTP and every other plugin import are there, so the component instantiates, but
// any call to them traps. One host extension: `config-service` reads (not its write) are answered, so a
// filter can read its plugin's settings (the reference traps them; a filter relying on it is ours only).
import { CONTRACT_IMPORT_PREFIX } from './host-interfaces';
import type { WasiShims } from './wasi-shims';

/** Host calls a codec instance may make (the extension above): interface → its read functions. */
export const CODEC_STORE_HOST_CALLS: Readonly<Record<string, readonly string[]>> = {
  'config-service': ['getValue', 'getServer', 'getServerByDomain', 'listServers', 'getServerDocument', 'listServerSources', 'getProxyConfigDocument', 'getEffectiveProxyConfigDocument'],
};

/** WASI packages a codec instance may use; everything else traps. */
const WASI_ALLOWED = new Set(['clocks', 'random', 'io', 'cli']);

/** Thrown by every import a codec instance may not call: the guest sees a trap. */
function trapper(name: string): unknown {
  // A function (not an arrow) so that the proxy's construct trap applies.
  const trap = function (): never {
    throw new WebAssembly.RuntimeError(`a codec filter cannot call ${name}`);
  };
  // Callable and constructible (resource constructors), and any static member is a trap too.
  return new Proxy(trap, {
    apply: trap,
    construct: trap,
    get: (target, key) => (typeof key === 'symbol' || key === 'prototype' ? Reflect.get(target, key) : trapper(`${name}.${key}`)),
  });
}

function trappingInterface(key: string): Record<string, unknown> {
  return new Proxy({} as Record<string, unknown>, {
    get: (_, name) => (typeof name === 'symbol' ? undefined : trapper(`${key}#${name}`)),
  });
}

/**
 * The import object of a codec store: `log` is `logImports` (the worker's own, rate-limited), `types` has no
 * functions; other contract interfaces and WASI packages outside WASI_ALLOWED trap when called.
 */
export function codecStoreImports(
  logImports: Record<string, unknown>,
  hostCall: (iface: string, fn: string, args: unknown[]) => unknown,
  wasi: WasiShims | null,
): Record<string, Record<string, unknown>> {
  const cache = new Map<string, Record<string, unknown>>();
  const resolve = (key: string): Record<string, unknown> | undefined => {
    if (key.startsWith(CONTRACT_IMPORT_PREFIX)) {
      const iface = key.slice(CONTRACT_IMPORT_PREFIX.length);
      if (iface === 'log') return logImports;
      if (iface === 'types') return {};
      const allowed = CODEC_STORE_HOST_CALLS[iface];
      if (!allowed) return trappingInterface(key);
      const calls = trappingInterface(key);
      return new Proxy({} as Record<string, unknown>, {
        get: (_, fn) => (typeof fn === 'string' && allowed.includes(fn) ? (...args: unknown[]) => hostCall(iface, fn, args) : calls[fn as string]),
      });
    }
    const pkg = /^wasi:([a-z]+)\//.exec(key)?.[1];
    if (pkg && WASI_ALLOWED.has(pkg)) return wasi?.lookup(key);
    return trappingInterface(key);
  };
  return new Proxy({} as Record<string, Record<string, unknown>>, {
    get(_, key) {
      if (typeof key === 'symbol') return undefined;
      if (!cache.has(key)) {
        const value = resolve(key);
        if (!value) return undefined;
        cache.set(key, value);
      }
      return cache.get(key);
    },
  });
}
