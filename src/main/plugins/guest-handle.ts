// What the plugin manager drives: a sandboxed WASM guest (GuestProcess) or a trusted native module.
import type { GuestExport, GuestUsage } from '../guest/worker-protocol';

export interface GuestHandle {
  /** Memory and dropped log lines as of the last call (WASM guests only). */
  readonly usage?: GuestUsage;
  instantiate(linked: string[] | 'all' | 'codec-store', dataDir: string | null, timeoutMs: number): Promise<void>;
  call(fn: GuestExport, args: unknown[], timeoutMs: number): Promise<unknown>;
  terminate(): Promise<void>;
}
