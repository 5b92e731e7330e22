import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { renderBounce, resolveBounce } from "@dsnkit/core";
import type { Bounce, RenderedDsn } from "@dsnkit/core";
import { CASES, HEAVY_ORIGINAL } from "./cases.js";
import { get, readWithPython } from "../support/external.js";
import type { PyDsn } from "../support/external.js";

const dir = import.meta.dirname;
const update = process.env.UPDATE_GOLDEN === "1";

const rendered = new Map<string, RenderedDsn>();
const resolved = new Map<string, Bounce>();
for (const c of CASES) {
  const { boundary, returnOriginal, maxOriginalSize, global, ...context } = c.options;
  void boundary, returnOriginal, maxOriginalSize, global;
  resolved.set(c.name, resolveBounce(c.request, context));
  rendered.set(c.name, renderBounce(c.request, c.options));
}

describe("golden DSNs, byte for byte", () => {
  test.each(CASES.map((c) => c.name))("%s", (name) => {
    const file = join(dir, `${name}.eml`);
    const raw = rendered.get(name)!.raw;
    if (update || !existsSync(file)) writeFileSync(file, raw);
    expect(raw).toBe(readFileSync(file, "utf8"));
  });
});

describe("golden DSNs read back by Python's email package", () => {
  let py: Map<string, PyDsn>;
  beforeAll(async () => {
    const names = CASES.map((c) => c.name);
    const results = await readWithPython(names.map((n) => rendered.get(n)!.raw));
    py = new Map(names.map((n, i) => [n, results[i]!]));
  });

  test.each(CASES.map((c) => c.name))("%s has the structure and fields it was rendered with", (name) => {
    const p = py.get(name)!;
    const bounce = resolved.get(name)!;
    expect(p.defects).toEqual([]);
    expect(p.content_type).toBe("multipart/report");
    expect(p.report_type).toBe("delivery-status");
    expect(get(p.headers, "Auto-Submitted")).toBe("auto-replied");
    expect(get(p.headers, "Message-ID")).toBe(bounce.messageId);
    expect(get(p.headers, "To")).toBe(bounce.to);
    expect(get(p.headers, "Subject")).toBe(bounce.subject);
    expect(get(p.headers, "Date")).toBe("Thu, 26 Nov 2026 10:00:00 +0000");
    const [text, ds] = p.parts;
    expect(text!.content_type).toBe("text/plain");
    expect(text!.defects).toEqual([]);
    expect(text!.text!.replace(/\r\n/g, "\n")).toBe(bounce.explanation);
    expect(["message/delivery-status", "message/global-delivery-status"]).toContain(ds!.content_type);
    const blocks = ds!.blocks!;
    expect(blocks).toHaveLength(bounce.deliveryStatus.recipients.length + 1);
    const pm = bounce.deliveryStatus.perMessage;
    expect(get(blocks[0], "Reporting-MTA")).toBe(`${pm.reportingMta.type}; ${pm.reportingMta.name}`);
    for (const x of pm.extensionFields) expect(get(blocks[0], x.name)).toBe(x.value);
    bounce.deliveryStatus.recipients.forEach((r, i) => {
      const b = blocks[i + 1];
      expect(get(b, "Action")).toBe(r.action);
      expect(get(b, "Status")).toBe(r.status);
      if (r.finalRecipient.type === "rfc822") expect(get(b, "Final-Recipient")).toBe(`rfc822; ${r.finalRecipient.address}`);
      else expect(get(b, "Final-Recipient")).toMatch(/^utf-8; \S+$/);
      if (r.diagnosticCode) expect(get(b, "Diagnostic-Code")).toBe(`${r.diagnosticCode.type}; ${r.diagnosticCode.text}`);
      if (r.remoteMta) expect(get(b, "Remote-MTA")).toBe(`${r.remoteMta.type}; ${r.remoteMta.name}`);
      for (const x of r.extensionFields) expect(get(b, x.name)).toBe(x.value);
    });
  });

  test("one DSN per BounceType: Status and Diagnostic-Code as SPEC §3.2 gives them", () => {
    const expected: Record<string, [string, string]> = {
      DoesNotExist: ["5.1.1", "smtp; 550 5.1.1 Mailbox does not exist"],
      MessageTooLarge: ["5.3.4", "smtp; 552 5.3.4 Message too large"],
      ExceededQuota: ["5.2.2", "smtp; 552 5.2.2 Mailbox full"],
      ContentRejected: ["5.6.1", "smtp; 500 5.6.1 Message content rejected"],
      Undefined: ["5.0.0", "smtp; 554 5.0.0 Unknown failure"],
      TemporaryFailure: ["4.0.0", "smtp; 450 4.0.0 Temporary failure"],
    };
    for (const [type, [status, diagnostic]] of Object.entries(expected)) {
      const block = py.get(`type-${type}`)!.parts[1]!.blocks![1];
      expect(get(block, "Action")).toBe("failed");
      expect(get(block, "Status")).toBe(status);
      expect(get(block, "Diagnostic-Code")).toBe(diagnostic);
      expect(get(block, "Final-Recipient")).toBe("rfc822; nobody@example.com");
    }
  });

  test("explicit RecipientDsnFields: every field is written, and win over the BounceType", () => {
    const block = py.get("explicit-fields")!.parts[1]!.blocks![1];
    expect(block.map(([n]) => n)).toEqual(["Final-Recipient", "Action", "Status", "Remote-MTA", "Diagnostic-Code", "Last-Attempt-Date", "X-Rule"]);
    expect(get(block, "Final-Recipient")).toBe("rfc822; final.nobody@example.com");
    expect(get(block, "Remote-MTA")).toBe("dns; mx1.example.com");
    expect(get(block, "Last-Attempt-Date")).toBe("Thu, 26 Nov 2026 09:59:55 +0000");
    expect(get(block, "Diagnostic-Code")).toMatch(/^smtp; 550 5\.1\.1 <final\.nobody@example\.com>: Recipient address rejected: .* try again$/);
    expect(py.get("explicit-fields")!.parts[0]!.text).toBe("The mailbox nobody@example.com was closed.\r\nWe bounced your message.\r\n");
  });

  test("extension fields at both levels, in order, after the RFC 3464 fields", () => {
    const [pm, rcpt] = py.get("extension-fields")!.parts[1]!.blocks!;
    expect(pm!.map(([n]) => n)).toEqual(["Reporting-MTA", "Arrival-Date", "X-Tenant", "X-Receipt-Rule"]);
    expect(get(pm, "Reporting-MTA")).toBe("dns; inbound-smtp.us-east-1.amazonaws.com");
    expect(rcpt!.map(([n]) => n)).toEqual(["Final-Recipient", "Action", "Status", "Diagnostic-Code", "X-Policy", "X-Scanner"]);
  });

  test("non-ASCII explanation, display name, Subject and recipient addresses", () => {
    const p = py.get("non-ascii")!;
    expect(get(p.headers, "From")).toBe('"Zoë Ångström, Postmaster" <postmaster@example.com>');
    expect(get(p.headers, "Subject")).toBe("Unzustellbar: Ünïcödé subject 日本語");
    expect(p.parts[0]!.charset).toBe("utf-8");
    expect(p.parts[0]!.cte).toBe("quoted-printable");
    expect(p.parts[0]!.text).toBe("Ihre Nachricht konnte nicht zugestellt werden: Grüße aus München.\r\n日本語のメッセージ。\r\n");
    expect(p.parts[1]!.content_type).toBe("message/delivery-status");
    const blocks = p.parts[1]!.blocks!;
    expect(get(blocks[1], "Final-Recipient")).toBe("utf-8; \\x{7528}\\x{6237}@\\x{4F8B}\\x{5B50}.\\x{5E7F}\\x{544A}");
    expect(get(blocks[2], "Final-Recipient")).toBe("utf-8; zo\\x{EB}@example.com");
  });

  test("the original: headers only by default, whole on request, headers when over the cap, none without one", () => {
    const headersOnly = py.get("type-DoesNotExist")!.parts[2]!;
    expect(headersOnly.content_type).toBe("text/rfc822-headers");
    expect(get(headersOnly.headers, "Message-ID")).toBe("<20261126095950.4242@mail.sender.example.org>");
    const whole = py.get("original-whole")!.parts[2]!;
    expect(whole.content_type).toBe("message/rfc822");
    expect(get(whole.headers, "Subject")).toBe("Quarterly report");
    expect(whole.body).toBe("Hello, here is the report.\r\n");
    const over = py.get("original-over-cap")!.parts[2]!;
    expect(over.content_type).toBe("text/rfc822-headers");
    expect(get(over.headers, "Subject")).toBe("Quarterly report");
    expect(rendered.get("original-over-cap")!.original.returned).toBe("headers");
    expect(py.get("original-none")!.parts).toHaveLength(2);
    expect(get(py.get("type-DoesNotExist")!.headers, "In-Reply-To")).toBe("<20261126095950.4242@mail.sender.example.org>");
  });

  test("headers over the cap: DKIM-Signature and ARC go first, then older Received; identifying ones stay", () => {
    const part = py.get("original-heavy-headers")!.parts[2]!;
    const names = part.headers!.map(([n]) => n);
    for (const n of ["From", "To", "Cc", "Subject", "Date", "Message-ID", "List-Id"]) expect(names).toContain(n);
    expect(names).not.toContain("DKIM-Signature");
    expect(names).not.toContain("ARC-Seal");
    expect(names).not.toContain("ARC-Message-Signature");
    // The topmost Received (the receiving MTA's own) is ordinary; older ones go, lowest first.
    expect(names.filter((n) => n === "Received")).toHaveLength(2);
    expect(get(part.headers, "Received")).toMatch(/^from relay1\.example\.net/);
    expect(names.slice(-3)).toEqual(["X-Mailer", "MIME-Version", "Content-Type"]);
    const r = rendered.get("original-heavy-headers")!;
    expect(r.original.omittedHeaders).toContain("DKIM-Signature");
    const kept = r.raw.slice(r.raw.indexOf("Content-Type: text/rfc822-headers"));
    const body = kept.slice(kept.indexOf("\r\n\r\n") + 4, kept.indexOf("\r\n--golden-boundary"));
    expect(new TextEncoder().encode(body + "\r\n").length).toBeLessThanOrEqual(700);
    const signaturesAndReceived = HEAVY_ORIGINAL.split(/\r\n(?=\S)/).filter((f) => /^(DKIM-Signature|ARC-|Received)/.test(f));
    expect(signaturesAndReceived.join("\r\n").length).toBeGreaterThan(700);
  });
});
