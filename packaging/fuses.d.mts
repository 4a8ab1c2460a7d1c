import type { FuseConfig, FuseV1Options } from '@electron/fuses';
export declare const FUSES: Partial<Record<keyof typeof FuseV1Options, boolean>>;
export declare function fuseConfig(platform: string, arch: string): FuseConfig & Partial<Record<FuseV1Options, boolean>>;
export declare function packagedBinary(context: {
  appOutDir: string;
  electronPlatformName: string;
  packager: { appInfo: { productFilename: string }; executableName: string };
}): string;
export default function afterPack(context: unknown): Promise<void>;
