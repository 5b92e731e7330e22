/**
 * SigV4 verification against requests signed by @smithy/signature-v4 (the JS SDK's signer): every
 * signed request verifies, and any change to what was signed is SignatureDoesNotMatch.
 */
import { describe, expect, test } from "vitest";
import { fc, test as fcTest } from "@fast-check/vitest";
import { SignatureV4 } from "@smithy/signature-v4";
import { SesError, verifySigV4 } from "@dsnkit/ses-local";
import type { SignedRequest } from "@dsnkit/ses-local";
import { Sha256 } from "./helpers.js";

const credentials = [{ accessKeyId: "AKIDTEST", secretAccessKey: "secret-test" }];
const NOW = new Date("2026-11-26T10:00:00Z");

interface Spec {
  segments: string[];
  query: [string, string][];
  headers: [string, string][];
  body: Uint8Array;
  region: string;
  service: "ses" | "email";
  skewSeconds: number;
  contentSha: boolean;
}

async function sign(spec: Spec, unsignable?: Set<string>): Promise<SignedRequest> {
  const path = "/" + spec.segments.join("/");
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of spec.query) {
    const prior = query[k];
    query[k] = prior === undefined ? v : Array.isArray(prior) ? [...prior, v] : [prior, v];
  }
  const headers: Record<string, string> = { host: "127.0.0.1:4579", "content-type": "application/x-www-form-urlencoded" };
  for (const [k, v] of spec.headers) headers[k] = v;
  const signer = new SignatureV4({ service: spec.service, region: spec.region, credentials: credentials[0]!, sha256: Sha256, applyChecksum: spec.contentSha });
  const signed = await signer.sign(
    { method: "POST", protocol: "http:", hostname: "127.0.0.1", port: 4579, path, query, headers, body: spec.body },
    { signingDate: new Date(NOW.getTime() + spec.skewSeconds * 1000), ...(unsignable ? { unsignableHeaders: unsignable } : {}) },
  );
  const rawHeaders: string[] = [];
  for (const [k, v] of Object.entries(signed.headers)) rawHeaders.push(k, String(v));
  return { method: "POST", path, query: spec.query, rawHeaders, body: spec.body };
}

const token = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}$/);
const spec = fc.record<Spec>({
  segments: fc.array(token, { maxLength: 3 }),
  query: fc.array(fc.tuple(fc.string({ unit: "binary", minLength: 1, maxLength: 6 }), fc.string({ unit: "binary", maxLength: 6 })), { maxLength: 3 }),
  headers: fc.uniqueArray(fc.tuple(token.map((t) => `x-t-${t}`), fc.stringMatching(/^[!-~]([ !-~]{0,10}[!-~])?$/)), { selector: ([k]) => k, maxLength: 3 }),
  body: fc.uint8Array({ maxLength: 64 }),
  region: fc.constantFrom("us-east-1", "eu-west-1", "ap-southeast-2", "local"),
  service: fc.constantFrom("ses", "email"),
  skewSeconds: fc.integer({ min: -890, max: 890 }),
  contentSha: fc.boolean(),
});

async function codeOf(request: SignedRequest): Promise<string> {
  try {
    await verifySigV4(request, { credentials, now: NOW });
    return "ok";
  } catch (e) {
    if (e instanceof SesError) return e.code;
    throw e;
  }
}

function setHeader(r: SignedRequest, name: string, value: string): SignedRequest {
  const raw = [...r.rawHeaders];
  const i = raw.findIndex((h, j) => j % 2 === 0 && h.toLowerCase() === name);
  if (i < 0) raw.push(name, value);
  else raw[i + 1] = value;
  return { ...r, rawHeaders: raw };
}

describe("verifySigV4", () => {
  fcTest.prop([spec], { numRuns: 200 })("accepts every request the SDK's signer signed, within 15 minutes", async (s) => {
    const signer = await verifySigV4(await sign(s), { credentials, now: NOW });
    expect(signer).toEqual({ accessKeyId: "AKIDTEST", region: s.region, service: s.service });
  });

  fcTest.prop([spec, fc.nat(), fc.integer({ min: 1, max: 255 })], { numRuns: 200 })("refuses the body with any byte changed", async (s, at, delta) => {
    fc.pre(s.body.length > 0);
    const r = await sign(s);
    const body = Uint8Array.from(r.body);
    body[at % body.length] = (body[at % body.length]! + delta) % 256;
    expect(await codeOf({ ...r, body })).toBe("SignatureDoesNotMatch");
  });

  fcTest.prop([spec, fc.nat()], { numRuns: 100 })("refuses any signed header with its value changed", async (s, pick) => {
    fc.pre(s.headers.length > 0);
    const r = await sign(s);
    const [name, value] = s.headers[pick % s.headers.length]!;
    expect(await codeOf(setHeader(r, name, value + "x"))).toBe("SignatureDoesNotMatch");
  });

  fcTest.prop([spec], { numRuns: 100 })("refuses another path, and a query parameter added", async (s) => {
    const r = await sign(s);
    expect(await codeOf({ ...r, path: r.path + (r.path.endsWith("/") ? "x" : "/x") })).toBe("SignatureDoesNotMatch");
    expect(await codeOf({ ...r, query: [...r.query, ["Extra", "1"]] })).toBe("SignatureDoesNotMatch");
  });

  test("refuses the right signature under a wrong secret", async () => {
    const r = await sign({ segments: [], query: [], headers: [], body: new TextEncoder().encode("Action=ListIdentities"), region: "us-east-1", service: "ses", skewSeconds: 0, contentSha: false });
    await expect(verifySigV4(r, { credentials: [{ accessKeyId: "AKIDTEST", secretAccessKey: "other" }], now: NOW })).rejects.toMatchObject({ code: "SignatureDoesNotMatch", status: 403 });
  });

  test("a signature from 15 minutes ago is accepted; from 15 minutes and 1 second ago it is expired", async () => {
    const base = { segments: [], query: [], headers: [], body: new Uint8Array(), region: "us-east-1", service: "ses" as const, contentSha: false };
    expect(await codeOf(await sign({ ...base, skewSeconds: -900 }))).toBe("ok");
    await expect(verifySigV4(await sign({ ...base, skewSeconds: -901 }), { credentials, now: NOW })).rejects.toThrow(
      "Signature expired: 20261126T094459Z is now earlier than 20261126T094500Z (20261126T100000Z - 15 min.)",
    );
    await expect(verifySigV4(await sign({ ...base, skewSeconds: 901 }), { credentials, now: NOW })).rejects.toThrow(
      "Signature not yet current: 20261126T101501Z is still later than 20261126T101500Z (20261126T100000Z + 15 min.)",
    );
  });

  test("a signature whose SignedHeaders leave out host is IncompleteSignature, as AWS answers, and the Host is signed otherwise", async () => {
    const base = { segments: [], query: [], headers: [], body: new TextEncoder().encode("Action=ListIdentities"), region: "us-east-1", service: "ses" as const, skewSeconds: 0, contentSha: false };
    const unsigned = await sign(base, new Set(["host"]));
    expect(String(unsigned.rawHeaders[unsigned.rawHeaders.findIndex((h) => h.toLowerCase() === "authorization") + 1])).not.toMatch(/SignedHeaders=[^,]*host/);
    // Valid as a signature over what it covers, and refused all the same, with any Host.
    for (const host of ["127.0.0.1:4579", "evil.example.net"])
      await expect(verifySigV4(setHeader(unsigned, "host", host), { credentials, now: NOW })).rejects.toMatchObject({
        code: "IncompleteSignature",
        status: 400,
        message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      });
    const signed = await sign(base);
    expect(await codeOf(signed)).toBe("ok");
    expect(await codeOf(setHeader(signed, "host", "evil.example.net"))).toBe("SignatureDoesNotMatch");
  });

  test("a presigned (query-string) request is IncompleteSignature, saying so", async () => {
    const r: SignedRequest = { method: "GET", path: "/", query: [["X-Amz-Signature", "00"]], rawHeaders: ["Host", "x"], body: new Uint8Array() };
    await expect(verifySigV4(r, { credentials, now: NOW })).rejects.toMatchObject({ code: "IncompleteSignature", status: 400 });
  });

  test("a credential that is not five parts is IncompleteSignature", async () => {
    const r: SignedRequest = {
      method: "POST",
      path: "/",
      query: [],
      rawHeaders: ["Host", "x", "X-Amz-Date", "20261126T100000Z", "Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261126/ses/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"],
      body: new Uint8Array(),
    };
    await expect(verifySigV4(r, { credentials, now: NOW })).rejects.toMatchObject({ code: "IncompleteSignature" });
  });
});
