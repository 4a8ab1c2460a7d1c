// Checks on a dropped file that need no parsing: shared so the panel refuses at once what the host
// would refuse anyway (the host still checks everything itself).

// Characters no file name may hold on some platform we support, plus every control character.
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f\u007f]/;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;
const MAX_NAME_LENGTH = 200;

/** Why `name` cannot be a plugin file name in plugins_dir, or null when it can. */
export function pluginFileNameProblem(name: string): string | null {
  if (name.length === 0) return 'the file has no name';
  if (name.length > MAX_NAME_LENGTH) return `its name is longer than ${MAX_NAME_LENGTH} characters`;
  if (FORBIDDEN.test(name)) return 'its name holds a folder separator or a character file names cannot have';
  if (name.startsWith('.')) return 'its name starts with a dot (hidden files and folder parts are not accepted)';
  if (!name.endsWith('.wasm')) return 'it is not a .wasm file';
  const stem = name.slice(0, -'.wasm'.length);
  if (stem.length === 0 || /[ .]$/.test(stem)) return 'its name must have a stem that does not end in a dot or a space';
  if (WINDOWS_RESERVED.test(stem)) return `"${stem}" is a reserved device name`;
  return null;
}

export function uploadSizeProblem(size: number, max: number): string | null {
  if (size === 0) return 'the file is empty';
  if (size > max) return `it is ${formatBytes(size)}, above the ${formatBytes(max)} limit`;
  return null;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
