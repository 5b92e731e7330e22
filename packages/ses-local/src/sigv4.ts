/**
 * Verification of AWS Signature Version 4 (the `Authorization: AWS4-HMAC-SHA256 ...` header):
 * the header is parsed and checked here, then the signature is computed again with
 * `@smithy/signature-v4` (the signer the AWS SDK for JavaScript uses) over exactly the headers the
 * client signed, and compared in constant time. Failures are answered with the codes and messages
 * AWS uses.
 *
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Hash, Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { Checksum, SourceData } from "@smithy/types";
import { SesError } from "./errors.js";

/**
 * A key pair ses-local accepts.
 *
 * @example
 * const c: Credentials = { accessKeyId: "AKIDSESLOCAL", secretAccessKey: "ses-local-secret" };
 */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * The parts of an HTTP request a signature covers.
 *
 * @example
 * const r: SignedRequest = {
 *   method: "POST",
 *   path: "/",
 *   query: [],
 *   rawHeaders: ["Host", "127.0.0.1:4579", "X-Amz-Date", "20261126T100000Z", "Authorization", "AWS4-HMAC-SHA256 ..."],
 *   body: Buffer.from("Action=ListIdentities&Version=2010-12-01"),
 * };
 */
export interface SignedRequest {
  method: string;
  /** The path as received (percent-encoded), without the query. */
  path: string;
  /** The query string's parameters, decoded, in order. */
  query: readonly (readonly [string, string])[];
  /** Node's `request.rawHeaders`: names and values alternating, as received. */
  rawHeaders: readonly string[];
  body: Uint8Array;
}

/**
 * Options of {@link verifySigV4}.
 *
 * @example
 * const o: VerifyOptions = { credentials: [{ accessKeyId: "AKIDSESLOCAL", secretAccessKey: "s" }], now: new Date() };
 */
export interface VerifyOptions {
  /** The key pairs to accept. */
  credentials: readonly Credentials[];
  /** The time to hold `X-Amz-Date` against. */
  now: Date;
  /** Signing names accepted in the credential scope. Default `["ses", "email"]`. */
  services?: readonly string[];
  /** The largest difference allowed between `X-Amz-Date` and `now`. Default 15 minutes, as AWS. */
  maxSkewMs?: number;
}

/**
 * Who signed a request that verified.
 *
 * @example
 * const s: Signer = { accessKeyId: "AKIDSESLOCAL", region: "us-east-1", service: "ses" };
 */
export interface Signer {
  accessKeyId: string;
  /** The region of the credential scope: the client's region. */
  region: string;
  service: string;
}

/** SHA-256 and HMAC-SHA-256 from node:crypto in the shape `@smithy/signature-v4` takes. */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.create();
  }
  private create(): Hash | Hmac {
    if (this.secret === undefined) return createHash("sha256");
    const key = typeof this.secret === "string" ? this.secret : Buffer.from(this.secret instanceof ArrayBuffer ? new Uint8Array(this.secret) : (this.secret as Uint8Array));
    return createHmac("sha256", key);
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.create();
  }
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const AMZ_DATE = /^(\d{8})T(\d{6})Z$/;
/** A UTF-16 surrogate without its pair: text that is not Unicode, which no URI encodes. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

function incomplete(message: string): SesError {
  return new SesError("IncompleteSignature", message);
}

function mismatch(message: string): SesError {
  return new SesError("SignatureDoesNotMatch", message);
}

/** Canonical header values: repeated headers joined by commas, in the order received. */
function headerMap(rawHeaders: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!.trim();
    const prior = map.get(name);
    map.set(name, prior === undefined ? value : `${prior},${value}`);
  }
  return map;
}

function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const d = m[1]!;
  const t = m[2]!;
  const iso = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 19) + "Z" !== iso ? undefined : date;
}

function amzDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

/**
 * Verifies a request's SigV4 signature and returns who signed it.
 *
 * The checks, in the order AWS makes them, each with AWS's error code:
 * - no `Authorization` header: `MissingAuthenticationToken` (403);
 * - an algorithm other than `AWS4-HMAC-SHA256`, a component that is not `key=value`, a missing
 *   `Credential`, `SignedHeaders` or `Signature`, `SignedHeaders` without `host`, no
 *   `X-Amz-Date`, or a malformed one: `IncompleteSignature` (400);
 * - an access key id that is not configured: `InvalidClientTokenId` (403);
 * - a credential scope whose date, service or terminator is wrong, a date more than 15 minutes
 *   from `now`, an `X-Amz-Content-Sha256` that is not the body's hash, or a signature that differs
 *   from the one computed: `SignatureDoesNotMatch` (403).
 *
 * @throws {SesError} with the code and message AWS answers with.
 * @example
 * const signer = await verifySigV4(request, { credentials: [{ accessKeyId: "AKIDSESLOCAL", secretAccessKey: "s" }], now: new Date() });
 * signer.region;
 * //=> "us-east-1"
 */
export async function verifySigV4(request: SignedRequest, options: VerifyOptions): Promise<Signer> {
  const headers = headerMap(request.rawHeaders);
  const authorization = headers.get("authorization");
  if (authorization === undefined || authorization === "") {
    if (request.query.some(([k]) => k.toLowerCase() === "x-amz-signature"))
      throw incomplete("ses-local does not accept query-string (presigned URL) authentication; sign the Authorization header as the AWS SDKs and CLI do");
    throw new SesError("MissingAuthenticationToken", "Request is missing Authentication Token");
  }

  const space = authorization.indexOf(" ");
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  if (algorithm !== ALGORITHM) throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'`);
  const components = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(",")) {
    const item = part.trim();
    if (item === "") continue;
    const eq = item.indexOf("=");
    if (eq <= 0) throw incomplete(`'${item}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`);
    components.set(item.slice(0, eq), item.slice(eq + 1));
  }
  const credential = components.get("Credential");
  const signedHeaders = components.get("SignedHeaders");
  const signature = components.get("Signature");
  const dateHeader = headers.get("x-amz-date");
  const missing: string[] = [];
  if (!credential) missing.push("Authorization header requires 'Credential' parameter.");
  if (!signature) missing.push("Authorization header requires 'Signature' parameter.");
  if (!signedHeaders) missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (dateHeader === undefined) {
    missing.push(
      headers.has("date")
        ? "ses-local requires the 'X-Amz-Date' header (the AWS SDKs and CLI send it); a 'Date' header alone is not supported."
        : "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  if (missing.length > 0) throw incomplete(`${missing.join(" ")} Authorization=${authorization}`);
  // SigV4 always signs the Host: unsigned, it could be changed in transit (or a signature made for
  // one endpoint replayed against another) without the signature noticing.
  const names = signedHeaders!.split(";").map((h) => h.trim().toLowerCase());
  if (!names.includes("host")) throw incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");

  const scope = credential!.split("/");
  if (scope.length !== 5 || scope.some((s) => s === ""))
    throw incomplete(`Credential should be ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request, not '${credential}'.`);
  const [accessKeyId, scopeDate, region, service, terminator] = scope as [string, string, string, string, string];

  const secret = options.credentials.find((c) => c.accessKeyId === accessKeyId);
  if (secret === undefined) throw new SesError("InvalidClientTokenId", "The security token included in the request is invalid.");

  const date = parseAmzDate(dateHeader!);
  if (date === undefined)
    throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${dateHeader}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  if (scopeDate !== dateHeader!.slice(0, 8))
    throw mismatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${dateHeader!.slice(0, 8)}', from '${dateHeader}'.`,
    );
  if (terminator !== "aws4_request") throw mismatch(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
  const services = options.services ?? ["ses", "email"];
  if (!services.includes(service)) throw mismatch(`Credential should be scoped to correct service: '${services[0]}'.`);
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(region)) throw mismatch(`Credential should be scoped to a valid region, not '${region}'.`);

  const skew = options.maxSkewMs ?? 15 * 60_000;
  const now = options.now.getTime();
  const minutes = Math.round(skew / 60_000);
  if (date.getTime() < now - skew)
    throw mismatch(`Signature expired: ${dateHeader} is now earlier than ${amzDate(new Date(now - skew))} (${amzDate(options.now)} - ${minutes} min.)`);
  if (date.getTime() > now + skew)
    throw mismatch(`Signature not yet current: ${dateHeader} is still later than ${amzDate(new Date(now + skew))} (${amzDate(options.now)} + ${minutes} min.)`);

  const bodyHash = request.body.length === 0 ? EMPTY_SHA256 : createHash("sha256").update(request.body).digest("hex");
  const declaredHash = headers.get("x-amz-content-sha256");
  if (declaredHash !== undefined && declaredHash !== bodyHash)
    throw mismatch("The provided 'x-amz-content-sha256' header does not match what was computed.");

  // Recompute over the headers the client says it signed, nothing else.
  const signed: Record<string, string> = {};
  for (const name of names) {
    const value = headers.get(name);
    if (value !== undefined && name !== "__proto__") signed[name] = value;
  }
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of request.query) {
    const prior = query[k];
    query[k] = prior === undefined ? v : Array.isArray(prior) ? [...prior, v] : [prior, v];
  }
  let path: string;
  try {
    path = decodeURIComponent(request.path);
    // What the signer will encode again: text that is not Unicode (a lone surrogate) cannot be.
    if (LONE_SURROGATE.test(path)) throw new URIError("lone surrogate");
  } catch {
    throw mismatch(`The request path ${JSON.stringify(request.path)} is not valid percent-encoding.`);
  }
  const signer = new SignatureV4({
    service,
    region,
    credentials: { accessKeyId, secretAccessKey: secret.secretAccessKey },
    sha256: NodeSha256,
    applyChecksum: false,
    uriEscapePath: true,
  });
  const expected = await signer.sign(
    { method: request.method.toUpperCase(), protocol: "http:", hostname: headers.get("host") ?? "", path, query, headers: signed, body: request.body },
    { signingDate: date, signingRegion: region, signingService: service, signableHeaders: new Set(names) },
  );
  const expectedSignature = /Signature=([0-9a-f]+)/.exec(String(expected.headers["authorization"]))?.[1] ?? "";
  const a = Buffer.from(expectedSignature);
  const b = Buffer.from(signature!);
  if (a.length !== b.length || !timingSafeEqual(a, b))
    throw mismatch(
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  return { accessKeyId, region, service };
}
