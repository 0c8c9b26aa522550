// Starts a real `shelfsync serve` on a temp SQLite db and drives its CLI.
// Every test file starts its own server, so files may run concurrently.
// With SHELFSYNC_TEST_PG (a PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:PORT/postgres)
// each server gets a fresh database on that PostgreSQL server instead, and
// startCluster() runs several servers on one database.

import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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

export const PG_URL = process.env.SHELFSYNC_TEST_PG || '';
// node:test `skip` for tests of several servers on one database.
export const NEEDS_PG = PG_URL ? false : 'needs SHELFSYNC_TEST_PG: only PostgreSQL is shared by several servers';

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

// Runs a program; resolves with stdout, rejects (with stderr in the message)
// on a non-zero exit.
function run(file, args, { timeoutMs = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) {
        err.message = `${path.basename(file)} ${args.join(' ')} failed: ${err.message}\nstdout: ${stdout}\nstderr: ${stderr}`;
        reject(err);
      } else {
        resolve(stdout);
      }
    });
  });
}

// Runs the CLI.
export const runCli = (args, opts) => run(BIN, args, opts);

// ------------------------------------------------------------ databases --

// The client tools' connection flags for the PostgreSQL server of PG_URL.
function pgFlags() {
  const u = new URL(PG_URL);
  return ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username) || 'postgres'];
}

// A fresh database on PG_URL's server: {name, url}.
async function createPgDatabase() {
  const name = `shelfsync_it_${randomBytes(6).toString('hex')}`;
  await run('createdb', [...pgFlags(), name]);
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return { name, url: u.toString() };
}

// Left behind only if the drop fails (e.g. the server is already gone).
async function dropPgDatabase(name) {
  await run('dropdb', [...pgFlags(), '--force', name]).catch(() => {});
}

// Where the servers of one temp dir keep their data: {url, path, args,
// drop()}. `url` is the --db value; `path` the SQLite file (null on
// PostgreSQL); `args` the `serve` (and `demo`) flags naming the data, the
// media dir included on PostgreSQL (a SQLite server keeps it next to its
// file by default).
async function makeDb(dir) {
  if (!PG_URL) {
    const file = path.join(dir, 'shelfsync.db');
    const url = `sqlite:${file}`;
    return { url, path: file, args: ['--db', url], drop: async () => {} };
  }
  const { name, url } = await createPgDatabase();
  return { url, path: null, args: ['--db', url, '--media', path.join(dir, 'media')], drop: () => dropPgDatabase(name) };
}

function lastJsonLine(stdout) {
  const lines = stdout.trim().split('\n').filter((l) => l.trim().startsWith('{'));
  if (lines.length === 0) throw new Error(`no JSON in CLI output: ${stdout}`);
  return JSON.parse(lines[lines.length - 1]);
}

// dbUrl: a --db value (sqlite:PATH or postgres://…)
export async function createTenant(dbUrl, name) {
  const out = await runCli(['tenant', 'create', name, '--db', dbUrl, '--json']);
  const j = lastJsonLine(out);
  for (const k of ['tenant', 'admin_token', 'public_token']) {
    if (typeof j[k] !== 'string' || j[k] === '') throw new Error(`tenant create: missing ${k} in ${out}`);
  }
  return j;
}

// role: admin|staff|customer|service|public; customer: a customer id (customer role)
export async function createToken(dbUrl, tenant, role, customer) {
  const args = ['token', 'create', '--tenant', tenant, '--role', role];
  if (customer !== undefined) args.push('--customer', customer);
  args.push('--db', dbUrl, '--json');
  const j = lastJsonLine(await runCli(args));
  if (typeof j.token !== 'string' || j.token === '') throw new Error(`token create: no token`);
  return j.token;
}

export async function revokeToken(dbUrl, token) {
  await runCli(['token', 'revoke', '--token', token, '--db', dbUrl]);
}

function spawnServe(dbArgs, port, extraArgs = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, ...dbArgs, ...extraArgs], {
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
      if (stdout.length > 200000) stdout = stdout.slice(-100000);
      if (settled) return;
      const want = `listening on http://127.0.0.1:${port}`;
      const lines = stdout.split('\n');
      if (lines.slice(0, -1).some((l) => l.trim() === want)) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, exited, getStderr: () => stderr, getStdout: () => stdout });
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

function withLimits(args, limits) {
  return limits === 'lifted' ? [...LIFTED_LIMITS, ...args] : args;
}

// One `serve` process on `db` (see makeDb), started and stopped at will. Its
// url/port change on restart() (a new free port is chosen each time;
// start({port}) takes a given one instead); `pid` is the running child's pid
// (null when stopped). `args` are passed on every start.
function serveNode(db, args) {
  let proc = null;
  const node = {
    port: 0,
    url: '',
    get stderr() { return proc ? proc.getStderr() : ''; },
    get stdout() { return proc ? proc.getStdout() : ''; },
    get pid() { return proc ? proc.child.pid : null; },
    // Started and not exited since (a crash shows here).
    get alive() { return proc !== null && proc.child.exitCode === null && proc.child.signalCode === null; },
    async start({ port } = {}) {
      port ??= await freePort();
      proc = await spawnServe(db.args, port, args);
      node.port = port;
      node.url = `http://127.0.0.1:${port}`;
      return node;
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
      await node.terminate();
      return node.start();
    },
  };
  return node;
}

// A fresh temp dir and its db: {dir, db, remove()}.
async function tempData() {
  if (!existsSync(BIN)) throw new Error(`shelfsync binary not found at ${BIN} (set SHELFSYNC_BIN)`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shelfsync-it-'));
  const db = await makeDb(dir);
  return {
    dir,
    db,
    async remove() {
      if (process.env.SHELFSYNC_KEEP_TMP) return; // both kept, for a look afterwards
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// The CLI helpers bound to one db.
function cliOn(db) {
  return {
    createTenant: (name) => createTenant(db.url, name),
    createToken: (tenant, role, customer) => createToken(db.url, tenant, role, customer),
    revokeToken: (token) => revokeToken(db.url, token),
  };
}

// Starts a server on a fresh temp dir (and, with SHELFSYNC_TEST_PG, a fresh
// database). The returned object is a serveNode (url, port, pid, start(),
// terminate(), kill9(), restart()) with the CLI helpers and stop(), which
// also removes its data. `dbUrl` is its --db value, `dbArgs` the flags that
// name its data for `serve` and `demo`, `dbPath` the SQLite file (null on
// PostgreSQL).
// opts.args: extra `serve` flags, e.g. ['--retention', '1', '--purge-interval', '1'];
// they are passed again on restart(). opts.limits: 'lifted' (default) adds
// LIFTED_LIMITS before `args`; 'default' leaves the server's own limits.
export async function startServer({ args = [], limits = 'lifted' } = {}) {
  const data = await tempData();
  const server = Object.assign(serveNode(data.db, withLimits(args, limits)), {
    dir: data.dir,
    dbPath: data.db.path,
    dbUrl: data.db.url,
    dbArgs: data.db.args,
    async stop() {
      await server.terminate();
      await data.remove();
    },
    ...cliOn(data.db),
  });
  try {
    await server.start();
  } catch (e) {
    await data.remove();
    throw e;
  }
  return server;
}

// Several servers on one PostgreSQL database (SHELFSYNC_TEST_PG), sharing
// one media dir: {nodes: [serveNode], dir, dbUrl, dbArgs, createTenant,
// createToken, revokeToken, stop()}. opts.args and opts.limits as for
// startServer, for every node.
export async function startCluster({ nodes = 3, args = [], limits = 'lifted' } = {}) {
  if (!PG_URL) {
    throw new Error('startCluster needs SHELFSYNC_TEST_PG (a PostgreSQL server URL): only PostgreSQL is shared by several servers');
  }
  const data = await tempData();
  const all = Array.from({ length: nodes }, () => serveNode(data.db, withLimits(args, limits)));
  const cluster = {
    nodes: all,
    dir: data.dir,
    dbUrl: data.db.url,
    dbArgs: data.db.args,
    async stop() {
      await Promise.all(all.map((n) => n.terminate()));
      await data.remove();
    },
    ...cliOn(data.db),
  };
  try {
    // The first node sets up the new database; the others then join it.
    await all[0].start();
    await Promise.all(all.slice(1).map((n) => n.start()));
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
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
