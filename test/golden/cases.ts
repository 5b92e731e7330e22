/**
 * The golden DSNs: each case is a SendBounce request plus context and render options, rendered
 * deterministically (fixed clock, Message-ID and boundary). The expected output is the .eml file
 * of the same name, reviewed by eye; `UPDATE_GOLDEN=1 npx vitest run test/golden` rewrites them.
 */
import type { RenderBounceOptions, SendBounceRequest, BounceType } from "@dsnkit/core";
import { BOUNCE_TYPES } from "@dsnkit/core";

export interface GoldenCase {
  name: string;
  request: SendBounceRequest;
  options: RenderBounceOptions;
}

const CRLF = "\r\n";
const fixed = (name: string): RenderBounceOptions => ({
  now: new Date("2026-11-26T10:00:00Z"),
  messageId: `<golden-${name}@bounces.example.com>`,
  boundary: "golden-boundary",
});

/** An ordinary original as an SES inbound endpoint receives it. */
export const ORIGINAL = [
  "Return-Path: <alice@sender.example.org>",
  "Received: from mail.sender.example.org (mail.sender.example.org [192.0.2.10])",
  "\tby inbound-smtp.us-east-1.amazonaws.com with SMTP id 0100019abc",
  "\tfor nobody@example.com; Thu, 26 Nov 2026 09:59:58 +0000",
  "From: Alice Sender <alice@sender.example.org>",
  "To: nobody@example.com",
  "Subject: Quarterly report",
  "Date: Thu, 26 Nov 2026 09:59:50 +0000",
  "Message-ID: <20261126095950.4242@mail.sender.example.org>",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=us-ascii",
  "",
  "Hello, here is the report.",
  "",
].join(CRLF);

const base = (recipients: SendBounceRequest["BouncedRecipientInfoList"]): SendBounceRequest => ({
  OriginalMessageId: "0100019abcdef012-3456789a-bcde-f012-3456-789abcdef012-000000",
  BounceSender: "mailer-daemon@example.com",
  MessageDsn: { ReportingMta: "dns; inbound-smtp.us-east-1.amazonaws.com", ArrivalDate: "2026-11-26T09:59:58Z" },
  BouncedRecipientInfoList: recipients,
});

const perType: GoldenCase[] = BOUNCE_TYPES.map((type: BounceType) => ({
  name: `type-${type}`,
  request: base([{ Recipient: "nobody@example.com", BounceType: type }]),
  options: { ...fixed(`type-${type}`), original: ORIGINAL },
}));

/** An original whose DKIM-Signature, ARC and Received headers alone exceed the cap (700 octets in its case). */
export const HEAVY_ORIGINAL = (() => {
  const sig = (d: string) =>
    `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${d}; s=s1;${CRLF}` +
    `\th=from:to:subject:date:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;${CRLF}` +
    `\tb=${"AbCdEfGhIjKlMnOpQrStUvWxYz0123456789".repeat(2)}${CRLF}` +
    Array.from({ length: 5 }, (_, i) => `\t ${"aBcDeFgHiJkLmNoPqRsTuVwXyZ9876543210".repeat(2)}${i}`).join(CRLF);
  const received = (i: number) =>
    `Received: from relay${i}.example.net (relay${i}.example.net [198.51.100.${i}])${CRLF}` +
    `\tby relay${i + 1}.example.net with ESMTPS id r${i}; Thu, 26 Nov 2026 09:59:${String(40 + i).padStart(2, "0")} +0000`;
  return [
    received(1),
    received(2),
    received(3),
    received(4),
    `ARC-Seal: i=1; a=rsa-sha256; t=1795687190; cv=none; d=example.net; s=arc;${CRLF}\tb=${"Q".repeat(60)}`,
    `ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=example.net; s=arc;${CRLF}\tb=${"R".repeat(60)}`,
    sig("sender.example.org"),
    sig("esp.example.net"),
    sig("relay.example.net"),
    "From: Alice Sender <alice@sender.example.org>",
    "To: nobody@example.com",
    "Cc: team@sender.example.org",
    "Subject: Quarterly report",
    "Date: Thu, 26 Nov 2026 09:59:50 +0000",
    "Message-ID: <20261126095950.4243@mail.sender.example.org>",
    "List-Id: <reports.sender.example.org>",
    "X-Mailer: golden-test",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "Body.",
    "",
  ].join(CRLF);
})();

export const CASES: GoldenCase[] = [
  ...perType,
  {
    name: "mixed-recipients",
    request: base([
      { Recipient: "nobody@example.com", BounceType: "DoesNotExist" },
      { Recipient: "full@example.com", BounceType: "ExceededQuota" },
      { Recipient: "big@example.com", BounceType: "MessageTooLarge" },
      { Recipient: "later@example.com", BounceType: "TemporaryFailure" },
    ]),
    options: { ...fixed("mixed-recipients"), original: ORIGINAL },
  },
  {
    name: "explicit-fields",
    request: {
      ...base([
        {
          Recipient: "nobody@example.com",
          RecipientArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
          BounceType: "DoesNotExist",
          RecipientDsnFields: {
            FinalRecipient: "final.nobody@example.com",
            Action: "failed",
            RemoteMta: "mx1.example.com",
            Status: "5.1.1",
            DiagnosticCode:
              "550 5.1.1 <final.nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table; please check the address and try again",
            LastAttemptDate: 1795687195,
            ExtensionFields: [{ Name: "Rule", Value: "unknown-user" }],
          },
        },
      ]),
      BounceSenderArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
      Explanation: "The mailbox nobody@example.com was closed.\nWe bounced your message.",
    },
    options: { ...fixed("explicit-fields"), original: ORIGINAL },
  },
  {
    name: "extension-fields",
    request: {
      ...base([
        {
          Recipient: "nobody@example.com",
          BounceType: "ContentRejected",
          RecipientDsnFields: {
            Action: "failed",
            Status: "5.6.1",
            ExtensionFields: [
              { Name: "Policy", Value: "attachments-v2" },
              { Name: "X-Scanner", Value: "clamav 1.4" },
            ],
          },
        },
      ]),
      MessageDsn: {
        ReportingMta: "inbound-smtp.us-east-1.amazonaws.com",
        ArrivalDate: "2026-11-26T09:59:58Z",
        ExtensionFields: [
          { Name: "Tenant", Value: "acme" },
          { Name: "Receipt-Rule", Value: "reject-unknown-users" },
        ],
      },
    },
    options: { ...fixed("extension-fields"), original: ORIGINAL },
  },
  {
    name: "non-ascii",
    request: {
      ...base([{ Recipient: "用户@例子.广告", BounceType: "DoesNotExist" }, { Recipient: "zoë@example.com", BounceType: "ExceededQuota" }]),
      BounceSender: "Zoë Ångström, Postmaster <postmaster@example.com>",
      Explanation: "Ihre Nachricht konnte nicht zugestellt werden: Grüße aus München.\n日本語のメッセージ。\n",
    },
    options: { ...fixed("non-ascii"), original: ORIGINAL, subject: "Unzustellbar: Ünïcödé subject 日本語" },
  },
  {
    name: "original-whole",
    request: base([{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }]),
    options: { ...fixed("original-whole"), original: ORIGINAL, returnOriginal: "message" },
  },
  {
    name: "original-none",
    request: base([{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }]),
    options: { ...fixed("original-none"), originalSender: "alice@sender.example.org" },
  },
  {
    name: "original-over-cap",
    request: base([{ Recipient: "nobody@example.com", BounceType: "MessageTooLarge" }]),
    options: {
      ...fixed("original-over-cap"),
      original: ORIGINAL + "x".repeat(70).concat(CRLF).repeat(800),
      returnOriginal: "message",
    },
  },
  {
    name: "original-heavy-headers",
    request: base([{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }]),
    options: { ...fixed("original-heavy-headers"), original: HEAVY_ORIGINAL, maxOriginalSize: 700 },
  },
];

/**
 * The ses profile's golden DSNs (`ses-*.eml`): what SES itself sends for the same requests. The
 * boundary and Message-ID are given in SES's forms, as ses-local gives them.
 */
const sesFixed = (n: number): RenderBounceOptions => ({
  now: new Date("2026-11-26T10:00:00Z"),
  messageId: `<010001a2174c3500-1b4e28ba-2fa1-41d2-883f-0016d3cca4${String(n).padStart(2, "0")}-000000@us-east-1.amazonses.com>`,
  boundary: `----=_Part_${n}_1418064233.1795687200000`,
  profile: "ses",
});

export const SES_CASES: GoldenCase[] = [
  ...BOUNCE_TYPES.map((type: BounceType, i) => ({
    name: `ses-type-${type}`,
    request: base([{ Recipient: "nobody@example.com", BounceType: type }]),
    options: { ...sesFixed(i + 1), original: ORIGINAL },
  })),
  {
    name: "ses-mixed-recipients",
    request: base([
      { Recipient: "nobody@example.com", BounceType: "DoesNotExist" },
      { Recipient: "full@example.com", BounceType: "ExceededQuota" },
    ]),
    options: { ...sesFixed(7), original: ORIGINAL },
  },
  {
    name: "ses-explicit-fields",
    request: {
      ...base([
        {
          Recipient: "nobody@example.com",
          RecipientDsnFields: {
            FinalRecipient: "final.nobody@example.com",
            Action: "failed",
            RemoteMta: "mx1.example.com",
            Status: "5.1.1",
            DiagnosticCode: "550 5.1.1 <final.nobody@example.com>: Recipient address rejected: User unknown",
            LastAttemptDate: 1795687195,
            ExtensionFields: [{ Name: "Rule", Value: "unknown-user" }],
          },
        },
      ]),
      Explanation: "The mailbox nobody@example.com was closed.",
      MessageDsn: {
        ReportingMta: "dns; inbound-smtp.us-east-1.amazonaws.com",
        ArrivalDate: "2026-11-26T09:59:58Z",
        ExtensionFields: [{ Name: "Tenant", Value: "acme" }],
      },
    },
    options: { ...sesFixed(8), original: ORIGINAL },
  },
  {
    name: "ses-original-none",
    request: base([{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }]),
    options: { ...sesFixed(9), originalSender: "alice@sender.example.org" },
  },
];
