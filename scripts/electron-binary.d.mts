export type ElectronBinary = { path: string } | { path: null; reason: string };
export declare function electronBinary(opts?: { download?: boolean }): ElectronBinary;
