/**
 * The conformance properties: dsnkit's own renderer passes them, and generators with real bug
 * classes fail them with a report that names the broken rule, its line, the shrunk input and
 * the DSN text.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { renderBounce, renderDsn } from "@dsnkit/core";
import type { Bounce, SendBounceRequest } from "@dsnkit/core";
import {
  CONFORMANCE_RULES,
  DsnConformanceError,
  assertDsnConformance,
  checkConformance,
  dsnConformance,
  formatConformanceReport,
  surveyDsnConformance,
} from "@dsnkit/testing";
import type { DsnContext } from "@dsnkit/testing";

const dsnkit = (request: SendBounceRequest, context: DsnContext) => renderBounce(request, context).raw;

/** Runs assertDsnConformance and returns the error it must throw. */
async function failure(run: Promise<void>): Promise<DsnConformanceError> {
  try {
    await run;
  } catch (e) {
    if (e instanceof DsnConformanceError) return e;
    throw e;
  }
  throw new Error("the generator passed, but it was meant to fail");
}

const bounce: Bounce = {
  from: { name: "Mail Delivery System", address: "mailer-daemon@mx.example.com" },
  to: "sender@example.org",
  subject: "Delivery Status Notification (Failure)",
  date: new Date("2026-11-26T10:00:00Z"),
  messageId: "<b1@mx.example.com>",
  explanation: "Your message could not be delivered.\n",
  deliveryStatus: {
    perMessage: { reportingMta: { type: "dns", name: "mx.example.com" }, extensionFields: [] },
    recipients: [
      { finalRecipient: { type: "rfc822", address: "nobody@example.com" }, action: "failed", status: "5.1.1", extensionFields: [] },
      { finalRecipient: { type: "utf-8", address: "用户@例子.广告" }, action: "delayed", status: "4.2.2", extensionFields: [] },
    ],
  },
};

describe("dsnkit's own renderer passes the conformance properties", () => {
  test("renderBounce, driven by SES requests (with and without originals)", async () => {
    await assertDsnConformance(dsnkit, { numRuns: 150, seed: 1 });
  });
  test("renderDsn, driven by RFC 3464 models", async () => {
    // No annotation: `source: "model"` types the parameter as a Bounce (strict tsc type-checks this file).
    await assertDsnConformance((b) => renderDsn(b).raw, { source: "model", numRuns: 150, seed: 2 });
  });
  test("through fc.assert directly, an async generator returning octets, a fresh seed each run", async () => {
    const utf8 = new TextEncoder();
    await fc.assert(
      dsnConformance(async (request, context) => utf8.encode(renderBounce(request, context).raw), { request: { maxRecipients: 3 } }),
      { numRuns: 50 },
    );
  });
});

describe("checkConformance", () => {
  const raw = renderDsn(bounce, { boundary: "b1" }).raw;
  test("a conforming DSN has no finding", () => {
    expect(checkConformance(raw, bounce)).toEqual([]);
  });
  test("a wrong Status or Action is found, at the line of its block", () => {
    const lines = raw.split("\r\n");
    const blockLine = lines.indexOf("Final-Recipient: rfc822; nobody@example.com") + 1;
    const findings = checkConformance(raw.replace("Status: 5.1.1", "Status: 5.0.0").replace("Action: delayed", "Action: failed"), bounce);
    expect(findings.map((f) => [f.rule, f.message])).toEqual([
      ["conformance.status", "nobody@example.com: Status is 5.0.0, expected 5.1.1"],
      ["conformance.action", "用户@例子.广告: Action is failed, expected delayed"],
    ]);
    expect(findings[0]!.line).toBe(blockLine);
  });
  test("a Status left out or an Action not recognized is reported as read, never as a made-up value", () => {
    const findings = checkConformance(raw.replace("Status: 5.1.1\r\n", "").replace("Action: delayed", "Action: postponed"), bounce);
    expect(findings.map((f) => f.rule)).toEqual(["rfc3464.required-field", "conformance.status", "conformance.action", "rfc3464.action-value"]);
    expect(findings.filter((f) => f.rule.startsWith("conformance.")).map((f) => [f.rule, f.message])).toEqual([
      ["conformance.status", "nobody@example.com: Status is not stated, expected 5.1.1"],
      ["conformance.action", '用户@例子.广告: Action is "postponed" (not recognized), expected delayed'],
    ]);
  });
  test("a missing recipient and one the bounce is not about", () => {
    const findings = checkConformance(raw.replace("nobody@example.com", "somebody@example.com"), bounce);
    expect(findings.map((f) => f.rule).sort()).toEqual(["conformance.recipient-missing", "conformance.recipient-unexpected"]);
  });
  test("the same address in its A-label form, or with its domain in another case, is the same recipient", () => {
    const other = raw.replace("nobody@example.com", "nobody@EXAMPLE.com");
    expect(checkConformance(other, bounce)).toEqual([]);
  });
  test("text that is no DSN is unparseable", () => {
    const findings = checkConformance("Subject: hello\r\n\r\nhi\r\n", bounce);
    expect(findings.map((f) => f.rule)).toContain("conformance.unparseable");
  });
});

describe("generators with real bug classes fail, with a readable report", () => {
  test("LF line ends in the delivery-status part (what MimeNode's setContent leaves): rfc5322.bare-lf", async () => {
    const e = await failure(
      assertDsnConformance(
        (request, context) => {
          const raw = renderBounce(request, context).raw;
          const start = raw.indexOf("Reporting-MTA:");
          return raw.slice(0, start) + raw.slice(start).replace(/\r\n(?=[A-Z])/g, "\n");
        },
        { numRuns: 50, seed: 3 },
      ),
    );
    expect(e.findings.map((f) => f.rule)).toContain("rfc5322.bare-lf");
    expect(e.message).toMatch(/^the DSN generator breaks .*rfc5322\.bare-lf/);
    expect(e.message).toContain("error rfc5322.bare-lf (RFC 5322 §2.3) at line ");
    expect(e.message).toMatch(/\n {2}> +\d+ \| .*\[bare LF\]\n/);
    expect(e.message).toContain("The input (shrunk):\n  request:\n");
    // Shrunk: one recipient with a BounceType and no optional part.
    expect(e.input.request!.BouncedRecipientInfoList).toHaveLength(1);
    expect(e.input.request!.MessageDsn).toBeUndefined();
  });

  test("a fixed Status 5.0.0 (ZoneMTA, Forward Email): conformance.status, shrunk to a status that is not 5.0.0", async () => {
    const e = await failure(
      assertDsnConformance((request, context) => renderBounce(request, context).raw.replace(/^Status: \d\.\d+\.\d+/gm, "Status: 5.0.0"), { numRuns: 100, seed: 4 }),
    );
    expect(e.findings.map((f) => f.rule)).toEqual(["conformance.status"]);
    expect(e.message).toMatch(/error conformance\.status \(RFC 3464 §2\.3\.4\) at line \d+: .*: Status is 5\.0\.0, expected \d\.\d+\.\d+/);
    expect(e.dsn).toBeDefined();
    // The replay parameters reproduce the same failure.
    const again = await failure(assertDsnConformance((request, context) => renderBounce(request, context).raw.replace(/^Status: \d\.\d+\.\d+/gm, "Status: 5.0.0"), { ...e.replay, numRuns: 100 }));
    expect(again.input).toEqual(e.input);
  });

  test("multipart/mixed instead of multipart/report: rfc6522.not-multipart-report", async () => {
    const e = await failure(assertDsnConformance((b: Bounce) => renderDsn(b).raw.replace("multipart/report; report-type=delivery-status;", "multipart/mixed;"), { source: "model", numRuns: 20, seed: 5 }));
    expect(e.findings.map((f) => f.rule)).toContain("rfc6522.not-multipart-report");
    expect(e.message).toContain("The input (shrunk):\n  bounce:\n");
  });

  test("non-ASCII addresses written as rfc822 (a common bug): rfc6533.non-ascii-address-type", async () => {
    // message/global-delivery-status writes UTF-8 addresses raw; this generator then calls them rfc822.
    const generator = (b: Bounce) => renderDsn(b, { global: true }).raw.replace(/^(Original|Final)-Recipient: utf-8; (?=.*[^\x00-\x7f])/gm, "$1-Recipient: rfc822; ");
    const e = await failure(assertDsnConformance(generator, { source: "model", numRuns: 100, seed: 6 }));
    expect(e.findings.filter((f) => f.severity === "error").map((f) => f.rule)).toEqual(["rfc6533.non-ascii-address-type"]);
    expect(e.message).toMatch(/> +\d+ \| (Original|Final)-Recipient: rfc822; .*[^\x00-\x7f]/);
  });

  test("a generator that throws on valid input: conformance.generator-error, shrunk to the smallest input that makes it throw", async () => {
    const e = await failure(
      assertDsnConformance(
        (request, context) => {
          if (request.BouncedRecipientInfoList.some((r) => /[^\x00-\x7f]/.test(r.Recipient))) throw new TypeError("cannot encode the address");
          return renderBounce(request, context).raw;
        },
        { numRuns: 100, seed: 7 },
      ),
    );
    expect(e.findings).toEqual([{ rule: "conformance.generator-error", rfc: "—", severity: "error", message: "the generator threw TypeError: cannot encode the address", line: 0 }]);
    expect(e.dsn).toBeUndefined();
    expect([...e.input.request!.BouncedRecipientInfoList[0]!.Recipient].filter((c) => c.charCodeAt(0) > 0x7f)).toHaveLength(1);
  });

  test("a generator that returns something else than text: conformance.generator-error", async () => {
    const e = await failure(assertDsnConformance(() => 42 as unknown as string, { numRuns: 5, seed: 8 }));
    expect(e.findings[0]!.message).toBe("the generator returned number, not a string or a Uint8Array");
  });

  test("warnings fail only with failOn: warning; ignore accepts known findings", async () => {
    const lfOnly = (request: SendBounceRequest, context: DsnContext) => renderBounce(request, context).raw.replace(/\r\n/g, "\n");
    const e = await failure(assertDsnConformance(lfOnly, { numRuns: 20, seed: 9, failOn: "warning" }));
    expect(e.findings.map((f) => f.rule)).toContain("rfc5322.lf-line-ends");
    await assertDsnConformance(lfOnly, { numRuns: 20, seed: 9 });
    await assertDsnConformance(lfOnly, { numRuns: 20, seed: 9, failOn: "warning", ignore: ["rfc5322.lf-line-ends", "rfc5322.line-over-78", "rfc3464.last-attempt-after-date"] });
    expect(() => dsnConformance(lfOnly, { ignore: ["rfc9999.nonsense"] })).toThrow(/"rfc9999.nonsense" is not a rule id/);
  });
});

describe("surveyDsnConformance", () => {
  test("lists every rule a generator breaks, how often, and a shrunk example of each", async () => {
    const survey = await surveyDsnConformance((request, context) => renderBounce(request, context).raw.replace(/^Status: \d\.\d+\.\d+/gm, "Status: 5.0.0"), {
      numRuns: 60,
      request: { explicitDsnFields: "never" },
    });
    const errors = Object.entries(survey.rules).filter(([, r]) => r.severity === "error");
    expect(errors.map(([id]) => id)).toEqual(["conformance.status"]);
    const status = survey.rules["conformance.status"]!;
    expect(status.count).toBeGreaterThan(30);
    expect(status.example.input.request!.BouncedRecipientInfoList).toHaveLength(1);
    expect(status.example.report).toMatch(/^1 finding \(1 error, 0 warnings\):\n {2}error conformance\.status/);
  });
  test("dsnkit's renderer: no error at all", async () => {
    const survey = await surveyDsnConformance(dsnkit, { numRuns: 100, seed: 10 });
    expect(Object.entries(survey.rules).filter(([, r]) => r.severity === "error")).toEqual([]);
  });
});

describe("formatConformanceReport", () => {
  test("a finding, the DSN around its line with bare LF and controls made visible", () => {
    const report = formatConformanceReport(
      [{ rule: "rfc5322.bare-lf", rfc: "RFC 5322 §2.3", severity: "error", message: "an LF is not preceded by CR", line: 3 }],
      "From: a@example.com\r\nTo: b@example.com\r\nSubject: x\ty\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\nX: \x01\r\n\r\n",
    );
    expect(report).toBe(
      [
        "1 finding (1 error, 0 warnings):",
        "  error rfc5322.bare-lf (RFC 5322 §2.3) at line 3: an LF is not preceded by CR",
        "",
        "The DSN (6 lines; around the findings):",
        "    1 | From: a@example.com",
        "    2 | To: b@example.com",
        "  > 3 | Subject: x\\ty  [bare LF]",
        "    4 | Date: Thu, 26 Nov 2026 10:00:00 +0000",
        "    5 | X: \\x01",
        "",
      ].join("\n"),
    );
  });
  test("CONFORMANCE_RULES have ids, RFC sections and descriptions", () => {
    for (const r of CONFORMANCE_RULES) expect(r).toEqual({ id: expect.stringMatching(/^conformance\.[a-z-]+$/), rfc: expect.any(String), severity: "error", description: expect.any(String) });
  });
});
