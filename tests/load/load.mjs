// A bounded loopback load test of the worker's limits: `clients` simulated clients (told apart
// by the test-only x-sendcheck-test-client header, honoured only under DEPLOYMENT=local) each
// make `requests` requests one after another, all clients at once: checks of one server
// without credentials (answered from the shared result or refused by a limit) alternating with
// address lookups. Every answer must be 200, or 429 with a named error and Retry-After.
//
// Used by tests/e2e/limits.test.mjs; alone: node tests/load/load.mjs URL HOST (a running worker).

import { fileURLToPath } from 'node:url';

const LIMIT_CODES = new Set(['rate_limited', 'target_busy', 'login_limited']);

/**
 * Runs the load and returns `{answers, byClient, problems, elapsedMs}`: every answer as
 * `{client, kind, status, code, shared}`; `problems` lists every answer that broke the rules
 * (a status other than 200/429, a body that is not JSON, a 429 without Retry-After or code).
 */
export async function runLoad({ url, host, ports = [{ port: 587 }], clients = 20, requests = 30, timeoutMs = 20_000 }) {
  const started = Date.now();
  const answers = [];
  const problems = [];
  const one = async (client, kind) => {
    const headers = { 'x-sendcheck-test-client': client };
    const request = kind === 'check'
      ? fetch(`${url}/api/probe`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ host, ports }),
        signal: AbortSignal.timeout(timeoutMs),
      })
      : fetch(`${url}/api/discover?address=${encodeURIComponent(`taro@${host}`)}`, {
        headers,
        signal: AbortSignal.timeout(timeoutMs),
      });
    let status = 0;
    let body;
    let res;
    try {
      res = await request;
      status = res.status;
      body = JSON.parse(await res.text());
    } catch (e) {
      problems.push(`${client} ${kind}: ${status || 'no answer'}: ${e.message}`);
      return;
    }
    const code = body?.error?.code;
    const shared = res.headers.get('x-sendcheck-shared-from');
    answers.push({ client, kind, status, code, shared });
    if (status === 429) {
      if (!LIMIT_CODES.has(code)) problems.push(`${client} ${kind}: 429 with code ${code}`);
      if (!/^\d+$/.test(res.headers.get('retry-after') ?? '')) problems.push(`${client} ${kind}: 429 without Retry-After`);
    } else if (status !== 200) {
      problems.push(`${client} ${kind}: HTTP ${status} ${JSON.stringify(body).slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    const client = `load-${c}-${started}`;
    for (let r = 0; r < requests; r += 1) await one(client, r % 2 === 0 ? 'check' : 'lookup');
  }));
  const byClient = new Map();
  for (const a of answers) {
    const counts = byClient.get(a.client) ?? { check: { 200: 0, 429: 0 }, lookup: { 200: 0, 429: 0 } };
    counts[a.kind][a.status] = (counts[a.kind][a.status] ?? 0) + 1;
    byClient.set(a.client, counts);
  }
  return { answers, byClient, problems, elapsedMs: Date.now() - started };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [url, host] = process.argv.slice(2);
  if (!url || !host) {
    console.error('usage: node tests/load/load.mjs WORKER_URL HOST');
    process.exit(2);
  }
  const { answers, problems, elapsedMs } = await runLoad({ url, host });
  const count = (f) => answers.filter(f).length;
  console.log(`${answers.length} answers in ${elapsedMs} ms: ${count((a) => a.status === 200)} × 200 `
    + `(${count((a) => a.shared)} shared), ${count((a) => a.status === 429)} × 429`);
  for (const p of problems) console.log(`problem: ${p}`);
  process.exit(problems.length ? 1 : 0);
}
