// Minecraft peers for bench/proxy-modes.ts, in a child process so their CPU and memory stay out of the
// proxy's: minecraft-protocol backends (which stream chunk-sized packets to "dl" players) and clients.
// Commands arrive over IPC; each answers with one message.
const mc = require('minecraft-protocol');
const net = require('node:net');
const { performance } = require('node:perf_hooks');

const CHUNK = Buffer.alloc(32 * 1024);
for (let i = 0; i < CHUNK.length; i++) CHUNK[i] = (i * 31 + (i >> 7)) & 0xff; // compresses about as chunk data does
const stay = [];

function backend(version, downloadBytes) {
  return new Promise((resolve) => {
    const server = mc.createServer({ 'online-mode': false, host: '127.0.0.1', port: 0, version, hideErrors: true });
    const data = require('minecraft-data')(version);
    server.on('playerJoin', (client) => {
      client.write('login', { ...(data.loginPacket ?? { gameMode: 0, dimension: 0, difficulty: 1, maxPlayers: 20, levelType: 'default', reducedDebugInfo: false }), entityId: 1 });
      if (!client.username.startsWith('dl')) return;
      let left = downloadBytes;
      const go = () => {
        // minecraft-protocol has no write backpressure: keep about 1 MB queued on the socket.
        while (left > 0 && client.socket.writableLength < 1 << 20) {
          client.write('custom_payload', { channel: 'bench:chunk', data: CHUNK });
          left -= CHUNK.length;
        }
        if (left > 0 && !client.socket.destroyed) setTimeout(go, 1);
      };
      go();
    });
    server.on('listening', () => resolve(server.socketServer.address().port));
  });
}

function client(port, host, username, version) {
  const c = mc.createClient({ host, port, username, version, auth: 'offline', hideErrors: true, connect: (cl) => cl.setSocket(net.connect(port, '127.0.0.1')) });
  c.on('error', () => undefined);
  return c;
}

async function download({ port, host, version, bytes }) {
  const c = client(port, host, `dl${Math.floor(Math.random() * 1e6)}`, version);
  return new Promise((resolve, reject) => {
    let got = 0;
    let started = 0;
    c.on('custom_payload', (p) => {
      if (p.channel !== 'bench:chunk') return;
      if (started === 0) started = performance.now();
      got += p.data.length;
      if (got >= bytes) {
        const ms = performance.now() - started;
        c.end();
        resolve({ ms, bytes: got });
      }
    });
    c.on('end', () => got < bytes && reject(new Error(`download ended after ${got} bytes`)));
  });
}

async function idle({ port, host, version, count, concurrency }) {
  let next = 0;
  let joined = 0;
  const one = () =>
    new Promise((resolve, reject) => {
      const c = client(port, host, `idle${next++}`, version);
      const timer = setTimeout(() => reject(new Error('join timed out')), 30000);
      c.once('login', () => {
        clearTimeout(timer);
        stay.push(c);
        joined++;
        resolve();
      });
      c.once('end', () => reject(new Error('ended before joining')));
    });
  const workers = Array.from({ length: concurrency }, async () => {
    while (next < count) await one();
  });
  await Promise.all(workers);
  return { joined };
}

/** Joins once and reports when the first packet of the next configuration phase or Join Game arrives. */
const watched = new Map();
async function join({ port, host, version, username }) {
  const c = client(port, host, username, version);
  await new Promise((resolve, reject) => {
    c.once('login', resolve);
    c.once('end', () => reject(new Error('ended before joining')));
  });
  const w = { c, waiting: null, logins: 1 };
  c.on('packet', (_d, meta) => {
    // After a switch the first packet from the new server is a configuration packet (1.20.2+) or Join Game (1.8).
    const fromNew = meta.state === 'configuration' || (meta.name === 'login' && ++w.logins > 1);
    if (fromNew && w.waiting) {
      w.waiting(performance.now() + performance.timeOrigin);
      w.waiting = null;
    }
  });
  watched.set(username, w);
  return { ok: true };
}

function nextServerPacket({ username }) {
  const w = watched.get(username);
  return new Promise((resolve) => (w.waiting = (t) => resolve({ at: t })));
}

function leaveAll() {
  for (const c of stay.splice(0)) c.end();
  for (const [name, w] of watched) {
    w.c.end();
    watched.delete(name);
  }
  return { ok: true };
}

const commands = { backend: (m) => backend(m.version, m.downloadBytes ?? 0).then((port) => ({ port })), download, idle, join, nextServerPacket, leaveAll };
process.on('message', async (m) => {
  try {
    process.send({ id: m.id, ok: true, value: await commands[m.cmd](m) });
  } catch (err) {
    process.send({ id: m.id, ok: false, error: String(err && err.message) });
  }
});
