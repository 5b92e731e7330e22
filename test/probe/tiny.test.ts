/**
 * probeMta against a tiny MTA in this process (test/probe/tiny-mta.ts): done right it breaks no
 * property; with a deliberate bug (no Original-Envelope-Id; Status 5.0.0 for every failure) the
 * probe catches it, shrinks it to a minimal scenario and names the property; the same seed gives
 * the same report; the time budget and the per-scenario timeout hold, and every server stops.
 */
import { connect } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { formatProbeReport } from "@dsnkit/testing";
import type { ProbeReport } from "@dsnkit/testing";
import { probeMta } from "@dsnkit/testing/probe";
import type { ProbeOptions } from "@dsnkit/testing/probe";
import { startTinyMta } from "./tiny-mta.js";
import type { TinyBug, TinyMta } from "./tiny-mta.js";

let mtas: TinyMta[] = [];
afterEach(async () => {
  await Promise.all(mtas.map((m) => m.close()));
  mtas = [];
});

async function probeTiny(
  bug: TinyBug | undefined,
  options: Partial<ProbeOptions> = {},
  route = true,
  twoDsns?: "in order" | "reversed",
): Promise<{ report: ProbeReport; ports: number[] }> {
  const mta = await startTinyMta({ ...(bug === undefined ? {} : { bug }), ...(twoDsns === undefined ? {} : { twoDsns }) });
  mtas.push(mta);
  const ports: number[] = [];
  const report = await probeMta({
    submit: `smtp://127.0.0.1:${mta.port}`,
    tempFailures: true,
    settle: 150,
    scenarioTimeout: 10_000,
    onListening: (r) => {
      ports.push(r.remotePort, r.returnPort);
      mta.routes.set(r.domain, r.remotePort);
      if (route) mta.routes.set(r.returnDomain, r.returnPort);
    },
    ...options,
  });
  return { report, ports };
}

/** True when something still listens on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: "127.0.0.1", port });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

describe("probeMta against a tiny MTA", () => {
  test("done right, it breaks no property, and every property is exercised", async () => {
    const { report, ports } = await probeTiny(undefined, { numRuns: 60, seed: 7 });
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(report.runs).toBe(60);
    expect(report.complete).toBe(true);
    expect(report.capabilities).toEqual({ dsn: true, smtputf8: true, eightBitMime: true, size: 1048576 });
    for (const p of report.properties) expect([p.id, p.exercised > 0]).toEqual([p.id, true]);
    expect(report.lateDsns + report.strayDsns).toBe(0);
    for (const port of ports) expect(await listening(port)).toBe(false);
  });

  test("drop-envid: caught, shrunk to one recipient, reported with the property and a transcript", async () => {
    const { report } = await probeTiny("drop-envid", { numRuns: 40, shrinkRuns: 100 });
    expect(report.findings.filter((f) => f.severity === "error").map((f) => f.property)).toEqual(["probe.original-envelope-id"]);
    const f = report.findings.find((x) => x.severity === "error")!;
    expect(f.rfc).toBe("RFC 3461 §4.4; RFC 3464 §2.2.1");
    expect(f.example.shrinks).toBeGreaterThan(0);
    expect(f.example.scenario.recipients).toHaveLength(1);
    expect(f.example.scenario.envid).toBe("a");
    expect(f.example.messages).toEqual(['no Original-Envelope-Id; MAIL FROM had ENVID for "a"']);
    expect(f.example.transcript).toContain(`  C: MAIL FROM:<${f.example.tag}.a@return.probe.test> ENVID=a`);
    const text = formatProbeReport(report);
    expect(text).toContain("FAIL  probe.original-envelope-id");
    expect(text).toContain("1. probe.original-envelope-id (RFC 3461 §4.4; RFC 3464 §2.2.1)");
    expect(text).toContain("The DSN:");
  });

  test("status-5.0.0: caught as probe.status, the DSN line marked", async () => {
    const { report } = await probeTiny("status-5.0.0", { numRuns: 40, shrinkRuns: 100 });
    expect(report.findings.filter((f) => f.severity === "error").map((f) => f.property)).toEqual(["probe.status"]);
    const f = report.findings.find((x) => x.severity === "error")!;
    expect(f.example.scenario.recipients).toHaveLength(1);
    expect(f.example.messages[0]).toMatch(/: Status is 5\.0\.0; the remote server's reply carried [45]\.\d+\.\d+ \(\d{3}\)$/);
    expect(f.example.dsn!.filter((l) => l.startsWith(">"))).toEqual([expect.stringMatching(/^> +\d+ \| Status: 5\.0\.0$/)]);
  });

  test("the same seed gives the same report", async () => {
    const a = await probeTiny("status-5.0.0", { numRuns: 25, seed: 11, shrinkRuns: 40 });
    const b = await probeTiny("status-5.0.0", { numRuns: 25, seed: 11, shrinkRuns: 40 });
    // Only the tiny MTA's own port (a new one each time) differs: the first line of the report.
    expect(formatProbeReport(b.report).split("\n").slice(1)).toEqual(formatProbeReport(a.report).split("\n").slice(1));
    expect({ ...b.report, submit: "" }).toEqual({ ...a.report, submit: "" });
  });

  test("two DSNs of one scenario, arriving in either order, give the same report", async () => {
    const options = { numRuns: 6, seed: 11, shrinkRuns: 10, maxRecipients: 2 };
    const a = await probeTiny("status-5.0.0", options, true, "in order");
    const b = await probeTiny("status-5.0.0", options, true, "reversed");
    const text = formatProbeReport(a.report);
    expect(text).toContain("The return server received DSN 2:");
    expect(formatProbeReport(b.report).split("\n").slice(1)).toEqual(text.split("\n").slice(1));
  });

  test("a DSN that never comes: dsn-missing after the scenario's timeout", async () => {
    const { report } = await probeTiny(undefined, { numRuns: 2, seed: 3, scenarioTimeout: 1500, shrinkRuns: 0, maxRecipients: 1 }, false);
    const f = report.findings.find((x) => x.property === "probe.dsn-missing")!;
    expect(f.example.messages[0]).toMatch(/^no failure DSN for \S+ within the time allowed; the remote server answered its (RCPT|DATA) with/);
    expect(f.example.transcript).toContain("The return server received no DSN (the run waited its whole timeout).");
  });

  test("the time budget stops the probe early and says so", async () => {
    const { report, ports } = await probeTiny(undefined, { numRuns: 500, budget: 1500, concurrency: 1 });
    expect(report.complete).toBe(false);
    expect(report.runs).toBeLessThan(500);
    expect(formatProbeReport(report)).toContain("the time budget ran out");
    for (const port of ports) expect(await listening(port)).toBe(false);
  });

  test("bad options are refused before anything listens", async () => {
    await expect(probeMta({ submit: "http://x" })).rejects.toThrow('submit: "http://x" is not smtp://HOST:PORT');
    await expect(probeMta({ submit: "smtp://127.0.0.1:1", target: "sendmail" })).rejects.toThrow(/target: "sendmail" is not one of postfix, haraka, exim, generic/);
    await expect(probeMta({ submit: "smtp://127.0.0.1:1", numRuns: 0 })).rejects.toThrow("numRuns must be an integer of at least 1, not 0");
  });

  test("an MTA that is not there: a clear error, and the servers stop", async () => {
    const ports: number[] = [];
    await expect(probeMta({ submit: "smtp://127.0.0.1:1", onListening: (r) => void ports.push(r.remotePort, r.returnPort) })).rejects.toThrow(/cannot connect to 127\.0\.0\.1:1/);
    for (const port of ports) expect(await listening(port)).toBe(false);
  });
});
