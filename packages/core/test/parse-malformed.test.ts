/**
 * Hostile and broken input: every case must end with a DSN, a typed DsnParseError (parseDsn) or
 * findings (checkDsn), in bounded time (vitest's timeout catches a hang) and without overflowing
 * the stack or crashing. No case asserts speed.
 */
import { describe, expect, test } from "vitest";
import { fc, test as fcTest } from "@fast-check/vitest";
import { checkDsn, DsnParseError, parseDsn } from "@dsnkit/core";
import type { ParsedDsn } from "@dsnkit/core";
import { BASE_LINES, build, replaceLine } from "./fixtures/base-dsn.js";

const MB = 1024 * 1024;

/** parseDsn's outcome: the DSN, or the DsnParseError's code. Anything else thrown fails the test. */
function outcome(raw: string | Uint8Array): ParsedDsn | string {
  try {
    return parseDsn(raw);
  } catch (e) {
    if (e instanceof DsnParseError) return e.code;
    throw e;
  }
}

function rules(raw: string | Uint8Array): string[] {
  return [...new Set(checkDsn(raw).map((f) => f.rule))];
}

const HEAD = "From: a@example.com\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n";
const DS_PART =
  "--x\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\nFinal-Recipient: rfc822; a@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n";

describe("truncated input", () => {
  const raw = build();
  test("every prefix of a DSN, cut at every line and inside lines, reads or fails cleanly", () => {
    let parsed = 0;
    for (let cut = 1; cut < raw.length; cut += 7) {
      const r = outcome(raw.slice(0, cut));
      if (typeof r !== "string") parsed++;
      else expect(["not_a_dsn", "no_recipients"]).toContain(r);
      expect(Array.isArray(checkDsn(raw.slice(0, cut)))).toBe(true);
    }
    expect(parsed).toBeGreaterThan(0);
  });

  test("a DSN cut inside its delivery-status part keeps what it has and says what is missing", () => {
    const cut = raw.slice(0, raw.indexOf("Remote-MTA"));
    const dsn = parseDsn(cut);
    expect(dsn.deliveryStatus.recipients[0]).toMatchObject({ action: "failed", status: "5.1.1" });
    expect(dsn.tolerances.map((t) => t.code)).toEqual(["closing-delimiter-missing"]);
    expect(rules(cut)).toContain("rfc2046.closing-delimiter");
  });
});

describe("binary input", () => {
  fcTest.prop([fc.uint8Array({ maxLength: 4096 })], { numRuns: 300 })("random octets", (bytes) => {
    const r = outcome(bytes);
    expect(typeof r === "string" || typeof r === "object").toBe(true);
    expect(Array.isArray(checkDsn(bytes))).toBe(true);
  });

  test("a megabyte of pseudo-random octets is not a DSN", () => {
    const bytes = new Uint8Array(MB);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      bytes[i] = x >>> 24;
    }
    expect(outcome(bytes)).toBe("not_a_dsn");
    expect(rules(bytes)).toContain("rfc3464.delivery-status-missing");
  });

  test("a DSN with NULs and 8-bit junk in its text still reads", () => {
    const raw = build((l) => replaceLine(l, "Your message could not be delivered.", "\0\x01\x02\xff\xfe junk"));
    expect(typeof outcome(raw)).toBe("object");
    expect(rules(raw)).toEqual(expect.arrayContaining(["rfc2045.nul", "rfc2045.8bit-undeclared"]));
  });
});

describe("50 MB input", () => {
  test("a 50 MB returned message is read, its body kept whole", () => {
    const body = "line of the original message body, repeated\r\n".repeat(Math.ceil((50 * MB) / 46));
    const raw = build((l) => {
      replaceLine(l, "Content-Type: text/rfc822-headers", "Content-Type: message/rfc822");
      replaceLine(l, "Message-ID: <orig-1@example.org>", "Message-ID: <orig-1@example.org>", "", body.slice(0, -2));
    });
    const dsn = parseDsn(raw);
    expect(dsn.original!.body!.length).toBe(body.length);
    expect(dsn.deliveryStatus.recipients).toHaveLength(1);
    expect(checkDsn(raw).filter((f) => f.severity === "error")).toEqual([]);
  });

  test("a 50 MB header line is refused at the header limit", () => {
    const raw = "X-Junk: " + "a".repeat(50 * MB) + "\r\n\r\n";
    expect(outcome(raw)).toBe("limit_exceeded");
    expect(rules(raw)).toEqual(expect.arrayContaining(["dsnkit.limit-exceeded", "rfc5322.line-too-long"]));
  });

  test("50 MB of short lines, of dashes, and of one character are not DSNs", () => {
    for (const raw of ["abc\r\n".repeat(10 * MB), "--\n".repeat((50 * MB) / 3), "-".repeat(50 * MB)]) {
      expect(["not_a_dsn", "limit_exceeded"]).toContain(outcome(raw));
      expect(checkDsn(raw).some((f) => f.severity === "error")).toBe(true);
    }
  });

  test("a 50 MB delivery-status part stops at the recipient limit", () => {
    const block = "\r\nFinal-Recipient: rfc822; a@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n";
    const raw =
      HEAD +
      "Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n" +
      block.repeat(Math.ceil((50 * MB) / block.length)) +
      "--x--\r\n";
    expect(outcome(raw)).toBe("limit_exceeded");
    expect(rules(raw)).toContain("dsnkit.limit-exceeded");
  });

  test("50 MB of octets that are not UTF-8 are read as 8-bit text", () => {
    const bytes = new Uint8Array(50 * MB).fill(0xe9);
    expect(outcome(bytes)).toBe("limit_exceeded");
    expect(Array.isArray(checkDsn(bytes))).toBe(true);
  });
});

describe("deep nesting", () => {
  function nested(depth: number, inner: string): string {
    let raw = HEAD + "Content-Type: multipart/mixed; boundary=b0\r\n\r\n";
    for (let i = 1; i < depth; i++) raw += `--b${i - 1}\r\nContent-Type: multipart/mixed; boundary=b${i}\r\n\r\n`;
    raw += `--b${depth - 1}\r\n` + inner;
    for (let i = depth - 1; i >= 0; i--) raw += `\r\n--b${i}--\r\n`;
    return raw;
  }

  test("multiparts nested 10,000 deep: the levels past limits.maxDepth are not opened", () => {
    const raw = nested(10_000, "Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n" + DS_PART + "--x--\r\n");
    expect(outcome(raw)).toBe("not_a_dsn");
    const found = rules(raw);
    expect(found).toEqual(expect.arrayContaining(["dsnkit.limit-exceeded", "rfc3464.delivery-status-missing"]));
  });

  test("multiparts nested within the limit are read", () => {
    const raw = nested(20, "Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n" + DS_PART + "--x--\r\n");
    const dsn = parseDsn(raw);
    expect(dsn.deliveryStatus.recipients[0]!.finalRecipient.address).toBe("a@example.com");
    expect(dsn.tolerances.map((t) => t.code)).toEqual(["not-multipart-report", "part-order"]);
  });

  test("message/rfc822 nested 10,000 deep is not descended into", () => {
    let original = "Subject: innermost\r\n\r\nbody\r\n";
    for (let i = 0; i < 10_000; i++) original = `Content-Type: message/rfc822\r\nSubject: level ${i}\r\n\r\n` + original;
    const raw = build((l) => {
      replaceLine(l, "Content-Type: text/rfc822-headers", "Content-Type: message/rfc822");
      replaceLine(l, "From: sender@example.org", ...original.split("\r\n").slice(0, -1));
      l.splice(l.indexOf("To: nobody@example.com"), 3);
    });
    const dsn = parseDsn(raw);
    expect(dsn.original!.headers[0]).toMatchObject({ name: "Content-Type", value: "message/rfc822" });
    expect(dsn.deliveryStatus).toBeDefined();
  });

  test("200,000 empty parts stop at limits.maxParts", () => {
    const raw = HEAD + "Content-Type: multipart/mixed; boundary=x\r\n\r\n" + "--x\r\n\r\n".repeat(200_000);
    expect(outcome(raw)).toBe("limit_exceeded");
  });

  test("comments nested 100,000 deep in a date", () => {
    const raw = build((l) => replaceLine(l, "Arrival-Date: Thu, 26 Nov 2026 09:59:58 +0000", "Arrival-Date: " + "(".repeat(100_000) + ")".repeat(100_000)));
    const dsn = parseDsn(raw);
    expect(dsn.tolerances.map((t) => t.code)).toEqual(["date-unreadable"]);
    expect(dsn.deliveryStatus.perMessage.arrivalDate).toBeUndefined();
    expect(rules(raw)).toEqual(["rfc5322.date-syntax", "rfc5322.line-too-long"]);
  });

  test("a Content-Type with 20,000 parameters, and a Subject of 30,000 encoded-word starts", () => {
    const raw = build((l) => {
      replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: text/plain" + "; a=b".repeat(20_000));
      replaceLine(l, "Subject: Delivery Status Notification (Failure)", "Subject: " + "=?x?q?".repeat(30_000));
    });
    const dsn = parseDsn(raw);
    expect(dsn.message.subject!.length).toBe(180_000);
    expect(dsn.explanation).toBe("Your message could not be delivered.\n");
    expect(outcome(build((l) => replaceLine(l, "X-Queue-ID: 1A2B3C", "X-Queue-ID: " + "=?x?q?".repeat(30_000))))).toMatchObject({ tolerances: [] });
  });
});

describe("boundaries", () => {
  test("a missing boundary parameter: the boundary is found in the body", () => {
    const raw = HEAD + "Content-Type: multipart/report; report-type=delivery-status\r\n\r\n" + DS_PART + "--x--\r\n";
    const dsn = parseDsn(raw);
    expect(dsn.deliveryStatus.recipients).toHaveLength(1);
    expect(dsn.tolerances.map((t) => t.code)).toEqual(["boundary-missing", "part-order"]);
  });

  test("a missing boundary with no delimiter in the body", () => {
    const raw = HEAD + "Content-Type: multipart/report; report-type=delivery-status\r\n\r\nReporting-MTA: dns; x\r\n";
    expect(outcome(raw)).toBe("not_a_dsn");
    expect(rules(raw)).toEqual(expect.arrayContaining(["rfc2046.boundary-missing", "rfc3464.delivery-status-missing"]));
  });

  test("an unterminated multipart: the last part runs to the end", () => {
    const raw = HEAD + "Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n" + DS_PART;
    const dsn = parseDsn(raw);
    expect(dsn.deliveryStatus.recipients[0]!.status).toBe("5.1.1");
    expect(dsn.tolerances.map((t) => t.code)).toEqual(["closing-delimiter-missing", "part-order"]);
  });

  test("an inner multipart without its close delimiter ends at the outer one", () => {
    const raw = build((l) =>
      replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: multipart/alternative; boundary=alt", "", "--alt", "Content-Type: text/plain", "", "Inner text."),
    );
    const dsn = parseDsn(raw);
    expect(dsn.explanation).toBe("Inner text.\n\nYour message could not be delivered.\n");
    expect(dsn.deliveryStatus.recipients).toHaveLength(1);
    expect(dsn.tolerances.map((t) => [t.code, t.line])).toEqual([["closing-delimiter-missing", 23]]);
  });

  test("a boundary that is a prefix of another does not split it", () => {
    const raw = build((l) =>
      replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: multipart/alternative; boundary=b1_1", "", "--b1_1", "Content-Type: text/plain", "", "Inner.", "--b1_1--"),
    );
    const dsn = parseDsn(raw, { strict: true });
    expect(dsn.explanation).toBe("Inner.");
  });
});

describe("mutated DSNs", () => {
  const lines = fc.array(fc.oneof(fc.constantFrom(...BASE_LINES), fc.string({ maxLength: 30 }), fc.constantFrom("", " ", "--b1", "--b1--", "Status: 5.1.1", "\t x")), { maxLength: 60 });
  fcTest.prop([fc.integer({ min: 0, max: 39 }), fc.integer({ min: 0, max: 5 }), lines, fc.constantFrom("\r\n", "\n", "\r")], { numRuns: 1000 })(
    "parse either reads or fails with a DsnParseError; strict reads exactly when nothing was tolerated; check lists every tolerance's rule",
    (at, remove, insert, eol) => {
      const l = [...BASE_LINES];
      l.splice(at, remove, ...insert);
      const raw = l.join(eol);
      const r = outcome(raw);
      const findings = checkDsn(raw);
      if (typeof r === "string") {
        expect(findings.some((f) => f.severity === "error")).toBe(true);
        return;
      }
      const strict = (() => {
        try {
          parseDsn(raw, { strict: true });
          return "ok";
        } catch (e) {
          if (e instanceof DsnParseError) return e.code;
          throw e;
        }
      })();
      expect(strict).toBe(r.tolerances.length === 0 ? "ok" : "strict");
      const found = new Set(findings.map((f) => f.rule));
      for (const t of r.tolerances) expect(found).toContain(t.rule);
    },
  );
});
