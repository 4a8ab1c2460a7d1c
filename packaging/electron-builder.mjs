// electron-builder configuration for `npm run dist` (scripts/dist.mjs): AppImage and deb on Linux, dmg on
// macOS, NSIS on Windows. The package holds only the build (out/: main, preload, renderer, the guest worker
// bundle, the example plugins), wit/ and the production dependencies; never the sources, so the app runs
// the prebuilt worker and keeps its data in the OS's app-data folder (see src/main/index.ts).
import afterPack from './fuses.mjs';

export const builderConfig = {
  appId: 'dev.infrarust.desktop',
  productName: 'Infrarust Desktop',
  executableName: 'infrarust-desktop',
  copyright: 'Infrarust Desktop contributors',
  directories: { output: 'dist', buildResources: 'packaging/resources' },
  files: [
    'package.json',
    'out/**/*',
    'wit/**/*',
    '!out/**/*.map',
    // Build-time only, or run from sources only (the CLI's tsx loader, the worker bundler): never loaded here.
    '!node_modules/tsx/**',
    '!node_modules/esbuild/**',
    '!node_modules/@esbuild/**',
    // minecraft-data's Bedrock half (~395 of its ~500 MB): the proxy speaks Java Edition only, and the
    // package's index reaches each version's files through lazy getters, so nothing asks for them.
    '!node_modules/minecraft-data/minecraft-data/data/bedrock/**',
  ],
  // Worker threads (the guest worker and preview2-shim's own helper worker) are started from real files.
  asarUnpack: ['out/worker/**', 'node_modules/@bytecodealliance/**'],
  asar: true,
  afterPack,
  publish: null,
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Game',
    maintainer: 'Infrarust Desktop contributors',
    synopsis: 'Minecraft proxy control panel with sandboxed WebAssembly plugins',
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  mac: { target: ['dmg'], category: 'public.app-category.utilities', hardenedRuntime: true },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true, artifactName: '${productName}-Setup-${version}.${ext}' },
};
