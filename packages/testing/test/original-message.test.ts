/**
 * Original messages built with mimetext: well-formed MIME that real parsers read, with the
 * features the issue asks for, and their sender where core looks for it.
 */
import fc from "fast-check";
import PostalMime from "postal-mime";
import { describe, expect, test } from "vitest";
import { originalSender, readOriginal } from "@dsnkit/core";
import { originalMessage, receivedMessage } from "@dsnkit/testing";
import { assertDeterministic } from "./helpers.js";

const utf8 = new TextEncoder();

describe("originalMessage", () => {
  const messages = fc.sample(receivedMessage(), { numRuns: 400, seed: 1 });

  test("CRLF only, no NUL, no line over 998 octets, every header line well formed", () => {
    for (const { raw } of messages) {
      expect(raw).not.toMatch(/\r(?!\n)|(?<!\r)\n|\0/);
      for (const line of raw.split("\r\n")) expect(utf8.encode(line).length).toBeLessThanOrEqual(998);
      expect(readOriginal(raw).malformed).toBe(0);
    }
  });

  test("postal-mime reads each one: From, To, Subject, Message-ID, a text body, the attachments", async () => {
    for (const m of messages) {
      const parsed = await PostalMime.parse(m.raw);
      expect(parsed.messageId).toBe(m.messageId);
      expect(parsed.from?.address).toBeTruthy();
      expect(parsed.to?.length).toBeGreaterThan(0);
      expect(typeof parsed.subject).toBe("string");
      expect(parsed.text).toBeDefined();
      const declared = (m.raw.match(/^Content-Disposition: (attachment|inline);/gm) ?? []).length;
      expect(parsed.attachments).toHaveLength(declared);
    }
  });

  test("the envelope sender is where core looks for it, quoted '>' in the local part included", () => {
    for (const m of messages) {
      expect(originalSender(readOriginal(m.raw))).toBe(m.envelopeSender);
    }
  });

  test("every feature is generated", () => {
    const has = (re: RegExp) => messages.some((m) => re.test(m.raw));
    expect(has(/^Content-Type: multipart\/alternative/m)).toBe(true);
    expect(has(/^Content-Type: multipart\/mixed/m)).toBe(true);
    expect(has(/^Content-Type: multipart\/related/m)).toBe(true);
    expect(has(/^Content-Disposition: attachment/m)).toBe(true);
    expect(has(/^DKIM-Signature: v=1;.*\r\n\t/m)).toBe(true);
    expect(has(/^ARC-Seal: /m)).toBe(true);
    expect(has(/^ARC-Message-Signature: /m)).toBe(true);
    expect(has(/^Authentication-Results: /m)).toBe(true);
    expect(has(/^Return-Path: /m)).toBe(true);
    expect(has(/^References: .*\r\n /m)).toBe(true);
    expect(has(/^Subject: =\?utf-8\?B\?/m)).toBe(true);
    expect(has(/^Subject: [^\r\n]*[^\x00-\x7f]/m)).toBe(true);
    expect(has(/Content-Transfer-Encoding: 8bit\r\n\r\n[^]*[^\x00-\x7f]/)).toBe(true);
    expect(messages.some((m) => m.raw.length > 50_000)).toBe(true);
  });

  test("unicode: false gives 7-bit messages; attachments and authentication headers can be turned off", () => {
    for (const raw of fc.sample(originalMessage({ unicode: false }), { numRuns: 100, seed: 2 })) expect(raw).toMatch(/^[\x00-\x7f]*$/);
    for (const raw of fc.sample(originalMessage({ attachments: false, authenticationHeaders: false, returnPath: false }), { numRuns: 100, seed: 3 })) {
      expect(raw).not.toMatch(/^(Content-Disposition|DKIM-Signature|ARC-Seal|Return-Path):/m);
    }
    expect(() => originalMessage({ attachments: "often" as never })).toThrow(/attachments must be true, false/);
  });

  test("deterministic for a seed (fixed boundaries, Date and Message-ID)", () => {
    assertDeterministic(originalMessage(), 20);
  });
});
