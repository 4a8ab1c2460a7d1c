// `server-manager.start` / `stop` answers in each contract's error shape. Both are waiting calls: the
// answer comes once the server is running (stopped), or the wait ends first and the start goes on.
import type { ServiceError, WitResult } from '../contract/guest-types';
import type { ManageResult } from '../proxy/server-manager';
import { hostErr, ok, type HostResult } from './v030/contract-030';
import { answerOr, HOST_CALL_TIMEOUT_MS, within } from './v030/waits';

const TIMED_OUT = Symbol('timed out');

/** 0.2.3: `result<_, service-error>`, bounded by upstream's 30 s for start and stop. */
export async function manageResult023(answer: Promise<ManageResult>, what: string): Promise<WitResult<void, ServiceError>> {
  const r = await answerOr<ManageResult | typeof TIMED_OUT>(answer, HOST_CALL_TIMEOUT_MS, () => TIMED_OUT);
  if (r === TIMED_OUT) return { tag: 'err', val: { tag: 'unavailable', val: `${what} did not finish within ${HOST_CALL_TIMEOUT_MS / 1000} s (it goes on)` } };
  if (r.ok) return { tag: 'ok', val: undefined };
  const tag = r.kind === 'not-found' ? 'not-found' : r.kind === 'unsupported' ? 'unavailable' : 'operation-failed';
  return { tag: 'err', val: { tag, val: r.message } };
}

/** 0.3.0: `result<_, host-error>` within the call's wait limit (§4.3). */
export function manageResult030(answer: Promise<ManageResult>, limitMs: number, what: string): Promise<HostResult<undefined>> {
  const mapped = answer.then((r): HostResult<undefined> => (r.ok ? ok(undefined) : hostErr(r.kind === 'failed' ? 'unavailable' : r.kind, r.message)));
  return within(mapped, limitMs, what);
}
