// The lab and the real worker together, as tests and benchmarks use them: started in order,
// stopped in reverse order exactly once, whatever failed, also on Ctrl-C / SIGTERM. A kill -9
// is left to the next run's stale cleanup (registry.mjs): everything started here carries the
// lab run's marker or lives in its namespace.
//
//   const stack = await startStack({ kind: 'e2e-outside', outDir });
//   stack.lab, stack.server (wrangler dev), stack.startWorker(name, vars), stack.stop()
//   await postJson(stack.server, body)  /  await postNdjson(stack.server, body)

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { startMailLab } from './index.mjs';
import { startWrangler } from './wrangler.mjs';

let signalsHandled = false;
const stoppers = new Set();

/** On SIGINT/SIGTERM: run every registered stop once, then exit 130. */
function handleSignals() {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      // The test runner may be gone by then: a write to its pipe must not crash the cleanup.
      process.stdout.on('error', () => {});
      process.stderr.on('error', () => {});
      Promise.allSettled([...stoppers].map((stop) => stop())).finally(() => process.exit(130));
    });
  }
}

/**
 * Starts the lab, then `wrangler dev` with `vars(lab)` (the lab's worker settings by default:
 * its network and port 25 allowed, its CA trusted, its DoH stub as resolver).
 * Returns `{lab, server, startWorker(name, vars), stop()}`; on failure everything started is
 * stopped before the error is thrown.
 */
export async function startStack({
  kind = 'e2e',
  outDir,
  vars = (lab) => lab.workerVars(),
  log = () => {},
  readyTimeoutMs = 240_000,
} = {}) {
  mkdirSync(outDir, { recursive: true });
  const parts = [];
  let stopping;
  const stack = {
    lab: undefined,
    server: undefined,
    /** Stops everything once; later calls wait for the same cleanup. */
    stop: () => {
      stopping ??= (async () => {
        const errors = [];
        for (const [name, part] of [...parts].reverse()) {
          try {
            await part.stop();
          } catch (e) {
            errors.push(`${name}: ${e.message}`);
          }
        }
        stoppers.delete(stack.stop);
        if (errors.length) throw new Error(`cleanup failed:\n${errors.join('\n')}`);
      })();
      return stopping;
    },
    /** Another `wrangler dev` of the same run (other settings), stopped with the stack. */
    startWorker: async (name, workerVars) => {
      if (stopping) throw new Error('the stack is stopping');
      const started = performance.now();
      const server = await startWrangler({
        runId: stack.lab.runId,
        logFile: join(outDir, `wrangler-${name}.log`),
        persistTo: join(stack.lab.tmpDir, `wrangler-state-${name}`),
        vars: workerVars,
        readyTimeoutMs,
      });
      parts.push([`worker ${name}`, server]);
      log(`worker ${name} ready in ${Math.round(performance.now() - started)} ms`);
      return server;
    },
  };
  stoppers.add(stack.stop);
  handleSignals();
  try {
    let started = performance.now();
    stack.lab = await startMailLab({ kind, log });
    parts.push(['lab', stack.lab]);
    log(`lab up in ${Math.round(performance.now() - started)} ms`);
    started = performance.now();
    stack.server = await startWrangler({
      runId: stack.lab.runId,
      logFile: join(outDir, 'wrangler.log'),
      persistTo: join(stack.lab.tmpDir, 'wrangler-state'),
      vars: vars(stack.lab),
      // wrangler runs the build first: quick when nothing changed, a minute or more if it did.
      readyTimeoutMs,
    });
    parts.push(['worker', stack.server]);
    log(`worker ready in ${Math.round(performance.now() - started)} ms (wrangler runs scripts/build.sh first)`);
  } catch (e) {
    await stack.stop().catch((c) => { e.message += `\n${c.message}`; });
    throw e;
  }
  return stack;
}

/**
 * POSTs `body` (an object) to /api/probe and returns `{status, json, text, ms}`. Bounded by
 * `timeoutMs` (the engine's own bound for one check is CHECK_DEADLINE_MS, 12 s, resolution included).
 */
export async function postJson(server, body, { timeoutMs = 40_000, path = '/api/probe' } = {}) {
  const started = performance.now();
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', json, text, ms: performance.now() - started };
}

/**
 * POSTs `body` with `Accept: application/x-ndjson` and returns every event as it arrived:
 * `{status, contentType, events: [{at_ms, event}]}` (`at_ms`: since the request was sent).
 */
export async function postNdjson(server, body, { timeoutMs = 40_000 } = {}) {
  const started = performance.now();
  const res = await fetch(`${server.url}/api/probe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const events = [];
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of res.body) {
    pending += decoder.decode(chunk, { stream: true });
    let newline;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) events.push({ at_ms: performance.now() - started, event: JSON.parse(line) });
    }
  }
  if (pending.trim()) events.push({ at_ms: performance.now() - started, event: JSON.parse(pending) });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', events };
}
