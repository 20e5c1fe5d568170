// Lighthouse over the public pages, on a server already running (loadtest/lighthouse.sh starts it).
//
//     node loadtest/lighthouse.mjs BASE_URL PAGES_FILE OUTPUT_JSON
//
// PAGES_FILE has one "name<TAB>path" line a page. Each page is measured with the mobile preset
// (Lighthouse's default: a mid-range phone on a slow 4G, simulated) and the desktop one, in one headless
// Chromium (Debian's, CHROME_PATH) that Lighthouse resets between runs. With LIGHTHOUSE_RUNS=n, each page
// is measured n times and the run of median score is kept. Prints a table, writes OUTPUT_JSON, and exits
// with 1 when a page misses a goal.
import { readFileSync, writeFileSync } from "node:fs";

import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

const SCORE_GOAL = 95;
const CLS_GOAL = 0.1;
const CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];
const PRESETS = { mobile: undefined, desktop: desktopConfig };

const [baseUrl, pagesFile, outputFile] = process.argv.slice(2);
const runs = Number(process.env.LIGHTHOUSE_RUNS || 1);
const presets = (process.env.LIGHTHOUSE_PRESETS || "mobile,desktop").split(",");
// LIGHTHOUSE_PAGES (a regular expression on the names) measures a few pages only.
const only = new RegExp(process.env.LIGHTHOUSE_PAGES || "");
const pages = readFileSync(pagesFile, "utf8")
  .split("\n")
  .filter((line) => line.includes("\t") && only.test(line.split("\t")[0]))
  .map((line) => {
    const [name, path] = line.split("\t");
    return { name, path };
  });

function figures(lhr) {
  const audit = (id) => lhr.audits[id]?.numericValue;
  return {
    score: Math.round(lhr.categories.performance.score * 100),
    cls: audit("cumulative-layout-shift"),
    lcp_ms: audit("largest-contentful-paint"),
    fcp_ms: audit("first-contentful-paint"),
    tbt_ms: audit("total-blocking-time"),
    si_ms: audit("speed-index"),
    // What Lighthouse blames: the elements that moved, and what blocked the first paint.
    shifts: (lhr.audits["layout-shifts"]?.details?.items || []).map((item) => ({
      node: item.node?.snippet,
      selector: item.node?.selector,
      score: item.score,
    })),
    render_blocking: (lhr.audits["render-blocking-resources"]?.details?.items || []).map((item) => ({
      url: item.url,
      wasted_ms: item.wastedMs,
    })),
    run_warnings: lhr.runWarnings,
  };
}

// Chromium now and then fails to record a trace (NO_NAVSTART...): such a run is tried again, twice at most.
async function measure(url, config) {
  const flags = { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance"] };
  for (let attempt = 1; ; attempt++) {
    const { lhr } = await lighthouse(url, flags, config);
    if (!lhr.runtimeError) return lhr;
    if (attempt === 3) throw new Error(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    console.log(`  (${lhr.runtimeError.code} sur ${url} : nouvel essai)`);
  }
}

function median(results) {
  const sorted = [...results].sort((a, b) => a.score - b.score || b.cls - a.cls);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

// chrome is read by measure() above, which runs only once it is set.
const chrome = await chromeLauncher.launch({ chromePath: process.env.CHROME_PATH, chromeFlags: CHROME_FLAGS });
const results = [];
console.log("preset   page                       score    CLS LCP ms TBT ms  score≥95 CLS<0.1");
try {
  for (const preset of presets) {
    for (const page of pages) {
      const attempts = [];
      for (let run = 0; run < runs; run++) {
        attempts.push(figures(await measure(baseUrl + page.path, PRESETS[preset])));
      }
      const kept = median(attempts);
      const result = {
        preset,
        ...page,
        ...kept,
        scores: attempts.map((a) => a.score),
        score_met: kept.score >= SCORE_GOAL,
        cls_met: kept.cls < CLS_GOAL,
      };
      results.push(result);
      process.stdout.write(
        `${preset.padEnd(8)} ${page.name.padEnd(26)} ${String(result.score).padStart(3)}` +
          ` ${result.cls.toFixed(3).padStart(6)} ${Math.round(result.lcp_ms).toString().padStart(6)}` +
          ` ${Math.round(result.tbt_ms).toString().padStart(5)}` +
          `  ${result.score_met ? "atteint" : "MANQUÉ "}  ${result.cls_met ? "atteint" : "MANQUÉ"}\n`,
      );
    }
  }
} finally {
  await chrome.kill();
}

const missed = results.filter((r) => !r.score_met || !r.cls_met);
writeFileSync(
  outputFile,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      lighthouse: JSON.parse(readFileSync(new URL("../node_modules/lighthouse/package.json", import.meta.url)))
        .version,
      chrome_path: process.env.CHROME_PATH,
      runs_per_page: runs,
      goals: { score_min: SCORE_GOAL, cls_below: CLS_GOAL },
      pages: results,
    },
    null,
    2,
  ),
);
console.log(
  `\nObjectifs (score ≥ ${SCORE_GOAL}, CLS < ${CLS_GOAL}) : ` +
    (missed.length
      ? `MANQUÉS sur ${missed.length} mesure(s) sur ${results.length}.`
      : `atteints sur les ${results.length} mesures.`),
);
process.exit(missed.length ? 1 : 0);
