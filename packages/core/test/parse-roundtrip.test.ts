/**
 * The round trip: whatever a valid SendBounce request resolves to, rendering it and reading it
 * back gives the same model, with nothing tolerated, and the checker finds no error in it.
 * The requests come from @dsnkit/testing, the repository's one set of generators.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { checkDsn, parseDsn, renderDsn, resolveBounce } from "@dsnkit/core";
import { mailbox, originalMessage, sendBounceRequest } from "@dsnkit/testing";

const NOW = new Date("2026-11-26T10:00:00Z");
const MESSAGE_ID = "<dsn-roundtrip@bounces.example.com>";

describe("parseDsn(renderDsn(resolveBounce(request))) is the resolved bounce", () => {
  test.prop(
    [
      sendBounceRequest(),
      mailbox(),
      fc.record({ global: fc.boolean(), boundary: fc.constantFrom("b1", "=_dsnkit_roundtrip", "x'()+_,-./:=?y") }),
    ],
    { numRuns: 10_000 },
  )("the model, the explanation and the top-level fields come back; strict parsing tolerates nothing; no check error", (request, originalSender, options) => {
    const bounce = resolveBounce(request, { originalSender, now: NOW, messageId: MESSAGE_ID });
    const { raw } = renderDsn(bounce, options);
    const dsn = parseDsn(raw, { strict: true });
    expect(dsn.deliveryStatus).toStrictEqual(bounce.deliveryStatus);
    expect(dsn.explanation).toBe(bounce.explanation);
    expect(dsn.message).toStrictEqual({ from: bounce.from, to: bounce.to, subject: bounce.subject, date: NOW, messageId: MESSAGE_ID });
    expect(dsn.tolerances).toEqual([]);
    expect(checkDsn(raw).filter((f) => f.severity === "error")).toEqual([]);
  }, 600_000); // 10,000 runs take about 40 s on a 2-core machine: more than vitest's default timeout
});

describe("with the original returned", () => {
  test.prop(
    [sendBounceRequest({ maxRecipients: 3 }), originalMessage(), fc.constantFrom("headers" as const, "message" as const, "none" as const)],
    { numRuns: 1_000 },
  )("the model comes back, the original's header is read, and no check error", (request, original, returnOriginal) => {
    const bounce = resolveBounce(request, { original, now: NOW, messageId: MESSAGE_ID });
    const rendered = renderDsn(bounce, { returnOriginal, boundary: "b1" });
    const dsn = parseDsn(rendered.raw, { strict: true });
    expect(dsn.deliveryStatus).toStrictEqual(bounce.deliveryStatus);
    expect(dsn.message.inReplyTo).toBe(bounce.inReplyTo);
    if (rendered.original.returned === "none") expect(dsn.original).toBeUndefined();
    else {
      const types = rendered.original.returned === "message" ? ["message/rfc822", "message/global"] : ["text/rfc822-headers", "message/global-headers"];
      expect(types).toContain(dsn.original!.type);
      expect(dsn.original!.headers.length).toBeGreaterThan(0);
      expect(dsn.original!.body !== undefined).toBe(rendered.original.returned === "message");
    }
    expect(checkDsn(rendered.raw).filter((f) => f.severity === "error")).toEqual([]);
  }, 300_000);
});
