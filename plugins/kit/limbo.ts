// `limbo(name, handler)` for 0.3.0: a limbo handler the proxy runs for players sent to `name` (a server's
// `limbo_handlers` or a send-to-limbo result). Needs the `limbo` capability: without it, or for a name
// another plugin registered, the host refuses and this throws a HostCallError.
import { registerLimboHandler } from 'infrarust:plugin/limbo@0.3.0';
import type { HandlerResult, LimboSession, LimboSessionHandle, TimeoutOutcome } from 'infrarust:plugin/limbo@0.3.0';
import type { Component, ServerId } from 'infrarust:plugin/types@0.3.0';
import { limboHandlers, nextCallbackId, type LimboHandler } from './callbacks';
import { hostCall } from './errors';
import { asComponent } from './text';

export type { LimboHandler, LimboSession, LimboSessionHandle, HandlerResult, TimeoutOutcome };

export function limbo(name: string, handler: LimboHandler): void {
  const id = nextCallbackId();
  limboHandlers.set(id, handler);
  try {
    hostCall(`limbo.register-limbo-handler(${name})`, () => registerLimboHandler(name, id));
  } catch (err) {
    limboHandlers.delete(id);
    throw err;
  }
}

/** The handler results, spelled as the contract does; reasons take a component or plain text. */
export const limboResult = {
  accept: (): HandlerResult => ({ tag: 'accept' }),
  deny: (reason: Component | string): HandlerResult => ({ tag: 'deny', val: asComponent(reason) }),
  hold: (): HandlerResult => ({ tag: 'hold' }),
  holdFor: (ms: number, onTimeout: TimeoutOutcome): HandlerResult => ({ tag: 'hold-with-timeout', val: { afterMs: Math.max(0, Math.round(ms)), onTimeout } }),
  redirect: (server: ServerId): HandlerResult => ({ tag: 'redirect', val: server }),
  sendToLimbo: (handlers: string[]): HandlerResult => ({ tag: 'send-to-limbo', val: handlers }),
};

/** What happens to a held player whose hold times out. */
export const timeoutOutcome = {
  accept: (): TimeoutOutcome => ({ tag: 'accept' }),
  deny: (reason: Component | string): TimeoutOutcome => ({ tag: 'deny', val: asComponent(reason) }),
  redirect: (server: ServerId): TimeoutOutcome => ({ tag: 'redirect', val: server }),
  sendToLimbo: (handlers: string[]): TimeoutOutcome => ({ tag: 'send-to-limbo', val: handlers }),
};
