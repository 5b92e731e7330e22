/**
 * The RFC 3464 model arbitraries give only values core's validateBounce accepts, reach every
 * field, and keep values in the form a parser gives back.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DSN_ACTIONS, formatIssues, renderDsn, validateBounce } from "@dsnkit/core";
import type { Bounce, DeliveryStatus } from "@dsnkit/core";
import { deliveryStatusModel, resolvedBounce } from "@dsnkit/testing";
import { assertDeterministic, statistics } from "./helpers.js";

const base: Omit<Bounce, "deliveryStatus"> = {
  from: { address: "mailer-daemon@example.com" },
  to: "sender@example.org",
  subject: "Delivery Status Notification (Failure)",
  date: new Date("2026-11-26T10:00:00Z"),
  messageId: "<b1@example.com>",
  explanation: "x\n",
};

function invalid(bounces: readonly Bounce[]): string[] {
  const out: string[] = [];
  for (const b of bounces) {
    const issues = validateBounce(b);
    if (issues.length > 0 && out.length < 5) out.push(`${fc.stringify(b).slice(0, 500)}\n  ${formatIssues(issues)}`);
  }
  return out;
}

describe("deliveryStatusModel", () => {
  test("10,000 samples all pass validateBounce", () => {
    const bad = invalid(fc.sample(deliveryStatusModel(), { numRuns: 10_000, seed: 1 }).map((deliveryStatus) => ({ ...base, deliveryStatus })));
    expect(bad, bad.join("\n")).toEqual([]);
  });
  test("values are in parsed form: whole-second dates, lower-case types, trimmed text, distinct final recipients", () => {
    for (const ds of fc.sample(deliveryStatusModel({ minRecipients: 2 }), { numRuns: 500, seed: 2 })) {
      const dates = [ds.perMessage.arrivalDate, ...ds.recipients.flatMap((r) => [r.lastAttemptDate, r.willRetryUntil])];
      for (const d of dates) if (d !== undefined) expect(d.getTime() % 1000).toBe(0);
      const types = [ds.perMessage.reportingMta.type, ...ds.recipients.flatMap((r) => [r.finalRecipient.type, r.diagnosticCode?.type ?? "smtp"])];
      for (const t of types) expect(t).toBe(t.toLowerCase());
      for (const r of ds.recipients) {
        if (r.diagnosticCode) expect(r.diagnosticCode.text).toBe(r.diagnosticCode.text.trim());
        for (const x of r.extensionFields) expect(x.value).toBe(x.value.trim());
        if (r.willRetryUntil) expect(r.action).toBe("delayed");
        if (!/^[\x00-\x7f]*$/.test(r.finalRecipient.address)) expect(r.finalRecipient.type).toBe("utf-8");
      }
      const finals = ds.recipients.map((r) => r.finalRecipient.address.toLowerCase());
      expect(new Set(finals).size).toBe(finals.length);
    }
  });
  test("every field and Action is reached (fc.statistics)", () => {
    const labels = (ds: DeliveryStatus) => {
      const out = Object.keys(ds.perMessage).filter((k) => k !== "extensionFields").map((k) => `perMessage.${k}`);
      if (ds.perMessage.extensionFields.length > 0) out.push("perMessage.extensionFields");
      for (const r of ds.recipients) {
        out.push(...Object.keys(r).filter((k) => k !== "extensionFields").map((k) => `recipient.${k}`), `Action: ${r.action}`, `address type: ${r.finalRecipient.type}`);
        if (r.extensionFields.length > 0) out.push("recipient.extensionFields");
      }
      return out;
    };
    const stats = statistics(deliveryStatusModel(), labels, 3000);
    const expected = [
      ...["originalEnvelopeId", "reportingMta", "dsnGateway", "receivedFromMta", "arrivalDate", "extensionFields"].map((k) => `perMessage.${k}`),
      ...["originalRecipient", "finalRecipient", "action", "status", "remoteMta", "diagnosticCode", "lastAttemptDate", "finalLogId", "willRetryUntil", "extensionFields"].map((k) => `recipient.${k}`),
      ...DSN_ACTIONS.map((a) => `Action: ${a}`),
      "address type: rfc822",
      "address type: utf-8",
    ];
    for (const label of expected) expect(stats.get(label), label).toBeGreaterThan(0);
  });
  test("actions limits the Actions (a bounce builder that only reports failures)", () => {
    for (const ds of fc.sample(deliveryStatusModel({ actions: ["failed"], minRecipients: 3 }), { numRuns: 200, seed: 7 }))
      for (const r of ds.recipients) {
        expect(r.action).toBe("failed");
        expect(r.status).toMatch(/^[45]\./);
      }
    expect(() => deliveryStatusModel({ actions: [] })).toThrow(/actions must name at least one Action/);
    expect(() => resolvedBounce({ actions: ["bounced" as never] })).toThrow(/"bounced" is not one of failed/);
  });
  test("Message-IDs are dot-atom@domain-name, never an IP address (RFC 5322 §3.6.4)", () => {
    for (const b of fc.sample(resolvedBounce({ original: false }), { numRuns: 500, seed: 8 }))
      for (const id of [b.messageId, b.inReplyTo ?? "<a@b>"]) expect(id).toMatch(/^<[A-Za-z0-9!#$%&'*+\/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+\/=?^_`{|}~-]+)*@[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*>$/);
  });
  test("the bounce's Date is not before the arrival or any attempt it reports", () => {
    for (const b of fc.sample(resolvedBounce({ original: false }), { numRuns: 500, seed: 9 })) {
      const ds = b.deliveryStatus;
      for (const d of [ds.perMessage.arrivalDate, ...ds.recipients.map((r) => r.lastAttemptDate)]) if (d) expect(b.date.getTime()).toBeGreaterThanOrEqual(d.getTime());
    }
  });
  test("unicode: false gives ASCII only; deterministic for a seed", () => {
    for (const ds of fc.sample(deliveryStatusModel({ unicode: false }), { numRuns: 300, seed: 3 })) expect(JSON.stringify(ds)).toMatch(/^[\x00-\x7f]*$/);
    assertDeterministic(deliveryStatusModel());
    expect(() => deliveryStatusModel({ minRecipients: 0 })).toThrow(/minRecipients must be a whole number, 1 or more/);
  });
});

describe("resolvedBounce", () => {
  test("10,000 samples without the original all pass validateBounce", () => {
    const bad = invalid(fc.sample(resolvedBounce({ original: false }), { numRuns: 10_000, seed: 4 }));
    expect(bad, bad.join("\n")).toEqual([]);
  });
  test("1,000 samples with the original all pass validateBounce and render", () => {
    const bounces = fc.sample(resolvedBounce({ original: "always" }), { numRuns: 1_000, seed: 5 });
    const bad = invalid(bounces);
    expect(bad, bad.join("\n")).toEqual([]);
    for (const b of bounces) {
      expect(b.original).toBeDefined();
      expect(b.inReplyTo).toMatch(/^<.+@.+>$/);
      expect(() => renderDsn(b, { boundary: "conformance-boundary" })).not.toThrow();
    }
  });
  test("shrinking keeps bounces valid", () => {
    const seen: Bounce[] = [];
    const result = fc.check(
      fc.property(resolvedBounce(), (b) => {
        seen.push(b);
        return b.deliveryStatus.recipients.length < 2;
      }),
      { seed: 6, numRuns: 200 },
    );
    expect(result.failed).toBe(true);
    const bad = invalid(seen);
    expect(bad, bad.join("\n")).toEqual([]);
    expect(result.counterexample![0].deliveryStatus.recipients).toHaveLength(2);
  });
});
