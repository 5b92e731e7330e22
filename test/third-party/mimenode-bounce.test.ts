/**
 * The conformance properties pointed at a third-party DSN generator from npm: nodemailer's
 * MimeNode building bounces the way ZoneMTA does (see ./mimenode-bounce.ts). The findings are
 * pinned here — the test fails when one disappears, changes or is added — and listed in
 * docs/testing.md. dsnkit's own renderer gets the same property and inputs.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { renderDsn } from "@dsnkit/core";
import type { Bounce } from "@dsnkit/core";
import { DsnConformanceError, assertDsnConformance, surveyDsnConformance } from "@dsnkit/testing";
import type { SurveyOptions } from "@dsnkit/testing";
import { mimeNodeBounce } from "./mimenode-bounce.js";

/** ZoneMTA bounces one failed recipient at a time and always returns the original's headers. */
const OPTIONS: SurveyOptions = {
  source: "model",
  model: { maxRecipients: 1, actions: ["failed"] },
  original: "always",
  numRuns: 150,
  seed: 1,
};

/** What MimeNode, used as ZoneMTA uses it, gets wrong: rule id, severity, and what the DSN shows. */
const FINDINGS: readonly { rule: string; severity: "error" | "warning"; shows: RegExp }[] = [
  // setContent() keeps the template's "\n": every line of the text and delivery-status parts ends in a bare LF.
  { rule: "rfc5322.bare-lf", severity: "error", shows: /\[bare LF\]/ },
  // Status is always 5.0.0, whatever the failure (5.1.1 for an unknown mailbox, 4.x.x for a temporary one).
  { rule: "conformance.status", severity: "error", shows: /Status is 5\.0\.0, expected (?!5\.0\.0)\d\.\d+\.\d+/ },
  // Final-Recipient is always "rfc822; <address>", also for an internationalized address.
  { rule: "rfc6533.non-ascii-address-type", severity: "error", shows: /Final-Recipient ".*" is not ASCII: its type is utf-8/ },
  // A UTF-8 address or header in message/delivery-status or text/rfc822-headers, where only ASCII may be.
  { rule: "rfc6533.non-ascii-in-classic", severity: "error", shows: /non-ASCII/ },
  // ... and no Content-Transfer-Encoding: 8bit declared for it.
  { rule: "rfc2045.8bit-undeclared", severity: "error", shows: /declare Content-Transfer-Encoding: 8bit/ },
  // The returned headers are quoted-printable UTF-8 under text/rfc822-headers, with no charset (us-ascii).
  { rule: "rfc2046.charset", severity: "error", shows: /declared us-ascii but has octets that are not/ },
  // Diagnostic-Code and Final-Recipient are written on one line, never folded.
  { rule: "rfc5322.line-over-78", severity: "warning", shows: /lines should be at most 78/ },
];

describe("nodemailer's MimeNode, used as ZoneMTA builds bounces", () => {
  test("breaks exactly the rules listed, each with a shrunk example that shows it", async () => {
    const survey = await surveyDsnConformance(mimeNodeBounce, OPTIONS);
    expect(Object.keys(survey.rules).sort()).toEqual(FINDINGS.map((f) => f.rule).sort());
    for (const f of FINDINGS) {
      const found = survey.rules[f.rule]!;
      expect(found.severity, f.rule).toBe(f.severity);
      expect(found.example.report, f.rule).toMatch(f.shows);
      expect(found.example.report, f.rule).toMatch(new RegExp(`^\\d+ findings? .*\\n  ${f.severity} ${f.rule.replace(/\./g, "\\.")} \\(`));
    }
    // Every bounce it writes has bare LFs and the fixed Status (all but the rare 5.0.0 expected).
    expect(survey.rules["rfc5322.bare-lf"]!.count).toBe(OPTIONS.numRuns);
    expect(survey.rules["conformance.status"]!.count).toBeGreaterThan(OPTIONS.numRuns! * 0.9);
  });

  test("the property fails with a report that names the broken rules and shows the DSN", async () => {
    let error: unknown;
    try {
      await assertDsnConformance(mimeNodeBounce, { ...OPTIONS, numRuns: 20 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DsnConformanceError);
    const e = error as DsnConformanceError;
    expect(e.findings.map((f) => f.rule)).toContain("rfc5322.bare-lf");
    expect(e.message).toMatch(/error rfc5322\.bare-lf \(RFC 5322 §2\.3\) at line \d+/);
    expect(e.message).toMatch(/\n {2}> +\d+ \| .*\[bare LF\]\n/);
    expect(e.input.bounce.deliveryStatus.recipients).toHaveLength(1);
  });

  test("docs/testing.md lists the same findings", () => {
    const doc = readFileSync(resolve(import.meta.dirname, "../../docs/testing.md"), "utf8");
    const section = doc.slice(doc.indexOf("<!-- third-party-findings -->"), doc.indexOf("<!-- /third-party-findings -->"));
    const listed = [...section.matchAll(/^\| `([a-z0-9.-]+)` \| (error|warning) \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(listed.sort()).toEqual(FINDINGS.map((f) => `${f.rule} ${f.severity}`).sort());
  });
});

describe("dsnkit's renderer, on the same property and inputs", () => {
  test("passes: no error; its only warnings are lines it cannot fold (the original's own headers, long Message-IDs)", async () => {
    const generator = (bounce: Bounce) => renderDsn(bounce).raw;
    await assertDsnConformance(generator, OPTIONS);
    const survey = await surveyDsnConformance(generator, OPTIONS);
    expect(Object.keys(survey.rules)).toEqual(["rfc5322.line-over-78"]);
    expect(survey.rules["rfc5322.line-over-78"]!.severity).toBe("warning");
  });
});
