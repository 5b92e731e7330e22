/**
 * dsnkit probe against a real Postfix (Debian's package) that this test configures and starts
 * itself on 127.0.0.1 with its own configuration directory (test/probe/mta/postfix.ts): 100
 * scenarios, and exactly the findings PROBE_TARGETS.postfix lists as known — a finding that
 * appears, changes or disappears fails the test. docs/conformance/postfix.md publishes them.
 * The test fails (never skips) when Postfix is not installed: scripts/test-tools.sh installs it.
 */
import { expect, test } from "vitest";
import { formatProbeReport } from "@dsnkit/testing";
import { probeMta } from "@dsnkit/testing/probe";
import { POSTFIX_PORT, startPostfix } from "./mta/postfix.js";
import type { PostfixInstance } from "./mta/postfix.js";
import { CI_PROBE, errorKeys, knownKeys, saveReport } from "./support.js";

test("Postfix: 100 scenarios, its known findings and no other, each shrunk with a transcript", async () => {
  let postfix: PostfixInstance | undefined;
  try {
    const report = await probeMta({ submit: `smtp://127.0.0.1:${POSTFIX_PORT}`, target: "postfix", ...CI_PROBE, onListening: async (r) => void (postfix = await startPostfix(r)) });
    const text = formatProbeReport(report);
    saveReport("postfix", report);
    expect(report.complete, text).toBe(true);
    expect(report.runs).toBe(100);
    expect(report.capabilities).toEqual({ dsn: true, smtputf8: true, eightBitMime: true, size: 1048576 });
    expect(errorKeys(report), text).toEqual(knownKeys("postfix"));
    for (const f of report.findings.filter((x) => x.severity === "error")) {
      expect(f.known?.verdict).toMatch(/^(bug|documented choice)$/);
      expect(f.example.transcript[0]).toBe("The probe submits to the MTA under test:");
      expect(f.example.dsn?.some((l) => l.startsWith(">"))).toBe(true);
    }
    // What Postfix gets right, checked on many runs.
    for (const id of ["probe.null-reverse-path", "probe.dsn-recipient", "probe.notify-never", "probe.notify-failure", "probe.ret-hdrs", "probe.status", "probe.no-injection", "probe.auto-submitted", "probe.dsn-missing"]) {
      const p = report.properties.find((x) => x.id === id)!;
      expect([id, p.failed, p.exercised >= 10]).toEqual([id, 0, true]);
    }
  } finally {
    await postfix?.stop();
  }
  expect(postfix?.processes()).toEqual([]);
}, 450_000);

test("Postfix probed twice with the same seed gives the same report, byte for byte", async () => {
  const once = async () => {
    let postfix: PostfixInstance | undefined;
    try {
      const report = await probeMta({ submit: `smtp://127.0.0.1:${POSTFIX_PORT}`, target: "postfix", ...CI_PROBE, seed: 2, numRuns: 12, shrinkRuns: 6, onListening: async (r) => void (postfix = await startPostfix(r)) });
      expect(report.complete).toBe(true);
      return report;
    } finally {
      await postfix?.stop();
    }
  };
  const a = await once();
  const b = await once();
  expect(formatProbeReport(b)).toBe(formatProbeReport(a));
  expect(b).toEqual(a);
  expect(a.findings.length).toBeGreaterThan(0);
}, 300_000);
