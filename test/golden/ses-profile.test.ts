/**
 * The ses render profile: golden files (`ses-*.eml`, reviewed by eye), read back by Python's
 * email package, held against SES-shaped bounces written from what SES sends
 * (packages/core/test/fixtures/ses-shaped/), and what checkDsn and parseDsn say about SES's
 * departures from the RFCs.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { checkDsn, parseDsn, renderBounce, resolveBounce } from "@dsnkit/core";
import type { RenderedDsn, SendBounceRequest } from "@dsnkit/core";
import { SES_CASES } from "./cases.js";
import { get, readWithPython } from "../support/external.js";
import type { PyDsn } from "../support/external.js";
import { skeleton } from "../support/skeleton.js";
import { SES_SHAPED, SES_SHAPED_SENDER, sesShaped } from "../support/ses-shaped.js";

const dir = import.meta.dirname;
const update = process.env.UPDATE_GOLDEN === "1";
const rendered = new Map<string, RenderedDsn>(SES_CASES.map((c) => [c.name, renderBounce(c.request, c.options)]));
const caseOf = (name: string) => SES_CASES.find((c) => c.name === name)!;

/** The names of a list of [name, value] fields, in order. */
const names = (fields: readonly [string, string][] | undefined) => (fields ?? []).map(([n]) => n);

describe("ses profile golden DSNs, byte for byte", () => {
  test.each(SES_CASES.map((c) => c.name))("%s", (name) => {
    const file = join(dir, `${name}.eml`);
    const raw = rendered.get(name)!.raw;
    if (update || !existsSync(file)) writeFileSync(file, raw);
    expect(raw).toBe(readFileSync(file, "utf8"));
  });
});

describe("ses profile DSNs read back by Python's email package", () => {
  let py: Map<string, PyDsn>;
  beforeAll(async () => {
    const results = await readWithPython(SES_CASES.map((c) => rendered.get(c.name)!.raw));
    py = new Map(SES_CASES.map((c, i) => [c.name, results[i]!]));
  });

  test.each(SES_CASES.map((c) => c.name))("%s: SES's fields, parts and delivery-status blocks, no defect", (name) => {
    const p = py.get(name)!;
    const c = caseOf(name);
    expect(p.defects).toEqual([]);
    expect(names(p.headers)).toEqual(["Date", "From", "To", "Message-ID", "Subject", "MIME-Version", "Content-Type"]);
    expect(p.content_type).toBe("multipart/report");
    expect(p.report_type).toBe("delivery-status");
    expect(p.boundary).toBe(c.options.boundary);
    const withOriginal = c.options.original !== undefined;
    expect(p.parts.map((x) => x.content_type)).toEqual(["text/plain", "message/delivery-status", ...(withOriginal ? ["text/rfc822-headers"] : [])]);
    for (const part of p.parts) {
      expect(part.defects).toEqual([]);
      expect(part.cte).toBe("7bit");
    }
    const [pm, ...blocks] = p.parts[1]!.blocks!;
    expect(names(pm).slice(0, 2)).toEqual(["Reporting-MTA", "Arrival-Date"]);
    expect(get(pm, "Arrival-Date")).toBe("Thu, 26 Nov 26 09:59:58 UTC");
    // Python reads the second empty line after each recipient block as an empty block, as it
    // reads SES's own bounces.
    expect(blocks).toHaveLength(2 * c.request.BouncedRecipientInfoList.length);
    blocks.forEach((b, i) =>
      expect(names(b).slice(0, 5)).toEqual(i % 2 === 1 ? [] : ["Action", "Final-Recipient", "Original-Recipient", "Diagnostic-Code", "Status"]),
    );
    if (c.request.Explanation === undefined) expect(p.parts[0]!.text).toBe("This message could not be delivered.");
  });
});

/** The original as SES stores it (its trace fields first), with the header fields of the SES-shaped bounces' originals. */
const stored = (to: string[]) =>
  [
    `Return-Path: <${SES_SHAPED_SENDER}>`,
    "Received: from mail.sender.example.org (mail.sender.example.org [192.0.2.25])",
    " by inbound-smtp.us-east-1.amazonaws.com with SMTP id 0100019abc",
    ` for ${to[0]};`,
    " Thu, 26 Nov 2026 09:59:58 +0000",
    `From: Sender <${SES_SHAPED_SENDER}>`,
    `To: ${to.join(", ")}`,
    "Subject: hello",
    "Date: Thu, 26 Nov 2026 09:59:50 +0000",
    "Message-ID: <original-1@sender.example.org>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=UTF-8",
    "",
    "Hello.",
    "",
  ].join("\r\n");

/** The fields SES's outbound servers add: ses-local adds them, core does not. */
const TRANSPORT = /^(?:X-SES-Outgoing|Feedback-ID):/;

describe("the ses profile against SES-shaped bounces", () => {
  test.each(SES_SHAPED)("$file: every field, part header, field order and empty line as SES writes them", ({ file, region, recipients }) => {
    const request: SendBounceRequest = {
      OriginalMessageId: "0100019abc",
      BounceSender: "mailer-daemon@example.com",
      BouncedRecipientInfoList: recipients.map(([Recipient, BounceType]) => ({ Recipient, BounceType })),
    };
    const original = stored(recipients.map(([a]) => a));
    const { raw } = renderBounce(request, { original, now: new Date("2026-11-26T10:00:00Z"), arrivalDate: "2026-11-26T09:59:58Z", region, profile: "ses" });
    expect(skeleton(raw)).toEqual(skeleton(sesShaped(file)).filter((l) => !TRANSPORT.test(l)));
  });
});

describe("what checkDsn and parseDsn say about SES's layout", () => {
  test("checkDsn: the Arrival-Date's zone UTC (error), the long Message-ID line and the missing Auto-Submitted (warnings), nothing else", () => {
    const raw = rendered.get("ses-type-DoesNotExist")!.raw;
    expect(checkDsn(raw).map((f) => [f.rule, f.severity, f.line])).toEqual([
      ["rfc5322.line-over-78", "warning", 4],
      ["rfc3834.auto-submitted-missing", "warning", 10],
      ["rfc5322.obsolete-date", "error", 23],
    ]);
  });

  test("checkDsn: between two recipient blocks, the second empty line is a warning", () => {
    const raw = rendered.get("ses-mixed-recipients")!.raw;
    expect(checkDsn(raw).map((f) => [f.rule, f.severity])).toEqual([
      ["rfc5322.line-over-78", "warning"],
      ["rfc3834.auto-submitted-missing", "warning"],
      ["rfc5322.obsolete-date", "error"],
      ["rfc3464.empty-block", "warning"],
    ]);
  });

  test.each(SES_CASES.map((c) => c.name))("%s parses back to the model it was rendered from, tolerating only SES's departures", (name) => {
    const c = caseOf(name);
    const { boundary: _, returnOriginal: __, maxOriginalSize: ___, global: ____, ...context } = c.options;
    const bounce = resolveBounce(c.request, context);
    const parsed = parseDsn(rendered.get(name)!.raw);
    expect(parsed.tolerances.filter((t) => t.code !== "date-obsolete" && t.code !== "ds-extra-blank-line")).toEqual([]);
    expect(parsed.deliveryStatus).toEqual(bounce.deliveryStatus);
    expect(parsed.explanation).toBe(bounce.explanation);
    expect(parsed.message.messageId).toBe(bounce.messageId);
  });
});
