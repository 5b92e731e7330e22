/**
 * Bugs outside the reader that reading DSNs back brought to light, each pinned by a test.
 */
import { describe, expect, test } from "vitest";
import { firstAddress, originalSender, readOriginal, resolveBounce } from "@dsnkit/core";

describe("firstAddress skips quoted strings inside <...>", () => {
  test("a '>' in a quoted local part does not end the angle-addr", () => {
    expect(firstAddress('<">"@example.com>')).toBe('">"@example.com');
    expect(firstAddress('Jane <"a>b"@example.com> (home)')).toBe('"a>b"@example.com');
  });

  test("so an original whose Return-Path has one can be bounced", () => {
    const original = 'Return-Path: <"a>b"@example.org>\r\nFrom: x@example.org\r\nSubject: hi\r\n\r\nbody\r\n';
    expect(originalSender(readOriginal(original))).toBe('"a>b"@example.org');
    const bounce = resolveBounce(
      { OriginalMessageId: "x", BounceSender: "mailer-daemon@example.com", BouncedRecipientInfoList: [{ Recipient: "a@example.com", BounceType: "DoesNotExist" }] },
      { original, now: new Date("2026-11-26T10:00:00Z"), messageId: "<m@example.com>" },
    );
    expect(bounce.to).toBe('"a>b"@example.org');
  });
});
