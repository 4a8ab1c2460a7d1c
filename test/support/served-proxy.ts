// `infrarust-desktop serve` in a folder of its own, driven through its control API over the panel's WebSocket:
// the real host, proxy and panel as a user runs them, for tests of several proxies in one network.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { ControlMethod, ControlParams, ControlResult, WsServerMessage } from '../../src/shared/control-api';

const BIN = fileURLToPath(new URL('../../bin/infrarust-desktop.mjs', import.meta.url));

export interface ServedProxy {
  dir: string;
  proxyPort: number;
  output(): string;
  call<M extends ControlMethod>(method: M, ...params: ControlParams<M> extends void ? [] : [ControlParams<M>]): Promise<ControlResult<M>>;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no goodbye to the network. */
  kill(): Promise<void>;
  cleanup(): Promise<void>;
}

/** Starts a host whose infrarust.toml is `config` (bind and panel on free ports are added) with `servers` files. */
export async function serveProxy(config: string, servers: Record<string, string>): Promise<ServedProxy> {
  const dir = await mkdtemp(join(tmpdir(), 'served-proxy-'));
  await mkdir(join(dir, 'servers'));
  await mkdir(join(dir, 'plugins'));
  for (const [id, text] of Object.entries(servers)) await writeFile(join(dir, 'servers', `${id}.toml`), text);
  await writeFile(join(dir, 'infrarust.toml'), `bind = "127.0.0.1:0"\n${config}\n[panel]\nbind = "127.0.0.1:0"\n`);
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => void (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => void (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not come up:\n${out}`)), 60_000);
    const look = () => {
      const m = /proxy listening on 127\.0\.0\.1:(\d+);[\s\S]*panel: (http:\/\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', look);
      resolve(m);
    };
    child.stdout!.on('data', look);
    void exited.then((code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
  const ws = new WebSocket(ready[2].replace(/^http/, 'ws').replace(/\/(\?.*)?$/, '/api$1'));
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waiting = new Map<number, (m: WsServerMessage) => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as WsServerMessage;
    if ('id' in m && m.id !== null) waiting.get(m.id)?.(m);
  });
  let nextId = 1;
  return {
    dir,
    proxyPort: Number(ready[1]),
    output: () => out,
    call: (method, ...params) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, (m) => {
          waiting.delete(id);
          if ('ok' in m && m.ok) resolve(m.result as never);
          else reject(new Error(`${method}: ${'error' in m ? m.error : 'failed'}`));
        });
        ws.send(JSON.stringify({ id, method, params: params[0] }));
      }),
    async stop() {
      ws.close();
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      ws.terminate();
      child.kill('SIGKILL');
      await exited;
    },
    async cleanup() {
      ws.terminate();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
