// Native plugins: a JavaScript module named by `[plugins.<id>] path`, our equivalent of a plugin
// compiled into the proxy. It runs in-process with every capability and is NOT sandboxed: no CPU
// deadline can interrupt it and it can reach anything Node can.
//
// The module's default export is `(host) => guest`: `host` holds the same import objects a WASM
// guest gets (keyed by interface name: host.log.info(...), host['event-bus'].subscribe(...); resource
// methods by class with the resource id first: host['player-registry'].Player.sendMessage(id, text)), and
// `guest` implements the guest interface's functions in camelCase (metadata, onEnable, ...).
// onEnable/onDisable signal err(message) by throwing a string.
import { pathToFileURL } from 'node:url';
import { HOST_TABLES } from '../guest/host-interfaces';
import { GuestFailure, type HostCallHandler } from '../guest/guest-process';
import type { GuestExport } from '../guest/worker-protocol';
import type { GuestHandle } from './guest-handle';

type NativeGuest = Partial<Record<GuestExport, (...args: unknown[]) => unknown>>;

export async function loadNativePlugin(path: string, onHostCall: HostCallHandler): Promise<GuestHandle> {
  let factory: unknown;
  try {
    factory = ((await import(pathToFileURL(path).href)) as { default?: unknown }).default;
  } catch (err) {
    throw new GuestFailure('instantiate', `cannot load native plugin module ${path}: ${(err as Error).message}`);
  }
  if (typeof factory !== 'function') {
    throw new GuestFailure('instantiate', `native plugin module ${path} must export a default function (host) => guest`);
  }
  const host: Record<string, Record<string, unknown>> = {};
  // Native plugins speak the 0.2.3 contract's calls.
  for (const [iface, fns] of Object.entries(HOST_TABLES['0.2.3']!.functions)) {
    host[iface] = Object.fromEntries(fns.map((fn) => [fn, (...args: unknown[]) => onHostCall(iface, fn, args)]));
  }
  // Resource methods take the resource's id first: host['player-registry'].Player.sendMessage(id, message).
  for (const [iface, classes] of Object.entries(HOST_TABLES['0.2.3']!.resources)) {
    for (const [cls, methods] of Object.entries(classes)) {
      host[iface]![cls] = Object.fromEntries(methods.map((m: string) => [m, (id: unknown, ...args: unknown[]) => onHostCall(iface, `${cls}.${m}`, [id, ...args])]));
    }
  }
  let guest: NativeGuest | null = null;
  return {
    async instantiate() {
      try {
        guest = (factory as (h: unknown) => NativeGuest)(host);
      } catch (err) {
        throw new GuestFailure('instantiate', `native plugin ${path} failed to start: ${(err as Error).message}`);
      }
    },
    async call(fn, args) {
      const f = guest?.[fn];
      if (!f) {
        if (fn === 'metadata' || fn === 'onEnable') throw new GuestFailure('instantiate', `native plugin ${path} does not implement ${fn}`);
        return undefined;
      }
      try {
        return await f.apply(guest, args);
      } catch (err) {
        if (err instanceof Error) throw new GuestFailure('trap', `native plugin threw: ${err.message}`);
        throw new GuestFailure('err', String(err));
      }
    },
    async terminate() {
      guest = null;
    },
  };
}
