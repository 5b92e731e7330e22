import { describe, expect, test } from "vitest";
import { fc, test as prop } from "@fast-check/vitest";
import {
  BounceError,
  BounceOutcomeUnknownError,
  BounceRejectedError,
  BounceServiceError,
  BounceThrottledError,
  BounceValidationError,
  BounceWindowExpiredError,
  bounceKey,
} from "@dsnkit/ses";
import { classifyFailure, parseRetryAfter } from "../src/attempt.js";
import { formatDuration } from "../src/errors.js";
import { backoffDelay } from "../src/queue.js";
import { bounce } from "./support/fixtures.js";
import { mailbox } from "@dsnkit/testing";

describe("backoffDelay: exponential with full jitter", () => {
  prop.prop([fc.integer({ min: 1, max: 80 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })])(
    "stays in [0, min(max, base × 2^(retry-1))) and grows with the random draw",
    (retry, baseDelayMs, maxDelayMs, r) => {
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
      const d = backoffDelay(retry, { baseDelayMs, maxDelayMs, random: () => r });
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(0);
      if (ceiling > 0) expect(d).toBeLessThan(ceiling);
      else expect(d).toBe(0);
      expect(backoffDelay(retry, { baseDelayMs, maxDelayMs, random: () => r / 2 })).toBeLessThanOrEqual(d);
    },
  );

  test("the ceiling doubles per retry up to maxDelayMs", () => {
    const top = (retry: number) => backoffDelay(retry, { baseDelayMs: 1000, maxDelayMs: 20_000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6, 60].map(top)).toEqual([999, 1999, 3999, 7999, 15999, 19999, 19999]);
  });

  test("a random source out of [0, 1) cannot make a wait out of range", () => {
    for (const r of [1, -0.5, Number.NaN, 7])
      expect(backoffDelay(2, { baseDelayMs: 1000, maxDelayMs: 20_000, random: () => r })).toBe(0);
  });
});

describe("parseRetryAfter", () => {
  const now = new Date("2026-11-26T10:00:00Z");
  test.each([
    ["2", 2000],
    [" 3 ", 3000],
    ["1.5", 1500],
    ["0", 0],
    ["Thu, 26 Nov 2026 10:00:05 GMT", 5000],
    ["Thu, 26 Nov 2026 09:59:00 GMT", 0],
    ["-1", undefined],
    ["soon", undefined],
    ["9999999999", undefined],
    ["", undefined],
  ])("%j → %j", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe("bounceKey", () => {
  const address = mailbox({ unicode: false });
  prop.prop([fc.string({ minLength: 1, maxLength: 20 }), fc.array(address, { minLength: 1, maxLength: 6 }), fc.infiniteStream(fc.nat())])(
    "does not depend on the order, repetition or domain case of the recipients",
    (id, recipients, seeds) => {
      const shuffled = [...recipients].sort(() => (seeds.next().value % 3) - 1);
      const first = recipients[0]!;
      const at = first.lastIndexOf("@"); // a quoted local part may hold an "@" of its own
      const doubled = [...shuffled, first.slice(0, at) + first.slice(at).toUpperCase()];
      expect(bounceKey(bounce(id, doubled))).toBe(bounceKey(bounce(id, recipients)));
    },
  );

  test("tells apart what differs: the message, or the set of recipients", () => {
    expect(bounceKey(bounce("m1", ["a@example.com"]))).not.toBe(bounceKey(bounce("m2", ["a@example.com"])));
    expect(bounceKey(bounce("m1", ["a@example.com"]))).not.toBe(bounceKey(bounce("m1", ["a@example.com", "b@example.com"])));
    expect(bounceKey(bounce("m1", ["A@example.com"]))).not.toBe(bounceKey(bounce("m1", ["a@example.com"])));
    // No separator games: the key is JSON.
    expect(bounceKey(bounce('m","x', ["a@example.com"]))).not.toBe(bounceKey(bounce("m", ['x"@example.com', "a@example.com"])));
  });
});

describe("classifyFailure", () => {
  const now = new Date("2026-11-26T10:00:00Z");
  const on = { onWire: true, timedOut: false, now };
  const withResponse = (e: object, headers: Record<string, string>) => Object.defineProperty(e, "$response", { value: { statusCode: 503, headers } });

  test("a reset connection after sending: outcome unknown; before the HTTP handler: fatal", () => {
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    expect(classifyFailure(reset, on)).toMatchObject({ kind: "unknown", reason: "network" });
    expect(classifyFailure(reset, { ...on, onWire: false })).toMatchObject({ kind: "fatal" });
  });

  test("failures to connect: nothing was sent", () => {
    expect(classifyFailure(Object.assign(new Error("connect"), { code: "ECONNREFUSED" }), on)).toMatchObject({ kind: "unsent", code: "ECONNREFUSED" });
    expect(classifyFailure(Object.assign(new Error("x"), { cause: { code: "ENOTFOUND" } }), on)).toMatchObject({ kind: "unsent", code: "ENOTFOUND" });
    const connectTimeout = Object.assign(new Error("Socket timed out without establishing a connection within 1000 ms"), { name: "TimeoutError" });
    expect(classifyFailure(connectTimeout, on)).toMatchObject({ kind: "unsent" });
    const readTimeout = Object.assign(new Error("Connection timed out after 5000 ms"), { name: "TimeoutError" });
    expect(classifyFailure(readTimeout, on)).toMatchObject({ kind: "unknown", reason: "timeout" });
  });

  test("throttling by name or status, the daily quota, and Retry-After from the response", () => {
    expect(classifyFailure({ name: "ThrottlingException", message: "Rate exceeded", $metadata: { httpStatusCode: 400 } }, on)).toMatchObject({ kind: "throttled", daily: false });
    expect(classifyFailure({ name: "Unknown", message: "Unknown", $metadata: { httpStatusCode: 429 } }, on)).toMatchObject({ kind: "throttled", statusCode: 429 });
    expect(classifyFailure({ name: "Throttling", message: "Daily message quota exceeded." }, on)).toMatchObject({ kind: "throttled", daily: true });
    const unavailable = withResponse({ name: "ServiceUnavailable", message: "Service unavailable", $metadata: { httpStatusCode: 503 } }, { "Retry-After": "4" });
    expect(classifyFailure(unavailable, on)).toMatchObject({ kind: "server", code: "ServiceUnavailable", statusCode: 503, retryAfterMs: 4000 });
  });

  test("our own timeout and the caller's abort win over what the SDK threw", () => {
    const abort = Object.assign(new Error("Request aborted"), { name: "AbortError" });
    expect(classifyFailure(abort, { ...on, timedOut: true })).toMatchObject({ kind: "unknown", reason: "timeout" });
    expect(classifyFailure(abort, { ...on, timedOut: true, onWire: false })).toMatchObject({ kind: "unsent" });
    const reason = new Error("stop");
    expect(classifyFailure(abort, { ...on, callerSignal: AbortSignal.abort(reason) })).toMatchObject({ kind: "aborted", reason });
  });

  test("anything thrown, even not an Error, is classified without a crash", () => {
    expect(classifyFailure("boom", on)).toMatchObject({ kind: "unknown", message: "boom" });
    expect(classifyFailure(undefined, { ...on, onWire: false })).toMatchObject({ kind: "fatal" });
  });
});

describe("errors", () => {
  test("each has a literal name, is a BounceError, and keeps its cause", () => {
    const cause = new Error("sdk");
    const errors = [
      new BounceValidationError([{ code: "required", path: ["BounceSender"], message: "BounceSender is required" }]),
      new BounceRejectedError("not verified", 1, { cause }),
      new BounceWindowExpiredError(new Date(0), new Date(1000), new Date(2000), 1000),
      new BounceThrottledError("retries-spent", 5, "Maximum sending rate exceeded.", undefined, { cause }),
      new BounceServiceError("InternalFailure", 500, 3, "Internal failure.", { cause }),
      new BounceOutcomeUnknownError("timeout", 1, "no answer within timeoutMs", { cause }),
    ];
    expect(errors.map((e) => e.name)).toEqual([
      "BounceValidationError",
      "BounceRejectedError",
      "BounceWindowExpiredError",
      "BounceThrottledError",
      "BounceServiceError",
      "BounceOutcomeUnknownError",
    ]);
    for (const e of errors) expect(e).toBeInstanceOf(BounceError);
    expect(errors.slice(1).filter((e) => e.name !== "BounceWindowExpiredError").every((e) => e.cause === cause)).toBe(true);
    expect(errors[0]!.message).toBe("the bounce was not sent: 1 problem found:\nBounceSender: BounceSender is required [required]");
    expect(errors[5]!.message).toBe(
      "the SendBounce request was sent but no answer came (no answer within timeoutMs): SES may or may not have sent the bounce; it is not retried automatically",
    );
  });

  test.each([
    [250, "250 ms"],
    [1500, "1.5 s"],
    [61_000, "1 min 1 s"],
    [120_000, "2 min"],
    [3_600_000, "1 h"],
    [95_400_000, "26 h 30 min"],
    [172_740_000, "47 h 59 min"],
    [172_800_000, "2 d"],
    [400 * 86_400_000 + 3 * 3_600_000 + 59_000, "400 d 3 h"],
  ])("formatDuration(%d) is %j", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
