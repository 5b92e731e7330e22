/**
 * Fuzz targets: one per entry point that parses untrusted text. Each is an input arbitrary, built
 * from @dsnkit/testing's hostile strings spliced into real inputs (DSNs, originals, requests,
 * signatures), and a check of what must hold for any input: the entry point returns, or fails
 * with its own documented error, never anything else, and what it returns is consistent.
 * test/fuzz/fuzz.test.ts runs each for a bounded number of cases; `npm run fuzz -- --minutes N`
 * runs them for longer.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect } from "vitest";
import fc from "fast-check";
import { checkDsn, DsnParseError, DsnValidationError, parseDsn, readOriginal, renderBounce, RULES, validateBounceRequest } from "@dsnkit/core";
import type { SendBounceRequest } from "@dsnkit/core";
import { hostileString, originalMessage, sendBounceRequest } from "@dsnkit/testing";
import { decodeQuery, SEND_BOUNCE_SHAPE, SesError, verifySigV4 } from "@dsnkit/ses-local";
import { parseShorthand, ShorthandSyntaxError } from "../../packages/cli/src/aws/shorthand.js";
import { readJournal } from "../../packages/cli/src/batch/journal.js";
import { build } from "../../packages/core/test/fixtures/base-dsn.js";

/** A fuzz target: inputs, and what must hold for each. */
export interface FuzzTarget<T = unknown> {
  name: string;
  input: fc.Arbitrary<T>;
  check: (input: T) => void | Promise<void>;
}

const ROOT = resolve(import.meta.dirname, "../..");
const NOW = new Date("2026-11-26T10:00:00Z");
const hostile = hostileString({ maxFragments: 4 });
const encoder = new TextEncoder();

/** `seed` with hostile fragments inserted at, and a few characters cut after, random places. */
function spliced(seeds: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.oneof(hostile, fc.string({ unit: "binary", maxLength: 8 })), fc.nat({ max: 16 }));
  return fc.tuple(seeds, fc.array(edit, { minLength: 1, maxLength: 6 })).map(([seed, edits]) => {
    let s = seed;
    for (const [at, text, cut] of edits) {
      const i = at % (s.length + 1);
      s = s.slice(0, i) + text + s.slice(i + cut);
    }
    return s;
  });
}

/** Text, or its UTF-8 octets, or each character's low octet (an 8-bit message). */
function asInput(text: fc.Arbitrary<string>): fc.Arbitrary<string | Uint8Array> {
  return fc.tuple(text, fc.constantFrom("string", "utf8", "latin1")).map(([s, form]) =>
    form === "string" ? s : form === "utf8" ? encoder.encode(s) : Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff),
  );
}

function lineCount(raw: string | Uint8Array): number {
  const s = typeof raw === "string" ? raw : new TextDecoder("latin1").decode(raw);
  let n = 1;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

const postfixDir = join(ROOT, "packages/core/test/fixtures/postfix");
const POSTFIX: string[] = readdirSync(postfixDir)
  .filter((f) => f.endsWith(".eml"))
  .map((f) => readFileSync(join(postfixDir, f), "utf8"));

/** DSNs to start from: the base DSN, real Postfix DSNs, and DSNs dsnkit renders from generated requests. */
const dsnSeeds: fc.Arbitrary<string> = fc.oneof(
  fc.constant(build()),
  fc.constantFrom(...POSTFIX),
  sendBounceRequest({ maxRecipients: 3 }).map((r) => renderBounce(r, { originalSender: "sender@example.org", now: NOW }).raw),
);

const RULE_IDS = new Set(RULES.map((r) => r.id));

/** The errors checkDsn finds in a DSN dsnkit rendered: there must be none. */
function errorsOf(raw: string): unknown[] {
  return checkDsn(raw).filter((f) => f.severity === "error");
}

const parseDsnTarget: FuzzTarget<string | Uint8Array> = {
  name: "parseDsn",
  input: asInput(spliced(dsnSeeds)),
  check(raw) {
    for (const strict of [false, true]) {
      try {
        const dsn = parseDsn(raw, { strict });
        expect(dsn.deliveryStatus.recipients.length).toBeGreaterThan(0);
        const lines = lineCount(raw);
        for (const t of dsn.tolerances) expect(t.line).toBeGreaterThanOrEqual(1), expect(t.line).toBeLessThanOrEqual(lines + 1);
      } catch (e) {
        if (!(e instanceof DsnParseError)) throw e;
        expect(e.line).toBeGreaterThanOrEqual(1);
      }
    }
  },
};

const checkDsnTarget: FuzzTarget<string | Uint8Array> = {
  name: "checkDsn",
  input: asInput(spliced(dsnSeeds)),
  check(raw) {
    const findings = checkDsn(raw);
    const lines = lineCount(raw);
    for (const f of findings) {
      expect(RULE_IDS.has(f.rule), f.rule).toBe(true);
      expect(f.line).toBeGreaterThanOrEqual(1);
      expect(f.line).toBeLessThanOrEqual(lines + 1);
      expect(f.message.length).toBeGreaterThan(0);
    }
  },
};

const originalSeeds: fc.Arbitrary<string> = fc.oneof(originalMessage(), fc.constant("From: a@example.org\r\nSubject: hi\r\n\r\nbody\r\n"));

const readOriginalTarget: FuzzTarget<string | Uint8Array> = {
  name: "readOriginal",
  input: asInput(spliced(originalSeeds)),
  check(raw) {
    const o = readOriginal(raw);
    expect(o.bodyStart).toBeGreaterThanOrEqual(-1);
    expect(o.bodyStart).toBeLessThanOrEqual(raw.length);
    for (const f of o.fields) {
      expect(f.name.length).toBeGreaterThan(0);
      expect(f.text.startsWith(f.name + ":")).toBe(true);
      // Lines joined by CRLF only; no NUL, and no line break that only some readers see.
      expect(f.text).not.toMatch(/\r(?!\n)|(?<!\r)\n|[\0\v\f\x85\u2028\u2029]/);
      expect(f.octets).toBeGreaterThanOrEqual(f.text.length + 2);
    }
  },
};

const renderOriginalTarget: FuzzTarget<[string | Uint8Array, "headers" | "message" | "none"]> = {
  name: "renderBounce with a hostile original",
  input: fc.tuple(asInput(spliced(originalSeeds)), fc.constantFrom("headers" as const, "message" as const, "none" as const)),
  check([original, returnOriginal]) {
    const request: SendBounceRequest = { OriginalMessageId: "0100019abc", BounceSender: "mailer-daemon@example.com", BouncedRecipientInfoList: [{ Recipient: "a@example.com", BounceType: "DoesNotExist" }] };
    let raw: string;
    try {
      raw = renderBounce(request, { original, originalSender: "sender@example.org", now: NOW, returnOriginal }).raw;
    } catch (e) {
      if (e instanceof DsnValidationError) return;
      throw e;
    }
    // Whatever the original holds, the bounce around it breaks no RFC rule.
    expect(errorsOf(raw)).toEqual([]);
  },
};

/** Every string in a value, with its path. */
function stringPaths(v: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof v === "string") out.push(path);
  else if (Array.isArray(v)) v.forEach((x, i) => stringPaths(x, [...path, i], out));
  else if (v !== null && typeof v === "object" && !(v instanceof Date)) for (const [k, x] of Object.entries(v)) stringPaths(x, [...path, k], out);
  return out;
}

const hostileRequest: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(sendBounceRequest({ maxRecipients: 3 }), fc.nat(), fc.nat(), hostile).map(([request, which, at, evil]) => {
    const copy = structuredClone(request) as unknown as Record<string | number, unknown>;
    const paths = stringPaths(copy);
    const path = paths[which % paths.length]!;
    let node = copy;
    for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
    const s = node[path.at(-1)!] as string;
    node[path.at(-1)!] = s.slice(0, at % (s.length + 1)) + evil + s.slice(at % (s.length + 1));
    return copy;
  }),
  fc.tuple(sendBounceRequest({ maxRecipients: 2 }), fc.string(), fc.anything()).map(([request, key, value]) => ({ ...request, [key]: value })),
  fc.anything({ withObjectString: true, withNullPrototype: true }),
);

const validateTarget: FuzzTarget<unknown> = {
  name: "validateBounceRequest",
  input: hostileRequest,
  check(input) {
    const result = validateBounceRequest(input);
    if (!result.ok) {
      for (const i of result.issues) expect(i.message.length).toBeGreaterThan(0);
      return;
    }
    // What validation accepts renders a DSN that breaks no RFC rule.
    const raw = renderBounce(result.value, { originalSender: "sender@example.org", now: NOW }).raw;
    expect(errorsOf(raw)).toEqual([]);
  },
};

const shorthandSeeds = fc.constantFrom(
  "Recipient=nobody@example.com,BounceType=DoesNotExist",
  "ReportingMta=dns; mx.example.com,ExtensionFields=[{Name=X-A,Value=b}]",
  "Recipient=a@example.com,RecipientDsnFields={Action=failed,Status=5.1.1,DiagnosticCode='smtp; 550 no, really'}",
  "Key=[a,b,'c, d'],Other={Nested={Deep=v}}",
);

const shorthandTarget: FuzzTarget<string> = {
  name: "parseShorthand (the AWS CLI shorthand of send-bounce)",
  input: fc.oneof(spliced(shorthandSeeds), hostile),
  check(text) {
    try {
      parseShorthand(text);
    } catch (e) {
      if (!(e instanceof ShorthandSyntaxError)) throw e;
    }
  },
};

const queryTarget: FuzzTarget<[string, string][]> = {
  name: "decodeQuery (ses-local's SendBounce parameters)",
  input: fc.array(
    fc.tuple(
      fc.oneof(spliced(fc.constantFrom("BouncedRecipientInfoList.member.1.Recipient", "MessageDsn.ExtensionFields.member.2.Value", "OriginalMessageId")), hostile, fc.string()),
      fc.oneof(hostile, fc.string()),
    ),
    { maxLength: 12 },
  ),
  check(pairs) {
    const { value, problems } = decodeQuery(new Map(pairs), SEND_BOUNCE_SHAPE);
    expect(typeof value).toBe("object");
    for (const p of problems) expect(p.message.length).toBeGreaterThan(0);
  },
};

const AUTH = "AWS4-HMAC-SHA256 Credential=AKIDSESLOCAL/20261126/us-east-1/ses/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef";

const sigv4Target: FuzzTarget<[string, string, string]> = {
  name: "verifySigV4 (ses-local's Authorization header)",
  input: fc.tuple(spliced(fc.constant(AUTH)), spliced(fc.constant("20261126T100000Z")), fc.oneof(fc.constant("/"), hostile)),
  async check([authorization, date, path]) {
    try {
      await verifySigV4(
        { method: "POST", path, query: [], rawHeaders: ["Host", "127.0.0.1:4579", "X-Amz-Date", date, "Authorization", authorization], body: new Uint8Array() },
        { credentials: [{ accessKeyId: "AKIDSESLOCAL", secretAccessKey: "s" }], now: NOW },
      );
    } catch (e) {
      if (!(e instanceof SesError)) throw e;
      expect(e.message.length).toBeGreaterThan(0);
    }
  },
};

const JOURNAL = [
  '{"v":2,"at":"2026-11-26T10:00:00.000Z","event":"sending","key":"[\\"m1\\",[\\"a@example.com\\"]]","line":1,"sum":"00000000"}',
  '{"v":1,"at":"2026-11-26T10:00:00Z","event":"sent","key":"k","line":2,"messageId":"b"}',
].join("\n") + "\n";

const journalTarget: FuzzTarget<[Uint8Array, number | undefined]> = {
  name: "readJournal (the batch journal)",
  input: fc.tuple(asInput(spliced(fc.constant(JOURNAL))).map((x) => (typeof x === "string" ? encoder.encode(x) : x)), fc.option(fc.nat({ max: 400 }), { nil: undefined })),
  check([data, diedAt]) {
    const r = readJournal(data, diedAt);
    const lines = data.reduce((n, b) => n + (b === 0x0a ? 1 : 0), 1);
    // One finding per line at most, and one more when the journal ends before the run that died began.
    expect(r.entries.length + r.damaged.length).toBeLessThanOrEqual(lines + (diedAt !== undefined && data.length < diedAt ? 1 : 0));
    for (const e of r.entries) expect(["sending", "sent", "failed", "unknown", "not-sent", "expired"]).toContain(e.event);
    // Only a last line without its newline, past where the run that died began, is forgiven.
    if (r.torn !== undefined) {
      expect(diedAt).toBeDefined();
      expect(r.intact).toBeGreaterThanOrEqual(diedAt!);
      expect(data.indexOf(0x0a, r.intact)).toBe(-1);
    }
    for (const d of r.damaged) expect(d.line).toBeGreaterThanOrEqual(1), expect(d.reason.length).toBeGreaterThan(0);
  },
};

/** A target with its input type forgotten, to be listed with the others (its check takes its own input). */
function erase<T>(t: FuzzTarget<T>): FuzzTarget<unknown> {
  return t as unknown as FuzzTarget<unknown>;
}

/** Every fuzz target. */
export const TARGETS: readonly FuzzTarget<unknown>[] = [
  erase(parseDsnTarget),
  erase(checkDsnTarget),
  erase(readOriginalTarget),
  erase(renderOriginalTarget),
  erase(validateTarget),
  erase(shorthandTarget),
  erase(queryTarget),
  erase(sigv4Target),
  erase(journalTarget),
];
