import { compare } from './compare';
import { pipeProxy, startWorker } from './proxy-load';
const w = await startWorker();
const p = await pipeProxy(w.sinkPort);
const q = await pipeProxy(w.sinkPort);
const prefix = Buffer.from([0]);
const mk = (mb: number, k: number, port: number) => async () => {
  const bytes = mb * 1024 * 1024;
  let best = 0;
  for (let i = 0; i < k; i++) best = Math.max(best, bytes / (await w.run<number>('upload', { port, prefix, bytes })));
  return best;
};
for (const [mb, k, pairs] of [[8, 3, 30], [16, 1, 40], [4, 5, 30]] as const) {
  const pm: string[] = [];
  for (let r = 0; r < 6; r++) {
    const t = performance.now();
    const c = await compare(mk(mb, k, p.port), mk(mb, k, r % 2 ? q.port : p.port), { pairs, warmup: 4 });
    pm.push(`${c.ratio.median.toFixed(3)}[${(c.ratio.q3 - c.ratio.q1).toFixed(2)}] ${(performance.now() - t).toFixed(0)}ms`);
  }
  console.log(mb, k, pairs, pm.join(' | '));
}
p.server.close(); q.server.close(); await w.stop();
