// `limbo(name, handler)`: a limbo handler the proxy runs for players sent to `name` (a server's
// `limbo_handlers` or a send-to-limbo outcome). Sessions reach the plugin only with the `limbo` capability
// and in a decoding proxy mode (offline, client_only).
import { registerLimboHandler } from 'infrarust:plugin/limbo@0.2.3';
import type { HandlerResult, LimboSession, LimboSessionHandle, TimeoutOutcome } from 'infrarust:plugin/limbo@0.2.3';
import { limboHandlers, nextCallbackId, type LimboHandler } from './callbacks';

export type { LimboHandler, LimboSession, LimboSessionHandle, HandlerResult };

export function limbo(name: string, handler: LimboHandler): void {
  const id = nextCallbackId();
  limboHandlers.set(id, handler);
  registerLimboHandler(name, id);
}

/** The handler results, spelled as the contract does. */
export const limboResult = {
  accept: (): HandlerResult => ({ tag: 'accept' }),
  deny: (reason: string): HandlerResult => ({ tag: 'deny', val: reason }),
  hold: (): HandlerResult => ({ tag: 'hold' }),
  holdFor: (ms: number, onTimeout: TimeoutOutcome): HandlerResult => ({ tag: 'hold-with-timeout', val: { afterMs: Math.max(0, Math.round(ms)), onTimeout } }),
  redirect: (server: string): HandlerResult => ({ tag: 'redirect', val: server }),
  sendToLimbo: (handlers: string[]): HandlerResult => ({ tag: 'send-to-limbo', val: handlers }),
};
