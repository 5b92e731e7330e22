import { describe, expect, test } from "vitest";
import { fc, test as fcTest } from "@fast-check/vitest";
import {
  firstAddress,
  originalMessageId,
  originalSender,
  originalSenderField,
  plainHeaderBlock,
  plainHeaderEnd,
  readIdentifyingFields,
  readOriginal,
  readOriginalFrom,
  trimHeaders,
} from "../src/original.js";

/** The careful read: every line looked at on its own (what readOriginal does with a block that is not plain). */
const careful = (raw: string) => readOriginalFrom(raw, -1);

const joined = (raw: string, cap: number) => {
  const o = careful(raw);
  return { malformed: o.malformed, text: trimHeaders(o.fields, cap).kept.map((f) => f.text + "\r\n").join("") };
};

const line = fc.oneof(
  fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,12}$/), fc.stringMatching(/^[ -~\t]{0,40}$/)).map(([n, v]) => `${n}:${v}`),
  fc.stringMatching(/^[ \t]{1,3}[ -~]{0,30}$/),
  fc.constantFrom("From mbox line", "no colon", " ", "X: a\rb", "X: a\nb", "X: ü", "X: a\0b", `X: ${"y".repeat(1000)}`),
);

describe("reading the original's headers", () => {
  fcTest.prop([fc.array(line, { maxLength: 12 }), fc.constantFrom("\r\n", "\n"), fc.integer({ min: 0, max: 600 })])(
    "the untouched fast path returns exactly what the careful path would",
    (lines, eol, cap) => {
      const raw = lines.join(eol) + eol + eol + "body" + eol;
      const fast = plainHeaderBlock(raw, cap);
      if (fast === undefined) return;
      const slow = joined(raw, cap);
      expect(slow.malformed).toBe(0);
      expect(fast).toBe(slow.text);
    },
  );

  fcTest.prop([fc.array(line, { maxLength: 12 }), fc.constantFrom("\r\n", "\n")])(
    "readOriginal cuts a plain block into the same fields, body start and count of malformed lines as the careful read",
    (lines, eol) => {
      const raw = lines.join(eol) + eol + eol + "body" + eol;
      expect(readOriginal(raw)).toEqual(careful(raw));
      expect(readOriginal(lines.join(eol))).toEqual(careful(lines.join(eol)));
    },
  );

  const identifying = fc
    .tuple(
      fc.constantFrom("Return-Path", "From", "Message-ID", "return-path", "FROM", "Message-Id", "X-From", "From-X", "Reply-To"),
      fc.constantFrom(" <a@example.org>", " <>", "<b@example.org>", " Ann <c@example.org>", " <id.1@example.org>", " <id 2@x>", "", " junk"),
      fc.constantFrom("", "\r\n (a comment)", "\r\n\t<d@example.org>"),
    )
    .map(([n, v, fold]) => `${n}:${v}${fold}`);
  fcTest.prop([fc.array(fc.oneof(identifying, line), { maxLength: 12 }), fc.constantFrom("\r\n", "\n")])(
    "resolution's read of the sender and Message-ID finds what the whole list of fields gives",
    (lines, eol) => {
      const raw = lines.join(eol) + eol + eol + "body" + eol;
      const quick = readIdentifyingFields(raw, plainHeaderEnd(raw));
      const whole = readOriginal(raw);
      expect(originalSenderField(quick)).toEqual(originalSenderField(whole));
      expect(originalMessageId(quick)).toEqual(originalMessageId(whole));
      expect(quick.malformed).toBe(whole.malformed);
    },
  );

  fcTest.prop([fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,12}$/), fc.stringMatching(/^[ -~]{0,40}[!-~]$/)), { minLength: 1, maxLength: 12 })])(
    "ordinary CRLF headers within the cap take the fast path, untouched",
    (fields) => {
      const block = fields.map(([n, v]) => `${n}: ${v}\r\n`).join("");
      expect(plainHeaderBlock(block + "\r\nbody", 10_000)).toBe(block);
      expect(joined(block + "\r\nbody", 10_000).text).toBe(block);
    },
  );

  test("the fast path applies to ordinary CRLF headers and refuses what needs care", () => {
    const ok = "From: a@example.org\r\nSubject: hi\r\n  folded\r\n\r\nbody";
    expect(plainHeaderBlock(ok, 1000)).toBe("From: a@example.org\r\nSubject: hi\r\n  folded\r\n");
    expect(plainHeaderBlock(ok, 20)).toBeUndefined(); // over the cap
    expect(plainHeaderBlock("From: a\nSubject: b\n\nx", 1000)).toBeUndefined(); // LF only
    expect(plainHeaderBlock("Subject: Grüße\r\n\r\n", 1000)).toBeUndefined(); // 8-bit
    expect(plainHeaderBlock(" lead: x\r\n\r\n", 1000)).toBeUndefined(); // continuation first
    expect(plainHeaderBlock("Bad Name: x\r\n\r\n", 1000)).toBeUndefined();
  });

  test("the body is not read: a header block is found at the start of a large message", () => {
    const o = readOriginal("Subject: x\r\n\r\n" + "b".repeat(10_000_000));
    expect(o.fields.map((f) => f.name)).toEqual(["Subject"]);
    expect(o.bodyStart).toBe(14);
  });

  test("sender and Message-ID", () => {
    expect(firstAddress("Alice <a@example.org>, Bob <b@example.org>")).toBe("a@example.org");
    expect(firstAddress("a@example.org (Alice)")).toBe("a@example.org");
    expect(firstAddress('"Doe, <J>" <j@example.org>')).toBe("j@example.org");
    expect(firstAddress("undisclosed-recipients:;")).toBeUndefined();
    expect(firstAddress("team: a@example.org, b@example.org;")).toBe("a@example.org");
    expect(firstAddress("<@relay.example:a@example.org>")).toBe("a@example.org");
    expect(originalSender(readOriginal("Return-Path: <>\r\nFrom: a@example.org\r\n\r\n"))).toBeNull();
    expect(originalSender(readOriginal("From: a@example.org\r\n\r\n"))).toBe("a@example.org");
    expect(originalSender(readOriginal("Subject: x\r\n\r\n"))).toBeUndefined();
    expect(originalMessageId(readOriginal("Message-ID:\r\n <a@b.example>\r\n\r\n"))).toBe("<a@b.example>");
    expect(originalMessageId(readOriginal("Message-ID: not-an-id\r\n\r\n"))).toBeUndefined();
  });
});
