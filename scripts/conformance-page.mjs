#!/usr/bin/env node
// Writes the findings of a `dsnkit probe --json` report into a docs/conformance page, between the
// markers <!-- probe-report --> and <!-- /probe-report -->: the properties with how often each was
// exercised and broken, then each finding with its RFC section, its verdict and note (from the
// target's known findings), a minimal SMTP transcript and the lines of the DSN around it.
//
//   node scripts/conformance-page.mjs REPORT.json docs/conformance/postfix.md
import { readFileSync, writeFileSync } from "node:fs";

const [reportPath, pagePath] = process.argv.slice(2);
if (reportPath === undefined || pagePath === undefined) {
  console.error("usage: node scripts/conformance-page.mjs REPORT.json PAGE.md");
  process.exit(2);
}
const report = JSON.parse(readFileSync(reportPath, "utf8"));
if (!report.complete) {
  console.error(`${reportPath}: the probe stopped early (time budget or a signal); run it again before publishing`);
  process.exit(1);
}
const page = readFileSync(pagePath, "utf8");
const start = "<!-- probe-report -->";
const end = "<!-- /probe-report -->";
if (!page.includes(start) || !page.includes(end)) {
  console.error(`${pagePath}: no ${start} ... ${end} markers`);
  process.exit(2);
}

const out = [];
const c = report.capabilities;
const offers = [c.dsn && "DSN", c.smtputf8 && "SMTPUTF8", c.eightBitMime && "8BITMIME", c.size !== undefined && `SIZE ${c.size}`].filter(Boolean).join(", ");
out.push(`Probed with seed ${report.seed}: ${report.runs} scenarios, ${report.shrinkRuns} more while shrinking. The MTA greets \`${report.greeting}\` and offers ${offers}.`, "");
out.push("| property | RFC | runs that exercised it | broken in |", "|---|---|---|---|");
for (const p of report.properties) out.push(`| \`${p.id}\` | ${p.rfc} | ${p.exercised} | ${p.failed === 0 ? (p.exercised === 0 ? "not exercised" : "—") : p.failed} |`);
const errors = report.findings.filter((f) => f.severity === "error");
const warnings = report.findings.filter((f) => f.severity === "warning");
out.push("", `### Findings (${errors.length})`);
errors.forEach((f, i) => {
  const key = f.property === f.rule ? f.property : `${f.property} ${f.rule}`;
  out.push("", `#### ${i + 1}. \`${key}\` — ${f.known ? f.known.verdict : "not yet judged"}`, "");
  out.push(`${f.rfc}. Broken in ${f.runs} of ${report.runs} runs.${f.known ? ` ${f.known.note}` : ""}`, "");
  for (const m of f.example.messages) out.push(`- ${m.replace(/\|/g, "\\|")}`);
  out.push("", `Minimal scenario (${f.example.tag}, shrunk in ${f.example.shrinks} steps):`, "", "```text", ...f.example.transcript, "```");
  if (f.example.dsn) {
    const marked = f.example.dsn.findIndex((l) => l.startsWith(">"));
    const from = Math.max(0, marked - 6);
    const lines = f.example.dsn.slice(from, marked < 0 ? 30 : marked + 5);
    out.push("", "The DSN, around the finding:", "", "```text", ...(from > 0 ? ["  …"] : []), ...lines, "  …", "```");
  }
});
if (warnings.length > 0) {
  out.push("", `### Warnings of checkDsn (${warnings.length}; they break no property)`, "");
  for (const f of warnings) out.push(`- \`${f.rule}\` (${f.rfc}), in ${f.runs} runs: ${f.example.messages[0]}`);
}
const body = out.join("\n");
writeFileSync(pagePath, page.slice(0, page.indexOf(start) + start.length) + "\n" + body + "\n" + page.slice(page.indexOf(end)));
