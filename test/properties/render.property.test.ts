/**
 * The renderer's guarantees over generated requests (issue: foundation). Generators come from
 * @dsnkit/testing, the repository's one set of arbitraries.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { formatPath, renderBounce, renderDsn, resolveBounce, validateBounceRequest } from "@dsnkit/core";
import type { RenderBounceOptions, SendBounceRequest } from "@dsnkit/core";
import { hostileString, receivedMessage, sendBounceRequest } from "@dsnkit/testing";
import { structure } from "./structure.js";

const RUNS = 10_000;
/** Generous: 10,000 generated requests take seconds, but CI machines may be busy. */
const TIMEOUT = 900_000;
const now = new Date("2026-11-26T10:00:00Z");

const renderOptions = fc.record(
  {
    returnOriginal: fc.constantFrom("headers" as const, "message" as const, "none" as const),
    maxOriginalSize: fc.integer({ min: 0, max: 60_000 }),
    global: fc.boolean(),
    boundary: fc.stringMatching(/^[0-9A-Za-z'()+_,\-./:=?]{1,40}$/),
    profile: fc.constantFrom("default" as const, "ses" as const),
  },
  { requiredKeys: [] },
);

const withOriginal = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: receivedMessage() },
);

const HEADERS = ["From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "Auto-Submitted", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"];

function utf8(s: string): number {
  return new TextEncoder().encode(s).length;
}

describe("rendering any valid request", () => {
  test.prop([sendBounceRequest(), withOriginal, renderOptions], { numRuns: RUNS })(
    "never throws; CRLF only; no line over 998 octets; the boundary in no part; every recipient reported",
    (request, original, options) => {
      const context: RenderBounceOptions = original
        ? { original: original.raw, originalSender: original.envelopeSender, now, messageId: "<p@example.com>" }
        : { originalSender: "sender@example.org", now, messageId: "<p@example.com>" };
      const { raw, boundary, envelope } = renderBounce(request, { ...context, ...options });

      // CRLF only, and no line over 998 octets.
      const lines = raw.split("\r\n");
      for (const line of lines) {
        expect(line).not.toMatch(/[\r\n]/);
        if (line.length > 332) expect(utf8(line)).toBeLessThanOrEqual(998);
      }

      // The boundary occurs in no part (headers or body).
      const s = structure(raw);
      expect(s.boundary).toBe(boundary);
      expect(s.parts.length).toBeGreaterThanOrEqual(2);
      for (const p of s.parts) expect(`${p.headers.join("\r\n")}\r\n\r\n${p.body}`).not.toContain(boundary);

      // The top-level header fields are the ones the renderer writes, each once.
      expect(s.headerNames.every((n) => HEADERS.includes(n))).toBe(true);
      expect(new Set(s.headerNames).size).toBe(s.headerNames.length);
      expect(envelope).toEqual({ mailFrom: "", rcptTo: [context.originalSender] });

      // Every recipient reported, in order, with its action and status.
      const { deliveryStatus } = resolveBounce(request, context);
      expect(s.blocks).toHaveLength(request.BouncedRecipientInfoList.length + 1);
      deliveryStatus.recipients.forEach((r, i) => {
        const block = s.blocks[i + 1]!;
        const get = (name: string) => block.filter(([n]) => n === name).map(([, v]) => v);
        expect(get("Final-Recipient")).toHaveLength(1);
        expect(get("Final-Recipient")[0]).toMatch(new RegExp(`^${r.finalRecipient.type}; `));
        expect(get("Action")).toEqual([r.action]);
        expect(get("Status")).toEqual([r.status]);
      });
    },
    TIMEOUT,
  );
});

describe("renderBounce, which reads the original's header block once for resolution and render", () => {
  const original = fc.tuple(receivedMessage(), fc.constantFrom("as received", "LF line ends", "octets", "headers only")).map(([m, form]) =>
    form === "LF line ends" ? m.raw.replace(/\r\n/g, "\n") : form === "octets" ? new TextEncoder().encode(m.raw) : form === "headers only" ? m.raw.slice(0, m.raw.indexOf("\r\n\r\n") + 2) : m.raw,
  );
  test.prop([sendBounceRequest({ maxRecipients: 3 }), original, renderOptions], { numRuns: RUNS / 5 })(
    "renders exactly what renderDsn renders of resolveBounce's model",
    (request, raw, options) => {
      const context = { original: raw, originalSender: "sender@example.org", now, messageId: "<p@example.com>" };
      const { boundary, returnOriginal, maxOriginalSize, global, profile } = { boundary: "b", ...options };
      const model = resolveBounce(request, profile === undefined ? context : { ...context, profile });
      const renderOpts = { boundary, ...(returnOriginal && { returnOriginal }), ...(maxOriginalSize !== undefined && { maxOriginalSize }), ...(global !== undefined && { global }), ...(profile && { profile }) };
      expect(renderBounce(request, { ...context, ...renderOpts })).toEqual(renderDsn(model, renderOpts));
    },
    TIMEOUT,
  );
});

/** Every string leaf of a request, with its path. */
function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === "string") return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
  return [];
}

function setAt(root: unknown, path: (string | number)[], fn: (s: string) => string): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  node[last] = fn(node[last] as string);
  return copy;
}

describe("CR, LF, NUL and Unicode line breaks injected into any string field", () => {
  const injection = hostileString({ kinds: ["crlf", "bare-lf", "bare-cr", "nul", "header-injection", "unicode-line-break"], maxFragments: 2 });
  test.prop([sendBounceRequest({ maxRecipients: 3 }), fc.nat(), fc.nat(), injection], { numRuns: RUNS })(
    "get a validation issue at exactly that path, or cannot create a header or a DSN field",
    (request, which, at, evil) => {
      const paths = stringPaths(request);
      const path = paths[which % paths.length]!;
      const injected = setAt(request, path, (s) => s.slice(0, at % (s.length + 1)) + evil + s.slice(at % (s.length + 1))) as SendBounceRequest;
      const result = validateBounceRequest(injected);
      if (!result.ok) {
        expect(result.issues.map((i) => formatPath(i.path))).toContain(formatPath(path));
        return;
      }
      // Accepted (only multi-line text such as the Explanation may hold line breaks): the
      // header and the delivery-status blocks are exactly what the model says.
      const context = { originalSender: "sender@example.org", now, messageId: "<p@example.com>" };
      const bounce = resolveBounce(injected, context);
      const s = structure(renderBounce(injected, { ...context, boundary: "b" }).raw);
      expect(s.headerNames).toEqual(["From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted", "MIME-Version", "Content-Type", ...(s.headerNames.includes("Content-Transfer-Encoding") ? ["Content-Transfer-Encoding"] : [])]);
      expect(s.blocks).toHaveLength(bounce.deliveryStatus.recipients.length + 1);
      const names = (fieldsOf: { extensionFields: { name: string }[] }) => fieldsOf.extensionFields.map((x) => x.name);
      expect(s.blocks[0]!.map(([n]) => n).filter((n) => !["Reporting-MTA", "Arrival-Date"].includes(n))).toEqual(names(bounce.deliveryStatus.perMessage));
      bounce.deliveryStatus.recipients.forEach((r, i) => {
        const standard = ["Final-Recipient", "Action", "Status", "Remote-MTA", "Diagnostic-Code", "Last-Attempt-Date"];
        expect(s.blocks[i + 1]!.map(([n]) => n).filter((n) => !standard.includes(n))).toEqual(names(r));
      });
    },
    TIMEOUT,
  );
});
