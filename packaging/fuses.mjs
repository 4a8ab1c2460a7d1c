// Electron fuses, flipped in the packaged binary right after electron-builder lays the app out (afterPack,
// before any signing): the packaged app cannot be turned into a plain Node runtime or debugged through
// flags or NODE_OPTIONS, and it runs only the app.asar it shipped with (integrity-checked where Electron
// supports it: macOS and Windows).
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

/** Each fuse we set, by its @electron/fuses name. Fuses not listed keep Electron's default. */
export const FUSES = {
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  GrantFileProtocolExtraPrivileges: false,
};

/** FUSES as @electron/fuses takes them (keyed by wire position). */
export function fuseConfig(platform, arch) {
  const config = { version: FuseVersion.V1 };
  for (const [name, value] of Object.entries(FUSES)) {
    if (!(name in FuseV1Options)) throw new Error(`unknown Electron fuse ${name}`);
    config[FuseV1Options[name]] = value;
  }
  // Flipping fuses breaks an arm64 Mac binary's ad-hoc signature; electron-builder signs after this hook.
  if (platform === 'darwin' && arch === 'arm64') config.resetAdHocDarwinSignature = true;
  return config;
}

/** The file holding the fuse wire in an app laid out by electron-builder. */
export function packagedBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const product = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${product}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${product}.exe`);
  return join(appOutDir, packager.executableName);
}

const ARCH_NAMES = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

/** electron-builder's afterPack hook. */
export default async function afterPack(context) {
  const arch = ARCH_NAMES[context.arch] ?? String(context.arch);
  await flipFuses(packagedBinary(context), fuseConfig(context.electronPlatformName, arch));
}
