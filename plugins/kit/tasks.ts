// `every(ms, fn)` and `after(ms, fn)` for 0.3.0, through the scheduler (capability `scheduler`). The host
// calls back on-scheduled-task; times are wall-clock milliseconds. A refusal (e.g. limit-exceeded past
// 1024 live tasks) throws a HostCallError.
import { cancel, delay, interval } from 'infrarust:plugin/scheduler@0.3.0';
import { nextCallbackId, tasks } from './callbacks';
import { hostCall } from './errors';

/**
 * Runs `fn` every `ms` milliseconds (the first run after `firstAfterMs`, by default one period) until the
 * returned function is called or the plugin stops.
 */
export function every(ms: number, fn: () => void, firstAfterMs?: number): () => void {
  const id = nextCallbackId();
  tasks.set(id, fn);
  const first = firstAfterMs === undefined ? undefined : Math.max(0, Math.round(firstAfterMs));
  const handle = hostCall('scheduler.interval', () => interval(Math.max(1, Math.round(ms)), first, id));
  return () => {
    hostCall('scheduler.cancel', () => cancel(handle));
    tasks.delete(id);
  };
}

/** Runs `fn` once after `ms` milliseconds unless the returned function is called first. */
export function after(ms: number, fn: () => void): () => void {
  const id = nextCallbackId();
  tasks.set(id, () => {
    tasks.delete(id);
    fn();
  });
  const handle = hostCall('scheduler.delay', () => delay(Math.max(0, Math.round(ms)), id));
  return () => {
    hostCall('scheduler.cancel', () => cancel(handle));
    tasks.delete(id);
  };
}
