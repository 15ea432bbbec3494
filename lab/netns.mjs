// Network namespaces standing in for hosts on the Internet: each one a veth pair away from
// the host, addressed from the documentation ranges, so nothing of ours leaves the machine.
//
//   host (wrangler, workerd, tests)          namespace sc-mail-<run>
//   sc-<run>-mail 198.51.100.1/24  ──veth──  eth0 198.51.100.25/24 (Postfix)

import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';

import { run } from './command.mjs';
import { terminate } from './processes.mjs';

/** Every namespace and host-side veth the lab creates starts with this. */
export const NAME_PREFIX = 'sc-';

/** The mail server's network: the host's side and the server's address. */
export const MAIL_NET = Object.freeze({
  role: 'mail',
  hostAddress: '198.51.100.1',
  nsAddress: '198.51.100.25',
  prefixLength: 24,
  network: '198.51.100.0/24',
});
export const MAIL_HOST_ADDRESS = MAIL_NET.hostAddress;
export const MAIL_SERVER_ADDRESS = MAIL_NET.nsAddress;
export const MAIL_SERVER_NAME = 'mail.sendcheck.test';

/** Namespace name for a role in a run, e.g. `sc-mail-1a2b3c`. */
export function namespaceName(runId, role) {
  return `${NAME_PREFIX}${role}-${runId}`;
}

/** Host-side veth name for a role in a run, e.g. `sc-1a2b3c-mail` (at most 15 characters). */
export function hostLinkName(runId, role) {
  return `${NAME_PREFIX}${runId}-${role}`.slice(0, 15);
}

/**
 * Creates namespace `sc-<role>-<runId>` joined to the host by a veth pair: host side
 * `hostAddress/prefixLength`, namespace side (`eth0`) `nsAddress/prefixLength`, `lo` up.
 * `extraAddresses`: more addresses of the same subnet on the namespace's `eth0` (more servers
 * behind the same link, each reachable from the host at its own address).
 *
 * `hosts`: extra `/etc/netns/NAME/hosts` lines (`{address: [names]}`), seen by commands run
 * with `ip netns exec`. Inside, DNS points at the namespace's own loopback, so a stray lookup
 * fails at once instead of leaving the machine. `defaultRoute`: an address inside the
 * namespace's subnet to route everything else through (none by default: the namespace can
 * only reach its own subnet).
 *
 * Returns `{name, hostIf, nsIf, hostAddress, nsAddress, addresses, exec(cmd, args, opts), stop()}`.
 * On failure, whatever was created is removed before the error is thrown.
 */
export async function createNamespace({
  runId,
  role = MAIL_NET.role,
  hostAddress = MAIL_NET.hostAddress,
  nsAddress = MAIL_NET.nsAddress,
  prefixLength = MAIL_NET.prefixLength,
  hosts = {},
  extraAddresses = [],
  defaultRoute,
}) {
  if (!/^[0-9a-z]{1,8}$/.test(runId)) throw new Error(`bad run id ${JSON.stringify(runId)}`);
  const name = namespaceName(runId, role);
  const hostIf = hostLinkName(runId, role);
  const nsIf = 'eth0';

  const inUse = await addressOwner(hostAddress);
  if (inUse) {
    throw new Error(
      `${hostAddress} is already on interface ${inUse}: is another lab running? (node lab/lab.mjs down)`,
    );
  }

  const ns = {
    name,
    role,
    hostIf,
    nsIf,
    hostAddress,
    nsAddress,
    addresses: [nsAddress, ...extraAddresses],
    prefixLength,
    exec: (cmd, args = [], opts) => run('ip', ['netns', 'exec', name, cmd, ...args], opts),
    stop: () => removeNamespace(name, hostIf),
  };
  try {
    await run('ip', ['netns', 'add', name]);
    writeNetnsEtc(name, hosts);
    // Create the peer directly inside the namespace: no half-moved interface on failure.
    await run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf, 'netns', name]);
    await run('ip', ['addr', 'add', `${hostAddress}/${prefixLength}`, 'dev', hostIf]);
    await run('ip', ['link', 'set', hostIf, 'up']);
    await ns.exec('ip', ['link', 'set', 'lo', 'up']);
    for (const address of ns.addresses) {
      await ns.exec('ip', ['addr', 'add', `${address}/${prefixLength}`, 'dev', nsIf]);
    }
    await ns.exec('ip', ['link', 'set', nsIf, 'up']);
    if (defaultRoute) await ns.exec('ip', ['route', 'add', 'default', 'via', defaultRoute]);
  } catch (e) {
    await ns.stop().catch(() => {});
    throw e;
  }
  return ns;
}

/**
 * Loads an nftables ruleset inside a namespace (e.g. an ISP that drops outbound port 25):
 * `ruleset` is the text `nft -f` reads.
 */
export async function applyNftables(ns, ruleset) {
  await ns.exec('nft', ['-f', '-'], { input: ruleset });
}

/**
 * Removes a namespace and everything in it: ends its processes (SIGTERM, then SIGKILL), deletes
 * it (which deletes its veth pair), its `/etc/netns` directory, and the host-side veth if it
 * outlived its peer. Safe to call on something half-created or already gone.
 */
export async function removeNamespace(name, hostIf) {
  if (!name.startsWith(NAME_PREFIX)) throw new Error(`not a lab namespace: ${JSON.stringify(name)}`);
  const exists = (await listNamespaces()).includes(name);
  if (exists) {
    const { stdout } = await run('ip', ['netns', 'pids', name], { allowFail: true });
    const pids = stdout.split(/\s+/).filter(Boolean).map(Number);
    if (pids.length > 0) await terminate(pids, { graceMs: 3_000 });
    await run('ip', ['netns', 'del', name]);
  }
  rmSync(`/etc/netns/${name}`, { recursive: true, force: true });
  if (hostIf) await removeLink(hostIf);
}

/** Deletes a host-side lab link (and so its veth peer) if it exists. */
export async function removeLink(ifname) {
  if (!ifname.startsWith(NAME_PREFIX)) throw new Error(`not a lab link: ${JSON.stringify(ifname)}`);
  if (await linkExists(ifname)) await run('ip', ['link', 'del', ifname], { allowFail: true });
}

/** Names of `/etc/netns` entries that belong to the lab. */
export function listNetnsEtc() {
  try {
    return readdirSync('/etc/netns').filter((n) => n.startsWith(NAME_PREFIX));
  } catch {
    return [];
  }
}

export async function listNamespaces() {
  const { stdout } = await run('ip', ['-j', 'netns', 'list'], { allowFail: true });
  if (!stdout.trim()) return [];
  return JSON.parse(stdout).map((n) => n.name);
}

/** Host-side links whose name starts with our prefix. */
export async function listLabLinks() {
  const { stdout } = await run('ip', ['-j', 'link', 'show']);
  return JSON.parse(stdout)
    .map((l) => l.ifname)
    .filter((n) => n.startsWith(NAME_PREFIX));
}

async function linkExists(ifname) {
  const { code } = await run('ip', ['link', 'show', 'dev', ifname], { allowFail: true });
  return code === 0;
}

async function addressOwner(address) {
  const { stdout } = await run('ip', ['-j', '-4', 'addr', 'show']);
  for (const link of JSON.parse(stdout)) {
    if ((link.addr_info ?? []).some((a) => a.local === address)) return link.ifname;
  }
  return undefined;
}

function writeNetnsEtc(name, hosts) {
  const dir = `/etc/netns/${name}`;
  mkdirSync(dir, { recursive: true });
  const lines = ['127.0.0.1 localhost'];
  for (const [address, names] of Object.entries(hosts)) lines.push(`${address} ${names.join(' ')}`);
  writeFileSync(`${dir}/hosts`, `${lines.join('\n')}\n`);
  writeFileSync(`${dir}/resolv.conf`, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
}
