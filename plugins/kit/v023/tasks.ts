// `every(ms, fn)` and `after(ms, fn)` through the scheduler (capability `scheduler`). The host calls back
// on-scheduled-task; times are wall-clock milliseconds.
import { cancel, delay, interval } from 'infrarust:plugin/scheduler@0.2.3';
import { nextCallbackId, tasks } from './callbacks';

/** Runs `fn` every `ms` milliseconds until the returned function is called (or the plugin stops). */
export function every(ms: number, fn: () => void): () => void {
  const id = nextCallbackId();
  tasks.set(id, fn);
  const handle = interval(Math.max(1, Math.round(ms)), id);
  return () => {
    cancel(handle);
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
  const handle = delay(Math.max(0, Math.round(ms)), id);
  return () => {
    cancel(handle);
    tasks.delete(id);
  };
}
