/**
 * dsnkit probe against a real Haraka (the exact version scripts/install-haraka.sh pins) that
 * this test configures and starts itself on 127.0.0.1 (test/probe/mta/haraka.ts): 100 scenarios,
 * and exactly the findings PROBE_TARGETS.haraka lists as known. docs/conformance/haraka.md
 * publishes them.
 */
import { expect, test } from "vitest";
import { formatProbeReport } from "@dsnkit/testing";
import { probeMta } from "@dsnkit/testing/probe";
import { HARAKA_PORT, startHaraka } from "./mta/haraka.js";
import type { HarakaInstance } from "./mta/haraka.js";
import { CI_PROBE, errorKeys, knownKeys, saveReport } from "./support.js";

test("Haraka: 100 scenarios, its known findings and no other, each shrunk with a transcript", async () => {
  let haraka: HarakaInstance | undefined;
  let exited = false;
  try {
    const report = await probeMta({ submit: `smtp://127.0.0.1:${HARAKA_PORT}`, target: "haraka", ...CI_PROBE, onListening: async (r) => void (haraka = await startHaraka(r)) });
    const text = formatProbeReport(report);
    saveReport("haraka", report);
    expect(report.complete, text).toBe(true);
    expect(report.runs).toBe(100);
    // Haraka 3.3.4 does not offer DSN: no NOTIFY, ORCPT, RET or ENVID is tried.
    expect(report.capabilities).toEqual({ dsn: false, smtputf8: true, eightBitMime: true, size: 1048576 });
    expect(errorKeys(report), text).toEqual(knownKeys("haraka"));
    for (const f of report.findings.filter((x) => x.severity === "error")) expect(f.example.transcript[0]).toBe("The probe submits to the MTA under test:");
    for (const id of ["probe.null-reverse-path", "probe.dsn-recipient", "probe.auto-submitted", "probe.dsn-missing"]) {
      const p = report.properties.find((x) => x.id === id)!;
      expect([id, p.failed, p.exercised >= 10]).toEqual([id, 0, true]);
    }
  } finally {
    await haraka?.stop();
    if (haraka !== undefined) {
      try {
        process.kill(haraka.pid, 0);
      } catch {
        exited = true;
      }
    }
  }
  expect(exited).toBe(true);
}, 450_000);
