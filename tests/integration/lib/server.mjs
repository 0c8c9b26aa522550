// Starts a real `shelfsync serve` on a temp SQLite db and drives its CLI.
// Every test file starts its own server, so files may run concurrently.

import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..', '..');
export const BIN = process.env.SHELFSYNC_BIN
  ? path.resolve(process.env.SHELFSYNC_BIN)
  : path.join(REPO_ROOT, 'build', 'shelfsync');

const READY_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 10000;

// Children still running when this process exits are killed so a failing
// test never leaves a server behind.
const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Runs the CLI; resolves with stdout, rejects (with stderr in the message) on
// a non-zero exit.
export function runCli(args, { timeoutMs = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(BIN, args, { timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) {
        err.message = `shelfsync ${args.join(' ')} failed: ${err.message}\nstdout: ${stdout}\nstderr: ${stderr}`;
        reject(err);
      } else {
        resolve(stdout);
      }
    });
  });
}

function lastJsonLine(stdout) {
  const lines = stdout.trim().split('\n').filter((l) => l.trim().startsWith('{'));
  if (lines.length === 0) throw new Error(`no JSON in CLI output: ${stdout}`);
  return JSON.parse(lines[lines.length - 1]);
}

export async function createTenant(dbPath, name) {
  const out = await runCli(['tenant', 'create', name, '--db', `sqlite:${dbPath}`, '--json']);
  const j = lastJsonLine(out);
  for (const k of ['tenant', 'admin_token', 'public_token']) {
    if (typeof j[k] !== 'string' || j[k] === '') throw new Error(`tenant create: missing ${k} in ${out}`);
  }
  return j;
}

// role: admin|staff|customer|service|public; customer: a customer id (customer role)
export async function createToken(dbPath, tenant, role, customer) {
  const args = ['token', 'create', '--tenant', tenant, '--role', role];
  if (customer !== undefined) args.push('--customer', customer);
  args.push('--db', `sqlite:${dbPath}`, '--json');
  const j = lastJsonLine(await runCli(args));
  if (typeof j.token !== 'string' || j.token === '') throw new Error(`token create: no token`);
  return j.token;
}

export async function revokeToken(dbPath, token) {
  await runCli(['token', 'revoke', '--token', token, '--db', `sqlite:${dbPath}`]);
}

function spawnServe(dbPath, port, extraArgs = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--db', `sqlite:${dbPath}`, ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let stdout = '';
    let stderr = '';
    let settled = false;
    const exited = new Promise((res) => child.on('exit', (code, signal) => {
      live.delete(child);
      res({ code, signal });
    }));
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(new Error(`server did not print its ready line within ${READY_TIMEOUT_MS} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, READY_TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (settled) return;
      const want = `listening on http://127.0.0.1:${port}`;
      const lines = stdout.split('\n');
      if (lines.slice(0, -1).some((l) => l.trim() === want)) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, exited, getStderr: () => stderr });
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.length > 200000) stderr = stderr.slice(-100000);
    });
    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    });
    exited.then(({ code, signal }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`server exited before ready (code ${code}, signal ${signal})\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}

// The server's abuse limits (rate limits, connection caps) protect a public
// deployment; tests drive one server from one address far past them, so
// they are lifted unless a test asks for the defaults (limits: 'default')
// or passes its own flags.
export const LIFTED_LIMITS = [
  '--rate-limit', '0', '--token-rate-limit', '0',
  '--max-connections-per-ip', '0', '--max-live-per-token', '0',
];

// Starts a server on a fresh temp dir. The returned object's url/port change
// on restart() (a new free port is chosen each time; start({port}) takes a
// given one instead); `pid` is the running child's pid (null when stopped).
// opts.args: extra `serve` flags, e.g. ['--retention', '1', '--purge-interval', '1'];
// they are passed again on restart(). opts.limits: 'lifted' (default) adds
// LIFTED_LIMITS before `args`; 'default' leaves the server's own limits.
export async function startServer({ args = [], limits = 'lifted' } = {}) {
  args = limits === 'lifted' ? [...LIFTED_LIMITS, ...args] : args;
  if (!existsSync(BIN)) throw new Error(`shelfsync binary not found at ${BIN} (set SHELFSYNC_BIN)`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shelfsync-it-'));
  const dbPath = path.join(dir, 'shelfsync.db');
  let proc = null;

  const server = {
    dir,
    dbPath,
    port: 0,
    url: '',
    get stderr() { return proc ? proc.getStderr() : ''; },
    get pid() { return proc ? proc.child.pid : null; },
    async start({ port } = {}) {
      port ??= await freePort();
      proc = await spawnServe(dbPath, port, args);
      server.port = port;
      server.url = `http://127.0.0.1:${port}`;
      return server;
    },
    // SIGTERM, wait for exit (SIGKILL after a timeout). Resolves {code, signal}.
    async terminate() {
      if (!proc) return null;
      const p = proc;
      proc = null;
      if (p.child.exitCode !== null || p.child.signalCode !== null) return p.exited;
      p.child.kill('SIGTERM');
      const timer = setTimeout(() => p.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const res = await p.exited;
      clearTimeout(timer);
      return res;
    },
    async kill9() {
      if (!proc) return null;
      const p = proc;
      proc = null;
      p.child.kill('SIGKILL');
      return p.exited;
    },
    async restart() {
      await server.terminate();
      return server.start();
    },
    async stop() {
      await server.terminate();
      if (!process.env.SHELFSYNC_KEEP_TMP) await rm(dir, { recursive: true, force: true });
    },
    createTenant: (name) => createTenant(dbPath, name),
    createToken: (tenant, role, customer) => createToken(dbPath, tenant, role, customer),
    revokeToken: (token) => revokeToken(dbPath, token),
  };
  await server.start();
  return server;
}

// fetch helper. `api(url, token)` returns {get, post, put, patch, del, req}.
// opts: {headers, body, contentType, binary}. A plain object/array body is
// sent as JSON; a string, Buffer or Uint8Array is sent as is.
// Resolves {status, headers, body, text, raw}: body is parsed JSON when the
// response is JSON, else the text (or a Buffer with opts.binary).
export function api(baseUrl, token) {
  async function req(method, pathname, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    if (token && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
      headers.Authorization = `Bearer ${token}`;
    }
    let body;
    if (opts.body !== undefined) {
      if (typeof opts.body === 'string' || opts.body instanceof Uint8Array) {
        body = opts.body;
      } else {
        body = JSON.stringify(opts.body);
      }
      const ct = opts.contentType ?? (typeof opts.body === 'string' || opts.body instanceof Uint8Array
        ? undefined : 'application/json');
      if (ct && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['Content-Type'] = ct;
      }
    }
    const res = await fetch(baseUrl + pathname, { method, headers, body, redirect: 'manual' });
    const raw = Buffer.from(await res.arrayBuffer());
    const text = raw.toString('utf8');
    const ctype = res.headers.get('content-type') || '';
    let parsed = opts.binary ? raw : text;
    if (!opts.binary && /json/i.test(ctype) && text.length > 0) {
      try { parsed = JSON.parse(text); } catch { parsed = text; }
    }
    return { status: res.status, headers: res.headers, body: parsed, text, raw };
  }
  return {
    req,
    get: (p, o) => req('GET', p, o),
    del: (p, o) => req('DELETE', p, o),
    post: (p, body, o = {}) => req('POST', p, { ...o, body }),
    put: (p, body, o = {}) => req('PUT', p, { ...o, body }),
    patch: (p, body, o = {}) => req('PATCH', p, { ...o, body }),
  };
}

// Small deterministic PRNG (mulberry32) for anything "random" in tests.
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
