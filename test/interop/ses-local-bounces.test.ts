/**
 * ses-local's outbox against SES's own bounces: for each BounceType, the bounce ses-local writes is
 * recognised by Sisimai as Amazon SES's (its ReceivingSES agent) with the reason Sisimai gives
 * SES's own bounce of that type, is read by Python's email package without a defect and by
 * parseDsn, and has the layout of the SES-shaped bounces in packages/core/test/fixtures/ses-shaped/.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BOUNCE_TYPES, parseDsn } from "@dsnkit/core";
import type { BounceType } from "@dsnkit/core";
import { startSesLocal } from "@dsnkit/ses-local";
import type { SesLocal } from "@dsnkit/ses-local";
import { bounceParams, deliver, mail, signedCall, tempDir } from "../../packages/ses-local/test/helpers.js";
import { classify, get, readWithPython } from "../support/external.js";
import type { Classification, PyDsn } from "../support/external.js";
import { skeleton } from "../support/skeleton.js";
import { SES_SHAPED, SES_SHAPED_SENDER, SES_STATUS, sesShaped } from "../support/ses-shaped.js";

/**
 * The reason Sisimai 4.25 gives SES's own bounce of each type: ReceivingSES matches SES's
 * diagnostic texts (filtered, mailboxfull, mesgtoobig, contenterror) and otherwise names the
 * status; 5.0.0 and 4.0.0 name no reason, which Sisimai calls onhold.
 */
const REASON: Record<BounceType, string> = {
  DoesNotExist: "filtered",
  ExceededQuota: "mailboxfull",
  MessageTooLarge: "mesgtoobig",
  ContentRejected: "contenterror",
  TemporaryFailure: "onhold",
  Undefined: "onhold",
};
const DIAGNOSTIC: Record<BounceType, string> = {
  DoesNotExist: "550 5.1.1 Mailbox does not exist",
  ExceededQuota: "552 5.2.2 Mailbox full",
  MessageTooLarge: "552 5.3.4 Message too large",
  ContentRejected: "500 5.6.1 Message content rejected",
  Undefined: "554 5.0.0 Unknown failure",
  TemporaryFailure: "450 4.0.0 Temporary failure",
};

let ses: SesLocal;
let remove: () => Promise<void>;
const now = new Date("2026-11-26T10:00:00Z");
const raws = new Map<BounceType, string>();

/** Delivers a message from SES_SHAPED_SENDER to `recipients`, bounces each with its type, and returns the outbox file. */
async function bounce(recipients: [string, BounceType][]): Promise<string> {
  const to = recipients.map(([a]) => a);
  const id = await deliver(ses.smtpPort, mail({ from: `Sender <${SES_SHAPED_SENDER}>`, to: to.join(", ") }), SES_SHAPED_SENDER, to);
  const params: Record<string, string> = {};
  recipients.forEach(([address, type], i) => {
    params[`BouncedRecipientInfoList.member.${i + 1}.Recipient`] = address;
    params[`BouncedRecipientInfoList.member.${i + 1}.BounceType`] = type;
  });
  const r = await signedCall(ses.httpPort, bounceParams(id, params));
  expect(r.status, r.body).toBe(200);
  const bounceId = /<MessageId>([^<]+)</.exec(r.body)![1]!;
  return readFile(ses.outboxPath(bounceId), "utf8");
}

beforeAll(async () => {
  const t = await tempDir();
  remove = t.remove;
  ses = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir: t.dir, rate: 0, domains: ["example.com"], identities: ["mailer-daemon@example.com"], clock: () => now });
  for (const type of BOUNCE_TYPES) raws.set(type, await bounce([["nobody@example.com", type]]));
});

afterAll(async () => {
  await ses?.close();
  await remove?.();
});

describe("Sisimai reads ses-local's bounce of each BounceType as SES's own", () => {
  let results: Map<BounceType, Classification>;
  beforeAll(async () => {
    const out = await classify(BOUNCE_TYPES.map((t) => raws.get(t)!));
    results = new Map(BOUNCE_TYPES.map((t, i) => [t, out[i]!]));
  });

  test.each(BOUNCE_TYPES)("%s", (type) => {
    const r = results.get(type)!;
    expect(r.sisimai).toHaveLength(1);
    expect(r.sisimai[0]).toMatchObject({ agent: "ReceivingSES", recipient: "nobody@example.com", reason: REASON[type], status: SES_STATUS[type], action: "failed" });
  });
});

describe("Python's email package reads each without a defect", () => {
  let py: Map<BounceType, PyDsn>;
  beforeAll(async () => {
    const out = await readWithPython(BOUNCE_TYPES.map((t) => raws.get(t)!));
    py = new Map(BOUNCE_TYPES.map((t, i) => [t, out[i]!]));
  });

  test.each(BOUNCE_TYPES)("%s", (type) => {
    const p = py.get(type)!;
    expect(p.defects).toEqual([]);
    expect(p.headers.map(([n]) => n)).toEqual(["Date", "From", "To", "Message-ID", "Subject", "MIME-Version", "Content-Type", "X-SES-Outgoing", "Feedback-ID"]);
    expect(p.content_type).toBe("multipart/report");
    expect(p.report_type).toBe("delivery-status");
    expect(p.parts.map((x) => [x.content_type, x.cte, x.defects])).toEqual([
      ["text/plain", "7bit", []],
      ["message/delivery-status", "7bit", []],
      ["text/rfc822-headers", "7bit", []],
    ]);
    expect(p.parts[0]!.text).toBe("This message could not be delivered.");
    const [, rcpt] = p.parts[1]!.blocks!;
    expect(rcpt).toEqual([
      ["Action", "failed"],
      ["Final-Recipient", "rfc822; nobody@example.com"],
      ["Original-Recipient", "rfc822; nobody@example.com"],
      ["Diagnostic-Code", `smtp; ${DIAGNOSTIC[type]}`],
      ["Status", SES_STATUS[type]],
    ]);
    expect(get(p.parts[2]!.headers, "Subject")).toBe("Quarterly report");
  });
});

describe("parseDsn reads each", () => {
  test.each(BOUNCE_TYPES)("%s: the model SES's request gives, tolerating only the Arrival-Date's zone UTC", (type) => {
    const dsn = parseDsn(raws.get(type)!);
    expect(dsn.tolerances.map((t) => t.code)).toEqual(["date-obsolete"]);
    expect(dsn.deliveryStatus.perMessage.arrivalDate).toEqual(now);
    expect(dsn.deliveryStatus.recipients).toEqual([
      {
        originalRecipient: { type: "rfc822", address: "nobody@example.com" },
        finalRecipient: { type: "rfc822", address: "nobody@example.com" },
        action: "failed",
        status: SES_STATUS[type],
        diagnosticCode: { type: "smtp", text: DIAGNOSTIC[type] },
        extensionFields: [],
      },
    ]);
    expect(dsn.explanation).toBe("This message could not be delivered.");
  });
});

describe("the layout of SES's own bounces", () => {
  test.each(SES_SHAPED)("$file: every header field and its order, every part header, every delivery-status field and its order, every empty line", async ({ file, recipients }) => {
    expect(skeleton(await bounce(recipients))).toEqual(skeleton(sesShaped(file)));
  });
});
