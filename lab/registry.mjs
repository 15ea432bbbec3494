// What the lab has running, on disk, so that a crashed run's leftovers (namespaces, Postfix,
// wrangler, Chromium) can be found and removed by the next one, and `lab.mjs down` can stop
// what `lab.mjs up` started.
//
//   /run/sendcheck-lab/runs/<runId>.json  {runId, kind, ownerPid, ownerStart, detached,
//                                          tmpDir, namespaces:[{name, hostIf}], ...}
//
// A run is live while its owner process lives (same pid and start time), or, when detached
// (`lab.mjs up`), while its namespaces exist. Everything else carrying our marks is stale.

import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  listLabLinks, listNamespaces, listNetnsEtc, NAME_PREFIX, removeLink, removeNamespace,
} from './netns.mjs';
import { isAlive, pidsWithEnv, processGroupOf, readStat, RUN_MARKER, terminate } from './processes.mjs';
import { stopPostfix } from './postfix.mjs';

export const STATE_DIR = '/run/sendcheck-lab';
const RUNS_DIR = join(STATE_DIR, 'runs');
/** Every temp dir of the lab starts with this. */
export const TMP_PREFIX = join(tmpdir(), 'sendcheck-lab-');

export function newRunId() {
  return randomBytes(3).toString('hex');
}

export function runFile(runId) {
  return join(RUNS_DIR, `${runId}.json`);
}

/** Writes (atomically) the record of a run; returns its path. */
export function recordRun(record) {
  mkdirSync(RUNS_DIR, { recursive: true });
  const path = runFile(record.runId);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  return path;
}

/** A new record owned by this process. */
export function ownRecord(runId, fields = {}) {
  return {
    runId,
    ownerPid: process.pid,
    ownerStart: startTime(process.pid),
    detached: false,
    namespaces: [],
    startedAt: new Date().toISOString(),
    ...fields,
  };
}

export function readRuns() {
  let names;
  try {
    names = readdirSync(RUNS_DIR);
  } catch {
    return [];
  }
  const runs = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    try {
      runs.push(JSON.parse(readFileSync(join(RUNS_DIR, name), 'utf8')));
    } catch {
      // a half-written or foreign file: ignore
    }
  }
  return runs;
}

export function forgetRun(runId) {
  rmSync(runFile(runId), { force: true });
}

export async function isLive(record) {
  if (record.detached) {
    const existing = await listNamespaces();
    return record.namespaces.length > 0 && record.namespaces.every((n) => existing.includes(n.name));
  }
  return isAlive(record.ownerPid) && startTime(record.ownerPid) === record.ownerStart;
}

/**
 * Stops everything a run started: marked processes (wrangler, Chromium), its Postfix
 * instances, its namespaces, its temp dir, then its record. Best effort: never throws.
 */
export async function teardownRun(record) {
  const errors = [];
  const attempt = async (what, fn) => {
    try {
      await fn();
    } catch (e) {
      errors.push(`${what}: ${e.message}`);
    }
  };
  await attempt('marked processes', () => killMarked((v) => v === record.runId));
  for (const configDir of record.postfixConfigDirs ?? []) {
    const ns = record.namespaces.find((n) => n.role === 'mail');
    await attempt(`postfix ${configDir}`, () => stopPostfix(configDir, ns));
  }
  if (record.tmpDir) {
    await attempt('postfix processes', () => killPostfixUnder(record.tmpDir));
  }
  for (const { name, hostIf } of record.namespaces) {
    await attempt(`namespace ${name}`, () => removeNamespace(name, hostIf));
  }
  if (record.tmpDir?.startsWith(TMP_PREFIX)) {
    rmSync(record.tmpDir, { recursive: true, force: true });
  }
  forgetRun(record.runId);
  return errors;
}

/**
 * Removes every leftover of runs that are no longer live, and anything carrying our marks
 * that no live run claims (a run that died before writing its record). Returns what was done,
 * one line each, and the live runs.
 */
export async function cleanStale() {
  const done = [];
  const live = [];
  for (const record of readRuns()) {
    if (await isLive(record)) {
      live.push(record);
    } else {
      const errors = await teardownRun(record);
      done.push(`stale run ${record.runId} (${record.kind ?? 'run'}) removed${errors.length ? `: ${errors.join('; ')}` : ''}`);
    }
  }
  // Read again: a run that started meanwhile wrote its record before creating anything.
  for (const record of readRuns()) {
    if (!live.some((r) => r.runId === record.runId) && (await isLive(record))) live.push(record);
  }
  const liveIds = new Set(live.map((r) => r.runId));
  const liveNamespaces = new Set(live.flatMap((r) => r.namespaces.map((n) => n.name)));
  const liveLinks = new Set(live.flatMap((r) => r.namespaces.map((n) => n.hostIf)));
  const liveTmp = live.map((r) => r.tmpDir).filter(Boolean);

  const marked = await killMarked((v) => !liveIds.has(v));
  if (marked.length) done.push(`stale marked processes ended: ${marked.join(' ')}`);

  const postfixPids = pidsWithEnv('MAIL_CONFIG', (v) => v.startsWith(TMP_PREFIX) && !liveTmp.some((t) => v.startsWith(t)));
  if (postfixPids.length) {
    await terminate(postfixPids, { graceMs: 3_000 });
    done.push(`stale postfix processes ended: ${postfixPids.join(' ')}`);
  }
  for (const name of await listNamespaces()) {
    if (name.startsWith(NAME_PREFIX) && !liveNamespaces.has(name)) {
      await removeNamespace(name);
      done.push(`stale namespace ${name} removed`);
    }
  }
  for (const link of await listLabLinks()) {
    if (!liveLinks.has(link)) {
      await removeLink(link);
      done.push(`stale link ${link} removed`);
    }
  }
  for (const name of listNetnsEtc()) {
    if (!liveNamespaces.has(name)) {
      rmSync(`/etc/netns/${name}`, { recursive: true, force: true });
      done.push(`stale /etc/netns/${name} removed`);
    }
  }
  for (const dir of staleTmpDirs(liveTmp)) {
    rmSync(dir, { recursive: true, force: true });
    done.push(`stale temp dir ${dir} removed`);
  }
  return { done, live };
}

/** Ends (by process group) every process whose run marker satisfies `accept`. */
async function killMarked(accept) {
  const pids = pidsWithEnv(RUN_MARKER, accept);
  if (pids.length === 0) return [];
  const groups = [...new Set(pids.map((pid) => processGroupOf(pid)).filter((g) => g && g !== process.pid && g > 1))];
  // Our own process group (e.g. a test runner) is never signalled as a group.
  const ownGroup = processGroupOf(process.pid);
  const byGroup = groups.filter((g) => g !== ownGroup);
  await terminate(byGroup, { groups: true, graceMs: 5_000 });
  const rest = pidsWithEnv(RUN_MARKER, accept);
  if (rest.length) await terminate(rest, { graceMs: 2_000 });
  return pids;
}

async function killPostfixUnder(dir) {
  const pids = pidsWithEnv('MAIL_CONFIG', (v) => v.startsWith(dir));
  if (pids.length) await terminate(pids, { graceMs: 3_000 });
}

function staleTmpDirs(liveTmp) {
  const base = tmpdir();
  const prefix = TMP_PREFIX.slice(base.length + 1);
  let entries;
  try {
    entries = readdirSync(base);
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.startsWith(prefix))
    .map((e) => join(base, e))
    .filter((d) => !liveTmp.includes(d));
}

/** Process start time in clock ticks since boot: with the pid, it names one process. */
function startTime(pid) {
  return readStat(pid)?.startTime;
}
