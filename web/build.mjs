// Bundles the report's scripts and styles into dist/report.js and dist/report.css: uPlot (from node_modules, pinned
// in package-lock.json) followed by ours. The metarl executable embeds both files and inlines them into every report
// and the dashboard page, so that nothing is fetched when a page is opened. Run by scripts/setup.sh and by the
// Host project's build when a source here is newer than the bundle.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const read = (...path) => readFileSync(join(here, ...path), "utf8");

let uplot, uplotCss;
try {
  uplot = read("node_modules", "uplot", "dist", "uPlot.iife.min.js");
  uplotCss = read("node_modules", "uplot", "dist", "uPlot.min.css");
} catch {
  console.error("web/build.mjs: uPlot is not installed; run `npm ci` in web/ (scripts/setup.sh does)");
  process.exit(1);
}
const version = JSON.parse(read("node_modules", "uplot", "package.json")).version;

const script = [
  `/* uPlot ${version} (MIT, https://github.com/leeoniya/uPlot) */`,
  uplot,
  "/* MetaRL report */",
  read("src", "report.js"),
].join("\n");
const style = [uplotCss, read("src", "report.css")].join("\n");

// Both are inlined into <script> and <style> elements: a closing tag inside would end them early.
for (const [name, text, tag] of [["report.js", script, "</script"], ["report.css", style, "</style"]]) {
  if (text.toLowerCase().includes(tag)) {
    console.error(`web/build.mjs: ${name} contains "${tag}", which would end its inline element`);
    process.exit(1);
  }
}
mkdirSync(join(here, "dist"), { recursive: true });
writeFileSync(join(here, "dist", "report.js"), script);
writeFileSync(join(here, "dist", "report.css"), style);
console.log(`web/build.mjs: dist/report.js ${script.length} bytes, dist/report.css ${style.length} bytes (uPlot ${version})`);
