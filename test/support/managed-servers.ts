// What the server-manager tests share: the managed "server" fixture (a real minecraft-protocol server printing
// Minecraft's ready line and obeying `stop` on stdin) and whether a process it became still runs.
import { fileURLToPath } from 'node:url';

export const MANAGED_SERVER = fileURLToPath(new URL('../fixtures/servers/managed-server.mjs', import.meta.url));

/** True while the process exists (signal 0 checks without signalling). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
