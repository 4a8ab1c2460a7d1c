// `infrarust-desktop serve` as a child process: the real host, proxy and headless panel, exactly as a user
// runs them. Its output is kept for the report of a failed test.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/infrarust-desktop.mjs', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

export interface ServedHost {
  panelUrl: string;
  proxyPort: number;
  output(): string;
  /** SIGTERM, as a service manager would; resolves with the exit code (null: it had to be killed). */
  stop(): Promise<number | null>;
}

export async function serve(dataDir: string): Promise<ServedHost> {
  const child = spawn(process.execPath, [BIN, 'serve', '--data', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  try {
    const [, proxyPort, panelUrl] = await new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('serve did not print its panel URL in time')), START_TIMEOUT_MS);
      const look = () => {
        const ready = output.match(/proxy listening on 127\.0\.0\.1:(\d+);[\s\S]*panel: (http:\/\/\S+)/);
        if (!ready) return;
        clearTimeout(timer);
        child.stdout!.off('data', look);
        resolve(ready);
      };
      child.stdout!.on('data', look);
      void exited.then((code) => reject(new Error(`serve exited early with code ${code}`)));
    });
    return { panelUrl: panelUrl!, proxyPort: Number(proxyPort), output: () => output, stop: () => stop(child, exited) };
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${output}`);
  }
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  const code = await exited;
  clearTimeout(timer);
  return code;
}
