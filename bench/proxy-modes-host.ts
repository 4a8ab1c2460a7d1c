// The proxy alone in a fresh process, for bench/proxy-modes.ts's memory figure: the parent tells it where
// the servers are, then asks for settled memory figures while players come and go.
import { startModesProxy } from './proxy-modes.ts';

const { port } = await startModesProxy(process.argv[2]!);
/** After GC, once RSS stops moving (V8 hands pages back lazily, so one GC is not enough). */
const settled = async () => {
  let last = 0;
  for (let i = 0; i < 30; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 500));
    const rss = process.memoryUsage().rss;
    if (i >= 3 && Math.abs(rss - last) < 256 * 1024) break;
    last = rss;
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external };
};
process.on('message', async (m: { id: number; cmd: 'memory' }) => {
  if (m.cmd === 'memory') process.send!({ id: m.id, value: await settled() });
});
process.send!({ ready: port });
