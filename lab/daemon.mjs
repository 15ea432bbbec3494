// Long-running helpers of the lab (Dovecot, the hostile test server, the DoH stub): each a
// child in its own process group, marked with the run id so that the registry's cleanup finds
// it after a crash, its output in a log file, stopped by process group.

import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

import { RUN_MARKER, terminate } from './processes.mjs';

/**
 * Starts `cmd args` with output to `logFile`. `runId` marks it (and whatever it starts).
 *
 * `outlivesUs` (a detached lab, `lab.mjs up`): it keeps running when this process exits.
 * Otherwise its stdin is a pipe from us, and `exitWithStdin` (default) appends the flag with
 * which our own helpers exit when that pipe closes: even a kill -9 of this process ends them.
 *
 * Returns `{pid, logFile, exited(), logTail(lines), stop()}`.
 */
export function spawnDaemon(cmd, args, { runId, logFile, outlivesUs = false, exitWithStdin = true, env = {} }) {
  const fd = openSync(logFile, 'a');
  const watchStdin = !outlivesUs && exitWithStdin;
  let child;
  try {
    child = spawn(cmd, watchStdin ? [...args, '--exit-with-stdin'] : args, {
      detached: true, // its own process group
      stdio: [watchStdin ? 'pipe' : 'ignore', fd, fd],
      env: { ...process.env, ...env, [RUN_MARKER]: runId },
    });
  } finally {
    closeSync(fd);
  }
  let exit = null;
  child.on('exit', (code, signal) => { exit = { code, signal }; });
  child.on('error', (e) => { exit = { error: e.message }; });
  child.stdin?.on('error', () => {});
  if (outlivesUs) child.unref();
  return {
    pid: child.pid,
    logFile,
    exited: () => exit,
    logTail: (lines = 30) => tail(logFile, lines),
    stop: async () => {
      child.stdin?.destroy();
      if (child.pid) await terminate([child.pid], { groups: true, graceMs: 5_000 });
    },
  };
}

/**
 * The daemon side: keep `server` (anything with a promise-returning `close()`) up until
 * SIGTERM/SIGINT, or until stdin closes when started with `--exit-with-stdin` (the lab that
 * started us is gone, even by kill -9), then close it and exit.
 */
export function serveUntilStopped(server, flags) {
  const stop = () => Promise.resolve(server.close()).finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (flags.includes('--exit-with-stdin')) {
    process.stdin.on('end', stop).on('close', stop).on('error', stop).resume();
  }
}

export function tail(file, lines) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch (e) {
    return `(cannot read: ${e.message})`;
  }
}
