// The `infrarust-desktop` command as a user runs it: a child process in a folder of its own.
import { execFile, spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempHost, type TempHost } from '../../../test/support/temp-host';

const BIN = fileURLToPath(new URL('../../../bin/infrarust-desktop.mjs', import.meta.url));

function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let host: TempHost;
afterEach(async () => host?.cleanup());

describe('infrarust-desktop check', () => {
  it('exits 0 when every enabled plugin loaded, and reports each plugin as JSON', async () => {
    host = await tempHost();
    await host.addPlugin('minimal');
    await host.addPlugin('uses-ban-service');
    await host.writeConfig('[plugins.uses_ban_service]\npermissions = ["ban"]\n\n[plugins.minimal]\nenabled = false\n');
    const { code, stdout } = await run(['check', '--json'], host.dir);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(true);
    expect(report.plugins.map((p: { id: string; state: string }) => [p.id, p.state])).toEqual([
      ['minimal', 'disabled'],
      ['uses_ban_service', 'enabled'],
    ]);
    expect(report.plugins[1].granted).toContain('ban');
  });

  it('exits 1 and explains why when a plugin fails; text output names id, state and reason', async () => {
    host = await tempHost();
    await host.addPlugin('minimal');
    await host.addPlugin('uses-ban-service');
    const { code, stdout } = await run(['check'], host.dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(/uses_ban_service\s+capability-denied/);
    expect(stdout).toMatch(/reason: capability denied: .*ban-service@0\.2\.3.*`ban`/);
    expect(stdout).toMatch(/minimal\s+enabled/);
    expect(stdout).toMatch(/NOT OK/);
  });

  it('a plugin in a folder named after its id is refused on every run, first and later: exit 1, with the reason', async () => {
    host = await tempHost();
    await host.addPlugin('minimal', 'minimal/minimal.wasm');
    for (const cold of [true, false]) {
      const { code, stdout } = await run(['check', '--json'], host.dir);
      expect(code, cold ? 'cold run' : 'warm run').toBe(1);
      const report = JSON.parse(stdout);
      expect(report.ok).toBe(false);
      expect(report.plugins).toEqual([]);
      expect(report.refused).toEqual([
        { file: join(host.pluginsDir, 'minimal', 'minimal.wasm'), dataFolderOf: 'minimal', reason: expect.stringContaining('Move the file out of it') },
      ]);
    }
    const { code, stdout } = await run(['check'], host.dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(/refused {2}plugins\/minimal\/minimal\.wasm\n {4}reason: .*the data folder of plugin "minimal"/);
    expect(stdout).toMatch(/0 plugin\(s\): 1 refused file\(s\) — NOT OK/);
  });

  it('reads --config relative to the working directory and reports a broken file with line and column', async () => {
    host = await tempHost();
    await host.writeConfig('plugins_dir = "./plugins"\n[plugins.x\n');
    const { code, stdout } = await run(['check', '--config', 'infrarust.toml'], host.dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(/config error: .*infrarust\.toml:2:\d+/);
  });

  it('rejects unknown commands and options with usage', async () => {
    host = await tempHost();
    const { code, stderr } = await run(['check', '--frobnicate'], host.dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option "--frobnicate"[\s\S]*usage: infrarust-desktop/);
  });
});

describe('infrarust-desktop serve', () => {
  it('runs until SIGTERM, logging state changes, then runs on-disable', async () => {
    host = await tempHost();
    await host.addPlugin('minimal');
    await host.writeConfig('bind = "127.0.0.1:0"\n\n[panel]\nbind = "127.0.0.1:0"\n');
    const child = spawn(process.execPath, [BIN, 'serve'], { cwd: host.dir });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not come up:\n${out}`)), 30_000);
      child.stdout.on('data', () => {
        if (/panel: http:\/\/127\.0\.0\.1:\d+\//.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(out).toMatch(/plugin minimal: enabled/);
    expect(out).toMatch(/\[minimal\] info: minimal enabled/);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(out).toMatch(/\[minimal\] info: minimal disabled/);
    expect(out).toMatch(/plugin minimal: disabled — the host shut down/);
  });
});

describe('infrarust-desktop serve with a port it cannot have', () => {
  let blocker: Server | undefined;
  afterEach(() => void blocker?.close());

  async function takePort(): Promise<number> {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
    return (blocker.address() as AddressInfo).port;
  }

  it.each([
    ['proxy', (port: number) => `bind = "127.0.0.1:${port}"\n\n[panel]\nbind = "127.0.0.1:0"\n`, '`bind`'],
    ['panel', (port: number) => `bind = "127.0.0.1:0"\n\n[panel]\nbind = "127.0.0.1:${port}"\n`, '`[panel] bind`'],
  ])('%s port taken: stops everything and exits 1 with one line naming the address and the key', async (_, config, key) => {
    const port = await takePort();
    host = await tempHost();
    await host.addPlugin('minimal');
    await host.writeConfig(config(port));
    const { code, stdout, stderr } = await run(['serve'], host.dir);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      `cannot listen on 127.0.0.1:${port}: address already in use (another program, or another running Infrarust Desktop, holds it); change ${key} in infrarust.toml`,
    ]);
    // What had started was stopped cleanly (on-disable ran) before the exit.
    expect(stdout).toMatch(/plugin minimal: disabled — the host shut down/);
  });
});
