// WebAssembly features V8 ships but Node 20 leaves behind a flag. QuickJS-based components
// (componentize-js's qjs backend) use extended constant expressions. Core modules are compiled on
// the main thread, so setting the flag here, before the first compile, covers every guest.
import { setFlagsFromString } from 'node:v8';

let enabled = false;

export function enableWasmFeatures(): void {
  if (enabled) return;
  enabled = true;
  setFlagsFromString('--experimental-wasm-extended-const');
}
