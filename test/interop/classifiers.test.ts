/**
 * SPEC §6: the bounce parsers mail operators use classify dsnkit's DSNs as intended. Sisimai
 * reads the Diagnostic-Code text before the Status, so this also guards their consistency.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { BOUNCE_TYPES, renderBounce } from "@dsnkit/core";
import type { BounceType } from "@dsnkit/core";
import { classify } from "../support/external.js";
import type { Classification } from "../support/external.js";
import { CASES } from "../golden/cases.js";
import { SES_STATUS } from "../support/ses-shaped.js";

/** SPEC §6's Sisimai reasons, and what Mail::DeliveryStatus::BounceParser 1.543 says. */
const EXPECTED: Record<BounceType, { sisimai: string[]; soft: number; bounceparser: string }> = {
  DoesNotExist: { sisimai: ["userunknown"], soft: 0, bounceparser: "user_unknown" },
  ExceededQuota: { sisimai: ["mailboxfull"], soft: 1, bounceparser: "over_quota" },
  MessageTooLarge: { sisimai: ["mesgtoobig"], soft: 1, bounceparser: "over_quota" },
  ContentRejected: { sisimai: ["contenterror", "spamdetected"], soft: 1, bounceparser: "unknown" },
  Undefined: { sisimai: ["undefined", "onhold"], soft: 1, bounceparser: "unknown" },
  TemporaryFailure: { sisimai: ["undefined", "onhold", "expired", "systemerror"], soft: 1, bounceparser: "unknown" },
};

describe("Sisimai and BounceParser classify each BounceType as SPEC §6 says", () => {
  let results: Map<BounceType, Classification>;
  beforeAll(async () => {
    const raws = BOUNCE_TYPES.map((type) => {
      const c = CASES.find((x) => x.name === `type-${type}`)!;
      return renderBounce(c.request, c.options).raw;
    });
    const out = await classify(raws);
    results = new Map(BOUNCE_TYPES.map((t, i) => [t, out[i]!]));
  });

  test.each(BOUNCE_TYPES)("%s", (type) => {
    const r = results.get(type)!;
    const want = EXPECTED[type];
    expect(r.sisimai).toHaveLength(1);
    const s = r.sisimai[0]!;
    expect(s.recipient).toBe("nobody@example.com");
    expect(want.sisimai).toContain(s.reason);
    expect(s.status).toBe(SES_STATUS[type]);
    expect(s.action).toBe("failed");
    expect(s.softbounce).toBe(want.soft);
    expect(r.bounceparser).toHaveLength(1);
    expect(r.bounceparser[0]).toMatchObject({ email: "nobody@example.com", std_reason: want.bounceparser, status: SES_STATUS[type] });
  });
});

test("every recipient of a mixed DSN is seen by both classifiers", async () => {
  const mixed = CASES.find((c) => c.name === "mixed-recipients")!;
  const [m] = await classify([renderBounce(mixed.request, mixed.options).raw]);
  expect(m!.sisimai.map((s) => [s.recipient, s.status])).toEqual([
    ["nobody@example.com", "5.1.1"],
    ["full@example.com", "5.2.2"],
    ["big@example.com", "5.3.4"],
    ["later@example.com", "4.0.0"],
  ]);
  expect(m!.bounceparser.map((b) => [b.email, b.status])).toEqual([
    ["nobody@example.com", "5.1.1"],
    ["full@example.com", "5.2.2"],
    ["big@example.com", "5.3.4"],
    ["later@example.com", "4.0.0"],
  ]);
});

test("non-ASCII display name, Subject and explanation do not hide the bounce", async () => {
  const c = CASES.find((x) => x.name === "non-ascii")!;
  const request = { ...c.request, BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" as const }] };
  const [r] = await classify([renderBounce(request, c.options).raw]);
  expect(r!.sisimai.map((s) => [s.recipient, s.reason])).toEqual([["nobody@example.com", "userunknown"]]);
  expect(r!.bounceparser.map((b) => b.std_reason)).toEqual(["user_unknown"]);
});

test("UTF-8 recipients (RFC 6533 utf-8; with \\x{HHHH}) are reported by BounceParser; Sisimai 4.25 reads no UTF-8 address", async () => {
  const c = CASES.find((x) => x.name === "non-ascii")!;
  const [r] = await classify([renderBounce(c.request, c.options).raw]);
  expect(r!.bounceparser.map((b) => [b.email, b.status, b.std_reason])).toEqual([
    ["\\x{7528}\\x{6237}@\\x{4F8B}\\x{5B50}.\\x{5E7F}\\x{544A}", "5.1.1", "user_unknown"],
    ["zo\\x{EB}@example.com", "5.2.2", "over_quota"],
  ]);
  // A limitation of Sisimai 4.25 (Debian bookworm), documented in docs/: it drops recipients
  // whose address is not ASCII, in either delivery-status type. If this starts failing, Sisimai
  // learned to read them: update the docs.
  expect(r!.sisimai).toEqual([]);
});
