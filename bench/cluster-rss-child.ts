// One side of the cluster bench's RSS figure: a proxy alone, or (with a Redis URL as argument) a proxy with
// its cluster node, started, idle for two heartbeats, then measured after a GC. Prints RSS in bytes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProxy } from '../src/main/proxy/proxy.ts';

const redis = process.argv[2];
const dir = await mkdtemp(join(tmpdir(), 'cluster-rss-'));
const proxy = createProxy({
  settings: {
    bind: '127.0.0.1:0',
    serversDir: join(dir, 'servers'),
    connectTimeoutMs: 5000,
    maxConnections: 100,
    unknownDomainBehavior: 'drop',
    defaultMotd: { text: 'x', versionName: 'x', maxPlayers: 1 },
    dataDir: join(dir, 'data'),
    sessionServer: 'https://sessionserver.mojang.com',
  },
  dispatcher: { hasListeners: () => false, dispatch: async () => [] },
  log: () => undefined,
  probeIntervalMs: 3_600_000,
});
const { port } = await proxy.start();
let stop = async () => undefined as void;
if (redis) {
  // Loaded only on this side, as the figure is what cluster mode adds.
  const { ClusterNode } = await import('../src/main/cluster/cluster-node.ts');
  const { clusterLocal } = await import('../src/main/host/cluster-wiring.ts');
  const node = new ClusterNode(
    { redis, proxyId: `rss-${process.pid}`, heartbeatMs: 100, deadAfterMs: 1000, duplicateLogin: 'refuse_new' },
    clusterLocal(proxy, () => `127.0.0.1:${port}`, async () => ({ ok: false, output: '' }), () => undefined),
  );
  await node.start();
  stop = () => node.stop();
}
await new Promise((r) => setTimeout(r, 300));
global.gc?.();
process.stdout.write(`${process.memoryUsage().rss}\n`);
await stop();
await proxy.stop();
await rm(dir, { recursive: true, force: true });
