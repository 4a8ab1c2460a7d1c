// WASI for a guest, from preview2-shim, configured for the sandbox: an empty environment, no
// arguments, exit turned into a trap, and a filesystem that is exactly the plugin's data folder.
// Loaded only for components that import WASI: the shim starts a helper thread of its own.
import { confineSymlinks } from './symlink-guard';

type ShimModule = Record<string, unknown>;
interface Filesystem {
  types: { Descriptor: { prototype: { symlinkAt(target: string, path: string): void } } };
  preopens: { getDirectories(): unknown[] };
}

export interface WasiShims {
  /** The import object for a `wasi:<package>/<interface>` key, or undefined when not provided. */
  lookup(key: string): Record<string, unknown> | undefined;
  /** Preopens `dataDir` as `/` for instances created from now on; null gives no filesystem. */
  setRoot(dataDir: string | null): void;
}

export async function loadWasiShims(): Promise<WasiShims> {
  const [cli, clocks, filesystem, io, random] = await Promise.all([
    import('@bytecodealliance/preview2-shim/cli'),
    import('@bytecodealliance/preview2-shim/clocks'),
    import('@bytecodealliance/preview2-shim/filesystem'),
    import('@bytecodealliance/preview2-shim/io'),
    import('@bytecodealliance/preview2-shim/random'),
  ]);
  cli._setEnv({});
  cli._setArgs([]);
  cli._setCwd('/');
  // The Node build of createFilesystem takes host paths; the package's types describe the browser build.
  const createFilesystem = filesystem.createFilesystem as unknown as (opts: { preopens: Record<string, string> }) => Filesystem;
  const none = createFilesystem({ preopens: {} });
  confineSymlinks(none.types.Descriptor);
  let fs = none;
  const exitTrap = () => {
    throw new WebAssembly.RuntimeError('guest called wasi:cli/exit');
  };
  const packages: Record<string, ShimModule> = {
    cli: { ...cli, exit: { exit: exitTrap, exitWithCode: exitTrap } },
    clocks,
    filesystem: {
      ...filesystem,
      types: none.types,
      // Read at call time: each instance sees the preopens it was created with.
      preopens: { getDirectories: () => fs.preopens.getDirectories() },
    },
    io,
    random,
  };
  const camel = (s: string): string => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return {
    lookup(key) {
      const m = /^wasi:([a-z]+)\/([a-z-]+)$/.exec(key);
      return m ? (packages[m[1]!]?.[camel(m[2]!)] as Record<string, unknown> | undefined) : undefined;
    },
    setRoot(dataDir) {
      fs = dataDir ? createFilesystem({ preopens: { '/': dataDir } }) : none;
    },
  };
}
