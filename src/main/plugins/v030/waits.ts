// How long a waiting host call waits (§4.3): until its answer, `host_call_timeout` (30 s; switch-server
// 250 ms), or a margin before the caller's deadline — a fifth of the budget, at most 250 ms — whichever
// comes first. Guest calls here run under `[wasm] call_timeout_ms`, so that is the budget.
import { hostErr, type HostResult } from './contract-030';

export const HOST_CALL_TIMEOUT_MS = 30_000;
export const SWITCH_SERVER_WAIT_MS = 250;

export function waitLimitMs(callTimeoutMs: number, cap = HOST_CALL_TIMEOUT_MS): number {
  const margin = Math.min(callTimeoutMs / 5, 250);
  return Math.max(0, Math.min(cap, callTimeoutMs - margin));
}

/** The call's answer, or `timeout` after `ms` (the work itself goes on: a move is not undone). */
export function within<V>(answer: Promise<HostResult<V>>, ms: number, what: string): Promise<HostResult<V>> {
  return answerOr(answer, ms, () => hostErr('timeout', `${what} did not finish within ${ms} ms`));
}

/** The answer, or `expired()` after `ms` if it has not come by then. */
export function answerOr<V>(answer: Promise<V>, ms: number, expired: () => V): Promise<V> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<V>((resolve) => {
    timer = setTimeout(() => resolve(expired()), ms);
  });
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}
