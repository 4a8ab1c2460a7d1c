// What a codec store links (§4.8), with the real WASI shims: clocks and random answer; the filesystem, sockets,
// HTTP and the plugin imports other than log (and config-service reads) trap when called, never at linking.
import { describe, expect, it } from 'vitest';
import { codecStoreImports } from './codec-store-imports';
import { loadWasiShims } from './wasi-shims';

type Fn = (...args: unknown[]) => unknown;

describe('codec store imports', async () => {
  const wasi = await loadWasiShims();
  const lines: string[] = [];
  const hostCalls: string[] = [];
  const imports = codecStoreImports({ info: (m: string) => lines.push(m) }, (iface, fn) => hostCalls.push(`${iface}.${fn}`), wasi);
  const fn = (key: string, name: string) => imports[key]![name] as Fn;

  it('answers WASI clocks and random, and log', () => {
    expect(fn('wasi:clocks/wall-clock', 'now')()).toMatchObject({ seconds: expect.any(BigInt) });
    expect(typeof fn('wasi:clocks/monotonic-clock', 'now')()).toBe('bigint');
    expect((fn('wasi:random/random', 'getRandomBytes')(8n) as Uint8Array).length).toBe(8);
    fn('infrarust:plugin/log', 'info')('hello');
    expect(lines).toEqual(['hello']);
  });

  it('traps on the filesystem, sockets, HTTP and other plugin imports, but only when called', () => {
    for (const [key, name] of [
      ['wasi:filesystem/preopens', 'getDirectories'],
      ['wasi:sockets/tcp-create-socket', 'createTcpSocket'],
      ['wasi:http/outgoing-handler', 'handle'],
      ['infrarust:plugin/event-bus', 'subscribe'],
      ['infrarust:plugin/players', 'get'],
      ['infrarust:plugin/config-service', 'writeProxyConfigDocument'],
    ] as const) {
      const f = fn(key, name);
      expect(typeof f).toBe('function');
      expect(() => f()).toThrow(WebAssembly.RuntimeError);
      expect(() => f()).toThrow(`a codec filter cannot call ${key}#${name}`);
    }
    // A resource constructor and a static function of a trapping interface trap too.
    const Fields = imports['wasi:http/types']!.Fields as unknown as { new (): unknown; fromList: Fn };
    expect(() => new Fields()).toThrow(WebAssembly.RuntimeError);
    expect(() => Fields.fromList([])).toThrow(WebAssembly.RuntimeError);
    expect(hostCalls).toEqual([]);
  });

  it('forwards config-service reads to the host (this host’s one extension)', () => {
    fn('infrarust:plugin/config-service', 'getValue')('plugins.x.settings.words');
    expect(hostCalls).toEqual(['config-service.getValue']);
  });
});
