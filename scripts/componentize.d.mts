// Types for componentize.mjs (plain JS so the fixture build runs without a TypeScript loader).
export type Backend = 'starlingmonkey' | 'quickjs';
export declare const witDir: URL;
export declare const witFiles: string[];
export declare const ENGINE_WASI_VERSION: Record<Backend, string>;
export declare function pluginWitSource(version?: string, extra?: string, contract?: string, functions?: Record<string, readonly string[] | '*'> | null): string;
export declare function keepFunctions(body: string, functions: Record<string, readonly string[] | '*'>): string;
export declare function pluginWorld(name: string, imports: string[]): string;
export declare function wasiWitSource(packages: string[], version: string): string;
export declare function backendToolVersion(backend: Backend): string;
export declare function componentizeJs(opts: {
  backend: Backend;
  sourcePath: string;
  witSource: string;
  world: string;
  disableFeatures?: string[];
}): Promise<Uint8Array>;
