/**
 * The arbitraries that claim validity produce only values core's validator accepts, and they
 * reach every BounceType, Action, address kind and option.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { BOUNCE_TYPES, DSN_ACTIONS, formatIssues, validateBounceRequest } from "@dsnkit/core";
import type { SendBounceRequest, Timestamp } from "@dsnkit/core";
import { MAILBOX_KINDS, TIMESTAMP_FORMS, mailboxKind, sendBounceRequest, timestampForm } from "@dsnkit/testing";
import type { SendBounceRequestConstraints } from "@dsnkit/testing";
import { statistics } from "./helpers.js";

function invalid(requests: readonly SendBounceRequest[]): string[] {
  const out: string[] = [];
  for (const r of requests) {
    const v = validateBounceRequest(r);
    if (!v.ok && out.length < 5) out.push(`${fc.stringify(r).slice(0, 500)}\n  ${formatIssues(v.issues)}`);
  }
  return out;
}

describe("sendBounceRequest is valid by construction", () => {
  test("10,000 samples with the default constraints all pass validateBounceRequest", () => {
    const samples = fc.sample(sendBounceRequest(), { numRuns: 10_000, seed: 20261126 });
    expect(samples).toHaveLength(10_000);
    const bad = invalid(samples);
    expect(bad, bad.join("\n")).toEqual([]);
  });

  test("a fresh seed each run: 1,000 more samples pass (a failure prints the seed to replay)", () => {
    fc.assert(
      fc.property(sendBounceRequest({ maxRecipients: 8 }), (r) => {
        const v = validateBounceRequest(r);
        if (!v.ok) throw new Error(formatIssues(v.issues));
      }),
      { numRuns: 1_000 },
    );
  });

  const variants: [string, SendBounceRequestConstraints][] = [
    ["ASCII only", { unicode: false }],
    ["explicit DSN fields always, many recipients", { explicitDsnFields: "always", minRecipients: 5, maxRecipients: 30 }],
    ["BounceType only, every option always", { explicitDsnFields: "never", extensionFields: "always", explanation: "always", messageDsn: "always" }],
    ["no options", { extensionFields: false, explanation: false, messageDsn: false }],
  ];
  test.each(variants)("2,000 samples (%s) all pass validateBounceRequest", (_name, constraints) => {
    const bad = invalid(fc.sample(sendBounceRequest(constraints), { numRuns: 2_000, seed: 7 }));
    expect(bad, bad.join("\n")).toEqual([]);
  });

  test("the values met while shrinking are valid too", () => {
    const seen: SendBounceRequest[] = [];
    const result = fc.check(
      fc.property(sendBounceRequest(), (r) => {
        seen.push(r);
        // Fails on requests with two or more recipients, so fast-check shrinks them.
        return r.BouncedRecipientInfoList.length < 2;
      }),
      { seed: 3, numRuns: 200 },
    );
    expect(result.failed).toBe(true);
    expect(result.numShrinks).toBeGreaterThan(0);
    const bad = invalid(seen);
    expect(bad, bad.join("\n")).toEqual([]);
    // Shrinking ends at the smallest failing shape: two recipients with a BounceType each, no options.
    const shrunk = result.counterexample![0];
    expect(shrunk.BouncedRecipientInfoList).toHaveLength(2);
    expect(shrunk.Explanation).toBeUndefined();
    expect(shrunk.MessageDsn).toBeUndefined();
    expect(shrunk.BouncedRecipientInfoList.every((r) => r.RecipientDsnFields === undefined)).toBe(true);
  });
});

/** Labels for fc.statistics: what each request holds. */
function labels(r: SendBounceRequest): string[] {
  const out: string[] = [];
  const ts = (field: string, t: Timestamp | undefined) => {
    if (t !== undefined) out.push(`option: ${field}`, `timestamp form: ${timestampForm(t)}`);
  };
  out.push(`BounceSender kind: ${mailboxKind(r.BounceSender.replace(/^.*<(.*)>$/, "$1"))}`);
  if (r.BounceSender.endsWith(">")) out.push(r.BounceSender.startsWith("<") ? "option: BounceSender in angle brackets" : "option: BounceSender display name");
  if (/[^\x00-\x7f]/.test(r.BounceSender)) out.push("option: non-ASCII display name");
  if (r.Explanation !== undefined) out.push(r.Explanation === "" ? "option: empty Explanation" : "option: Explanation");
  if (r.Explanation?.includes("\r\n")) out.push("option: Explanation with CRLF");
  if (r.Explanation !== undefined && /\r(?!\n)/.test(r.Explanation)) out.push("option: Explanation with bare CR");
  if (r.BounceSenderArn !== undefined) out.push("option: BounceSenderArn");
  if (r.MessageDsn !== undefined) {
    out.push("option: MessageDsn");
    out.push(/^\s*[A-Za-z0-9-]+\s*;/.test(r.MessageDsn.ReportingMta) ? "option: typed ReportingMta" : "option: bare ReportingMta");
    ts("MessageDsn.ArrivalDate", r.MessageDsn.ArrivalDate);
    if (r.MessageDsn.ExtensionFields) out.push("option: MessageDsn.ExtensionFields");
  }
  const n = r.BouncedRecipientInfoList.length;
  out.push(n === 1 ? "recipients: 1" : "recipients: 2 or more");
  for (const info of r.BouncedRecipientInfoList) {
    out.push(`Recipient kind: ${mailboxKind(info.Recipient)}`);
    if (info.RecipientArn !== undefined) out.push("option: RecipientArn");
    if (info.BounceType !== undefined) out.push(`BounceType: ${info.BounceType}`);
    const f = info.RecipientDsnFields;
    if (f === undefined) {
      out.push("recipient: BounceType only");
      continue;
    }
    out.push(info.BounceType !== undefined ? "recipient: BounceType and RecipientDsnFields" : "recipient: RecipientDsnFields only");
    out.push(`Action: ${f.Action}`, `Action/Status: ${f.Action} ${f.Status.charAt(0)}.x.x`);
    if (f.FinalRecipient !== undefined) out.push("option: FinalRecipient", `FinalRecipient kind: ${mailboxKind(f.FinalRecipient)}`);
    if (f.RemoteMta !== undefined) out.push("option: RemoteMta");
    if (f.DiagnosticCode !== undefined) out.push("option: DiagnosticCode");
    ts("LastAttemptDate", f.LastAttemptDate);
    if (f.ExtensionFields !== undefined) out.push("option: RecipientDsnFields.ExtensionFields");
  }
  return [...new Set(out)];
}

describe("sendBounceRequest reaches every case (fc.statistics)", () => {
  const stats = statistics(sendBounceRequest(), labels, 5_000, 11);

  test.each([
    ...BOUNCE_TYPES.map((t) => `BounceType: ${t}`),
    ...DSN_ACTIONS.map((a) => `Action: ${a}`),
    "Action/Status: failed 5.x.x",
    "Action/Status: failed 4.x.x",
    "Action/Status: delayed 4.x.x",
    "Action/Status: delivered 2.x.x",
    "Action/Status: relayed 2.x.x",
    "Action/Status: expanded 2.x.x",
    ...MAILBOX_KINDS.map((k) => `Recipient kind: ${k}`),
    ...MAILBOX_KINDS.map((k) => `FinalRecipient kind: ${k}`),
    ...MAILBOX_KINDS.filter((k) => k !== "utf8-local").map((k) => `BounceSender kind: ${k}`),
    ...TIMESTAMP_FORMS.map((f) => `timestamp form: ${f}`),
    "recipients: 1",
    "recipients: 2 or more",
    "recipient: BounceType only",
    "recipient: RecipientDsnFields only",
    "recipient: BounceType and RecipientDsnFields",
    "option: BounceSender display name",
    "option: BounceSender in angle brackets",
    "option: non-ASCII display name",
    "option: Explanation",
    "option: empty Explanation",
    "option: Explanation with CRLF",
    "option: Explanation with bare CR",
    "option: BounceSenderArn",
    "option: MessageDsn",
    "option: typed ReportingMta",
    "option: bare ReportingMta",
    "option: MessageDsn.ArrivalDate",
    "option: MessageDsn.ExtensionFields",
    "option: RecipientArn",
    "option: FinalRecipient",
    "option: RemoteMta",
    "option: DiagnosticCode",
    "option: LastAttemptDate",
    "option: RecipientDsnFields.ExtensionFields",
  ])("%s is reached", (label) => {
    expect(stats.get(label), `fc.statistics never printed "${label}"; it printed: ${[...stats.keys()].join(", ")}`).toBeGreaterThan(0);
  });

  test("the three recipient shapes and every Action are each a fair share, not a rarity", () => {
    for (const a of DSN_ACTIONS) expect(stats.get(`Action: ${a}`)).toBeGreaterThan(5);
    for (const t of BOUNCE_TYPES) expect(stats.get(`BounceType: ${t}`)).toBeGreaterThan(5);
    for (const k of MAILBOX_KINDS) expect(stats.get(`Recipient kind: ${k}`)).toBeGreaterThan(5);
  });
});

describe("sendBounceRequest honours its constraints", () => {
  const sample = (c: SendBounceRequestConstraints) => fc.sample(sendBounceRequest(c), { numRuns: 300, seed: 5 });

  test("unicode: false gives ASCII only", () => {
    for (const r of sample({ unicode: false })) expect(JSON.stringify(r)).toMatch(/^[\x00-\x7f]*$/);
  });
  test("recipient counts stay within minRecipients and maxRecipients", () => {
    const counts = sample({ minRecipients: 3, maxRecipients: 4 }).map((r) => r.BouncedRecipientInfoList.length);
    expect(new Set(counts)).toEqual(new Set([3, 4]));
  });
  test('explicitDsnFields "never" and "always"', () => {
    for (const r of sample({ explicitDsnFields: "never" }))
      for (const i of r.BouncedRecipientInfoList) expect(i.RecipientDsnFields).toBeUndefined();
    for (const r of sample({ explicitDsnFields: "always" }))
      for (const i of r.BouncedRecipientInfoList) expect(i.RecipientDsnFields).toBeDefined();
  });
  test("extensionFields, explanation and messageDsn: false and always", () => {
    for (const r of sample({ extensionFields: false, explanation: false, messageDsn: false })) {
      expect(JSON.stringify(r)).not.toContain("ExtensionFields");
      expect(r.Explanation).toBeUndefined();
      expect(r.MessageDsn).toBeUndefined();
    }
    for (const r of sample({ explanation: "always", messageDsn: "always", extensionFields: "always" })) {
      expect(r.Explanation).toBeDefined();
      expect(r.MessageDsn?.ExtensionFields).toBeDefined();
    }
  });
  test("distinct final recipients (ignoring case)", () => {
    for (const r of sample({ minRecipients: 5, maxRecipients: 10 })) {
      const finals = r.BouncedRecipientInfoList.map((i) => (i.RecipientDsnFields?.FinalRecipient ?? i.Recipient).toLowerCase());
      expect(new Set(finals).size).toBe(finals.length);
    }
  });
  test("bad constraints get clear errors", () => {
    expect(() => sendBounceRequest({ minRecipients: 0 })).toThrow(/minRecipients must be a whole number from 1/);
    expect(() => sendBounceRequest({ minRecipients: 4, maxRecipients: 2 })).toThrow(/maxRecipients must be a whole number from minRecipients \(4\)/);
    expect(() => sendBounceRequest({ maxRecipients: 10_001 })).toThrow(/to 10000/);
    expect(() => sendBounceRequest({ explicitDsnFields: "often" as never })).toThrow(/explicitDsnFields must be/);
    expect(() => sendBounceRequest({ explanation: "maybe" as never })).toThrow(/explanation must be true, false/);
  });
});
