/**
 * The security suite, core's side: each finding of issue 13 that concerns parsing, validation or
 * rendering as a test, and for every entry point that scans text (parseDsn, checkDsn,
 * readOriginal, validateBounceRequest, renderBounce) a growth check per adversarial input: doubling
 * the input at most triples the time (see test/support/growth.ts for how that is measured).
 */
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { checkDsn, DsnParseError, DsnValidationError, formatPath, parseDsn, readOriginal, renderBounce, renderDsn, resolveBounce, validateBounceRequest } from "@dsnkit/core";
import type { SendBounceRequest } from "@dsnkit/core";
import { hostileString, sendBounceRequest } from "@dsnkit/testing";
import { expectComparable, expectLinear } from "../support/growth.js";
import { DSN_ATTACKS, fold, ORIGINAL_ATTACKS, REQUEST_ATTACKS } from "./attacks.js";
import { build, replaceLine } from "../../packages/core/test/fixtures/base-dsn.js";

const SLOW = 180_000;

function parseQuietly(raw: string | Uint8Array): DsnParseError | undefined {
  try {
    parseDsn(raw);
    return undefined;
  } catch (e) {
    if (e instanceof DsnParseError) return e;
    throw e;
  }
}

const REQUEST: SendBounceRequest = {
  OriginalMessageId: "0100019abcdef012-3456789a-bcde-f012-3456-789abcdef012-000000",
  BounceSender: "mailer-daemon@example.com",
  BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }],
};
const NOW = new Date("2026-11-26T10:00:00Z");

describe("item 1: address headers of a@ and colons are read in linear time", () => {
  // The red team's input: 150,000 colons (152 KB, under the 256 KiB header limit) took 13-14 s.
  const colons = (header: string) => build((l) => replaceLine(l, header === "From" ? "From: Mail Delivery System <mailer-daemon@example.com>" : "To: sender@example.org", `${header}: a@${":".repeat(150_000)}`));
  const benign = (header: string) => build((l) => replaceLine(l, header === "From" ? "From: Mail Delivery System <mailer-daemon@example.com>" : "To: sender@example.org", `${header}: a@${"a".repeat(150_000)}`));

  for (const header of ["From", "To"]) {
    test(`${header}: a@ and 150,000 colons costs parseDsn and checkDsn what a benign ${header} of that size costs (within 3x)`, async () => {
      await expectComparable(`parseDsn, ${header}`, () => benign(header), () => colons(header), parseQuietly);
      await expectComparable(`checkDsn, ${header}`, () => benign(header), () => colons(header), checkDsn);
      expect(parseDsn(colons(header)).message[header === "From" ? "from" : "to"]).toBeDefined();
    }, SLOW);
  }

  test("folded into legal lines, the colons are still linear, and check finds nothing else wrong with the header", async () => {
    const raw = (n: number) => build((l) => replaceLine(l, "From: Mail Delivery System <mailer-daemon@example.com>", `From: a@${fold(":".repeat(n))}`));
    await expectLinear("checkDsn, folded From", raw, (r) => checkDsn(r), 100_000);
    const lines = checkDsn(raw(150_000)).filter((f) => f.line === 1);
    expect(lines.filter((f) => f.severity === "error")).toEqual([]);
  }, SLOW);

  test("renderBounce with such an original: linear, and the problem names the From the original has, not Return-Path", async () => {
    const original = (n: number) => `From: a@${fold(":".repeat(n))}\r\nSubject: hi\r\n\r\nbody\r\n`;
    await expectLinear("renderBounce, original with a colon From", original, (o) => {
      try {
        renderBounce(REQUEST, { original: o, now: NOW });
      } catch (e) {
        if (!(e instanceof DsnValidationError)) throw e;
      }
    }, 75_000);
    try {
      renderBounce(REQUEST, { original: original(150_000), now: NOW });
      expect.unreachable("the From is not a mailbox");
    } catch (e) {
      expect((e as DsnValidationError).issues).toEqual([
        expect.objectContaining({ code: "too_big", path: ["context", "original", "From"], message: expect.stringMatching(/^From is \d+ characters long/) }),
      ]);
    }
  }, SLOW);
});

describe("item 4: Unicode line breaks never reach a field", () => {
  const path = ["BouncedRecipientInfoList", 0, "RecipientDsnFields", "DiagnosticCode"];
  const withDiagnostic = (text: string) => ({
    ...REQUEST,
    BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", RecipientDsnFields: { Action: "failed", Status: "5.1.1", DiagnosticCode: text } }],
  });

  test("U+2028 in DiagnosticCode is refused with its JSON path (the red team's forged Final-Recipient)", () => {
    const result = validateBounceRequest(withDiagnostic("smtp; 550 no\u2028Final-Recipient: rfc822; forged@example.net"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      {
        code: "line_separator",
        path,
        message: "DiagnosticCode has the line separator LINE SEPARATOR (U+2028) at character 12, a line break to Unicode readers; it must be one line",
      },
    ]);
  });

  test.each([
    ["U+2029", "\u2029", "line_separator"],
    ["NEL", "\u0085", "control_character"],
    ["VT", "\v", "control_character"],
    ["FF", "\f", "control_character"],
  ])("%s in DiagnosticCode is refused with its JSON path", (_name, ch, code) => {
    const result = validateBounceRequest(withDiagnostic(`smtp; 550 no${ch}Status: 2.0.0`));
    expect(result.ok ? [] : result.issues.map((i) => [i.code, formatPath(i.path)])).toEqual([[code, formatPath(path)]]);
    if (!result.ok) expect(result.issues[0]!.message).toMatch(/; it must be one line$/);
  });

  test("in the Explanation (where LF is allowed) they are refused too, saying how to break lines", () => {
    const result = validateBounceRequest({ ...REQUEST, Explanation: "Your mail\u2029could not be delivered." });
    expect(result.ok ? [] : result.issues.map((i) => [i.code, i.message])).toEqual([
      ["line_separator", "Explanation has the paragraph separator PARAGRAPH SEPARATOR (U+2029) at character 9, a line break to Unicode readers; write line breaks as LF or CRLF"],
    ]);
  });

  test("a model built directly (renderDsn's input) with U+2028 is refused too, at its path", () => {
    const bounce = resolveBounce(REQUEST, { originalSender: "sender@example.org", now: NOW });
    bounce.deliveryStatus.recipients[0]!.diagnosticCode = { type: "smtp", text: "550 x\u2028Status: 2.0.0" };
    try {
      renderDsn(bounce);
      expect.unreachable("U+2028 in a field");
    } catch (e) {
      expect((e as DsnValidationError).issues.map((i) => [i.code, formatPath(i.path)])).toEqual([["line_separator", "deliveryStatus.recipients[0].diagnosticCode.text"]]);
    }
  });

  test("in any string field of any request, every Unicode line break is refused at that field's path (a timestamp is read as a date, never copied)", () => {
    const breaks = hostileString({ kinds: ["unicode-line-break"], maxFragments: 2 });
    fc.assert(
      fc.property(sendBounceRequest({ maxRecipients: 2 }), fc.nat(), breaks, (request, which, evil) => {
        const paths: (string | number)[][] = [];
        const walk = (v: unknown, p: (string | number)[]) => {
          if (typeof v === "string") paths.push(p);
          else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
          else if (v !== null && typeof v === "object" && !(v instanceof Date)) for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
        };
        walk(request, []);
        const p = paths[which % paths.length]!;
        const copy = structuredClone(request) as unknown as Record<string | number, unknown>;
        let node = copy;
        for (const k of p.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
        node[p.at(-1)!] = (node[p.at(-1)!] as string) + evil;
        const result = validateBounceRequest(copy);
        if (!result.ok) {
          expect(result.issues.map((i) => formatPath(i.path))).toContain(formatPath(p));
          return;
        }
        // Accepted: only a timestamp, which is read as a date (white space around it trimmed) and
        // written anew, never copied. Nothing of it reaches the DSN.
        expect(p.at(-1)).toMatch(/Date$/);
        const raw = renderBounce(copy as unknown as SendBounceRequest, { originalSender: "sender@example.org", now: NOW, boundary: "b" }).raw;
        expect(raw).not.toMatch(/[\v\f\x85\u2028\u2029]/);
      }),
      { numRuns: 200 },
    );
  });
});

describe("item 5: bare CRs and invalid base64 cost linear time", () => {
  // The red team: 50 MB of either took 12-13 s and 1.6-2.1 GB, and 2.7-3.2x the time when doubled.
  const text = (body: string, cte?: string) =>
    build((l) => replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: text/plain; charset=us-ascii", ...(cte ? [`Content-Transfer-Encoding: ${cte}`] : []))).replace("Your message could not be delivered.", body);

  // Each costs what the same size of ordinary text costs, within 3x (a regular-expression replace
  // per line break, or a string built a character at a time, made it ten times as much), and
  // doubling it at most triples the time.
  test("bare CRs in the text part, 8 MB: within 3x of 8 MB of plain text, and doubled", async () => {
    await expectComparable("parseDsn, bare CRs against plain text", () => text("a".repeat(8_000_000)), () => text("\r".repeat(8_000_000)), parseQuietly, { runs: 3 });
    await expectLinear("parseDsn, bare CRs", (n) => text("\r".repeat(n)), parseQuietly, 8_000_000, { runs: 3 });
    expect(parseDsn(text("\r".repeat(1000))).explanation).toBe("\n".repeat(1000) + "\n");
  }, SLOW);

  test("base64 with characters outside its alphabet in the text part, 8 MB: within 3x of valid base64, and doubled", async () => {
    await expectComparable("parseDsn, invalid base64 against valid", () => text("QUJDR".repeat(1_600_000), "base64"), () => text("QUJD!".repeat(1_600_000), "base64"), parseQuietly, { runs: 3 });
    await expectLinear("parseDsn, invalid base64", (n) => text("QUJD!".repeat(n / 5), "base64"), parseQuietly, 8_000_000, { runs: 3 });
    const dsn = parseDsn(text("QUJD!QUJD", "base64"));
    expect(dsn.explanation).toBe("ABCABC");
    expect(dsn.tolerances.map((t) => t.code)).toContain("base64-invalid");
  }, SLOW);
});

describe("growth checks: doubling an adversarial input at most triples the time", () => {
  for (const attack of DSN_ATTACKS) {
    test(`parseDsn and checkDsn, ${attack.id}: ${attack.what}`, async () => {
      // The doubled input is read, not cut short by a limit: the scan itself is what is timed.
      expect(parseQuietly(attack.make(2 * attack.n))?.code).not.toBe("limit_exceeded");
      expect(checkDsn(attack.make(2 * attack.n)).filter((f) => f.rule === "dsnkit.limit-exceeded")).toEqual([]);
      await expectLinear(`parseDsn, ${attack.id}`, attack.make, parseQuietly, attack.n);
      await expectLinear(`checkDsn, ${attack.id}`, attack.make, (raw) => checkDsn(raw), attack.n);
    }, SLOW);
  }

  for (const attack of ORIGINAL_ATTACKS) {
    test(`readOriginal and renderBounce, ${attack.id}: ${attack.what}`, async () => {
      const bytes = (n: number) => new TextEncoder().encode(attack.make(n));
      await expectLinear(`readOriginal (string), ${attack.id}`, attack.make, (raw) => readOriginal(raw), attack.n);
      await expectLinear(`readOriginal (octets), ${attack.id}`, bytes, (raw) => readOriginal(raw), attack.n);
      for (const returnOriginal of ["headers", "message"] as const) {
        await expectLinear(`renderBounce (${returnOriginal}), ${attack.id}`, attack.make, (original) => {
          try {
            renderBounce(REQUEST, { original, originalSender: "sender@example.org", now: NOW, returnOriginal, maxOriginalSize: 10_000_000 });
          } catch (e) {
            if (!(e instanceof DsnValidationError)) throw e;
          }
        }, attack.n);
      }
    }, SLOW);
  }

  for (const attack of REQUEST_ATTACKS) {
    test(`validateBounceRequest, ${attack.id}: ${attack.what}`, async () => {
      await expectLinear(`validateBounceRequest, ${attack.id}`, attack.make, (request) => validateBounceRequest(request), attack.n);
    }, SLOW);
  }
});
