// Finding and ending the processes the lab started, by what it marked them with (an
// environment variable, a namespace), never by name.

import { readdirSync, readFileSync } from 'node:fs';

import { sleep } from './command.mjs';

/** The environment variable every long-running child of the lab carries: its run id. */
export const RUN_MARKER = 'SENDCHECK_LAB_RUN';

/**
 * True while `pid` runs. A zombie counts as gone: once our children are reparented, the
 * machine's init may take seconds to reap them, and they hold nothing.
 */
export function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** Every process whose environment has `name=value` for which `accept(value)` holds. */
export function pidsWithEnv(name, accept) {
  const prefix = `${name}=`;
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let environ;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      continue; // gone, or a kernel thread
    }
    for (const pair of environ.split('\0')) {
      if (pair.startsWith(prefix) && accept(pair.slice(prefix.length))) {
        found.push(pid);
        break;
      }
    }
  }
  return found;
}

/** The process group id of `pid`, or undefined when it is gone. */
export function processGroupOf(pid) {
  return readStat(pid)?.pgrp;
}

/** `{state, ppid, pgrp, startTime}` from /proc/PID/stat, or undefined when it is gone. */
export function readStat(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the parenthesised command: state ppid pgrp session tty tpgid flags ... (22: starttime)
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0], ppid: Number(rest[1]), pgrp: Number(rest[2]), startTime: Number(rest[19]) };
}

/**
 * Sends SIGTERM to each pid (or, with `groups`, to its process group), waits up to `graceMs`
 * for all to go, then SIGKILLs the rest and waits a bounded while for them to be reaped.
 */
export async function terminate(pids, { graceMs = 5_000, groups = false } = {}) {
  const signal = (pid, sig) => {
    try {
      process.kill(groups ? -pid : pid, sig);
    } catch {
      // already gone
    }
  };
  const alive = () => pids.filter((pid) => (groups ? groupAlive(pid) : isAlive(pid)));
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive().length > 0 && Date.now() < deadline) await sleep(50);
  const left = alive();
  for (const pid of left) signal(pid, 'SIGKILL');
  const killDeadline = Date.now() + 3_000;
  while (alive().length > 0 && Date.now() < killDeadline) await sleep(50);
  return left;
}

/** True while any living (non-zombie) process is in process group `pgid`. */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') return true;
  }
  return false;
}
