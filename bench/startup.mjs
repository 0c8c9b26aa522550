// Spawns `serve` pinned to CPU 0 and times, from the spawn, the first 200 of
// GET /health and of GET /api/products?limit=1; polls every millisecond.
//   node bench/startup.mjs BIN DB_URL TOKEN
import { spawn } from 'node:child_process';
import net from 'node:net';

const [bin, db, token] = process.argv.slice(2);
const port = await new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});
const base = `http://127.0.0.1:${port}`;
const limits = ['--rate-limit', '0', '--token-rate-limit', '0', '--max-connections-per-ip', '0'];
const t0 = process.hrtime.bigint();
const server = spawn('taskset', ['-c', '0', bin, 'serve', '--listen', `127.0.0.1:${port}`, '--db', db, ...limits],
  { stdio: 'ignore' });
const ms = () => Number(process.hrtime.bigint() - t0) / 1e6;

async function firstOk(path, headers = {}) {
  for (;;) {
    try {
      const r = await fetch(base + path, { headers });
      if (r.status === 200) { await r.arrayBuffer(); return ms(); }
    } catch { /* not listening yet */ }
    if (ms() > 60000) throw new Error(`no answer from ${path} in 60 s`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

try {
  const health = await firstOk('/health');
  const page = await firstOk('/api/products?limit=1', { authorization: `Bearer ${token}` });
  console.log(`result startup_health_ms=${health.toFixed(1)} first_product_page_ms=${page.toFixed(1)}`);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
}
