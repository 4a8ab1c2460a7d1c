// What the plugin manager drives: a sandboxed WASM guest (GuestProcess) or a trusted native module.
import type { GuestExport } from '../guest/worker-protocol';

export interface GuestHandle {
  instantiate(linked: string[] | 'all', dataDir: string | null, timeoutMs: number): Promise<void>;
  call(fn: GuestExport, args: unknown[], timeoutMs: number): Promise<unknown>;
  terminate(): Promise<void>;
}
