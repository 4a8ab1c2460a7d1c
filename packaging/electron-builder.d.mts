import type { Configuration } from 'electron-builder';
export declare const builderConfig: Configuration & {
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
  directories: { output: string; buildResources: string };
};
