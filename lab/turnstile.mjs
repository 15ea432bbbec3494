// A stand-in for Cloudflare Turnstile's siteverify, on loopback, in the test's own process:
// the worker under test is pointed here with TURNSTILE_VERIFY_URL. Even Cloudflare's documented
// test keys call the real siteverify, which the lab cannot reach.
//
// Like the real one (https://developers.cloudflare.com/turnstile/get-started/server-side-validation/)
// it takes POST {"secret", "response", "remoteip"} (JSON; form-encoded is read too) and answers
// {"success": bool, "error-codes": [...]}; a token is good once. What a token does here:
//   pass-*     success the first time; "timeout-or-duplicate" after (spent)
//   fail-*     {"success": false, "error-codes": ["invalid-input-response"]}
//   slow-*     no answer at all (the worker's deadline must refuse)
//   garbage-*  200 with a body that is not JSON
// A wrong secret is {"success": false, "error-codes": ["invalid-input-secret"]}.

import { createServer } from 'node:http';

/**
 * Starts the stub on 127.0.0.1 (a free port). Returns `{url, calls, stop()}`; `calls` lists
 * every request as `{token, remoteip}` (the secret is checked, not kept).
 */
export async function startTurnstileStub({ secret }) {
  const spent = new Set();
  const calls = [];
  const hanging = new Set();
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    let ask;
    try {
      ask = (req.headers['content-type'] ?? '').includes('json')
        ? JSON.parse(body)
        : Object.fromEntries(new URLSearchParams(body));
    } catch {
      ask = {};
    }
    const token = String(ask.response ?? '');
    calls.push({ token, remoteip: ask.remoteip });
    const answer = (json) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.method !== 'POST' || req.url !== '/siteverify') {
      res.writeHead(404).end();
    } else if (ask.secret !== secret) {
      answer({ success: false, 'error-codes': ['invalid-input-secret'] });
    } else if (token.startsWith('slow-')) {
      hanging.add(res); // answered never; closed when the stub stops
    } else if (token.startsWith('garbage-')) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>502 Bad Gateway</html>');
    } else if (token.startsWith('pass-') && !spent.has(token)) {
      spent.add(token);
      answer({ success: true, challenge_ts: new Date().toISOString(), hostname: 'localhost', 'error-codes': [] });
    } else if (token.startsWith('pass-')) {
      answer({ success: false, 'error-codes': ['timeout-or-duplicate'] });
    } else {
      answer({ success: false, 'error-codes': ['invalid-input-response'] });
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/siteverify`,
    calls,
    stop: () => new Promise((resolve) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
