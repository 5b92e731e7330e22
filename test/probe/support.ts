/** What the real-MTA probe tests share: the finding keys of a report and of a target's known list. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROBE_TARGETS, findingKey } from "@dsnkit/testing";
import type { ProbeReport } from "@dsnkit/testing";

/** The error findings of a report, as `property` or `property rule`, sorted. */
export function errorKeys(report: ProbeReport): string[] {
  return report.findings.filter((f) => f.severity === "error").map(findingKey).sort();
}

/** The findings a target lists as known, the same way. */
export function knownKeys(target: string): string[] {
  return PROBE_TARGETS[target]!.known.map((k) => findingKey({ property: k.property, rule: k.rule ?? k.property })).sort();
}

/** How the CI probes run: enough scenarios, a settle time that holds on a loaded machine, bounded shrinking. */
export const CI_PROBE = { seed: 1, numRuns: 100, tempFailures: true, settle: 600, shrinkRuns: 20, concurrency: 4, scenarioTimeout: 45_000, budget: 330_000 } as const;

/**
 * With DSNKIT_PROBE_REPORTS=DIR, writes the report to DIR/NAME.json, from which
 * scripts/conformance-page.mjs writes docs/conformance/NAME.md.
 */
export function saveReport(name: string, report: ProbeReport): void {
  const dir = process.env.DSNKIT_PROBE_REPORTS;
  if (dir !== undefined && dir !== "") writeFileSync(join(dir, `${name}.json`), JSON.stringify(report, null, 2) + "\n");
}
