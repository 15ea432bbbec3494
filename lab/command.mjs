// Running the system tools the lab is made of (ip, nft, openssl, postfix), always bounded.

import { spawn } from 'node:child_process';

/**
 * Runs `cmd args`, resolving `{code, signal, stdout, stderr}`. Rejects when the command cannot
 * start, runs longer than `timeoutMs` (it is then killed), or exits non-zero unless `allowFail`.
 *
 * A command that leaves a daemon behind (postfix start) must not hang us because the daemon
 * inherited its pipes: the process's exit settles it too, after a short grace.
 */
export function run(cmd, args = [], { input, timeoutMs = 30_000, allowFail = false, env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env, cwd });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const killer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(killer);
      settled = true;
      reject(new Error(`cannot run ${cmd}: ${e.message}`));
    });
    const finish = (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(killer);
      child.stdout.destroy();
      child.stderr.destroy();
      const line = `${cmd} ${args.join(' ')}`;
      if (timedOut) {
        reject(new Error(`${line}: no exit after ${timeoutMs} ms\n${stderr.trim()}`));
      } else if (code !== 0 && !allowFail) {
        reject(new Error(`${line}: exit ${code ?? signal}\n${(stderr || stdout).trim()}`));
      } else {
        resolve({ code, signal, stdout, stderr });
      }
    };
    // 'close' comes once the process exited and its pipes closed. If a daemon it left behind
    // holds the pipes, 'exit' plus a short grace settles instead.
    child.on('close', finish);
    child.on('exit', (code, signal) => {
      setTimeout(() => finish(code, signal), 300);
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** Polls `probe` (async, returns truthy when ready) every `intervalMs` until `timeoutMs`. */
export async function waitFor(probe, { timeoutMs, intervalMs = 100, what }) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const why = lastError ? ` (last error: ${lastError.message})` : '';
      throw new Error(`${what}: not ready after ${timeoutMs} ms${why}`);
    }
    await sleep(intervalMs);
  }
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
