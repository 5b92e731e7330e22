/**
 * The SES actions ses-local implements, independent of HTTP: SendBounce with SES's rules,
 * VerifyEmailIdentity, VerifyDomainIdentity and ListIdentities. Each takes the decoded query
 * parameters and returns the inner XML of its `<ActionResult>`, or throws an {@link SesError}.
 *
 * @module
 */
import { DsnValidationError, firstAddress, validateBounceRequest } from "@dsnkit/core";
import type { Issue, SendBounceRequest } from "@dsnkit/core";
import { SesError } from "./errors.js";
import { MAX_ORIGINAL_HEADER_READ } from "./original.js";
import { SEND_BOUNCE_SHAPE, decodeQuery, wireName } from "./query.js";
import type { QueryProblem } from "./query.js";
import type { Outbox } from "./outbox.js";
import type { RateLimiter } from "./rate.js";
import type { Relay } from "./relay.js";
import type { Identity, SesLocalStore } from "./store.js";
import type { Signer } from "./sigv4.js";
import { escapeXml } from "./xml.js";
import { renderSesBounce } from "./bounce.js";
import type { SesBounce, SesBounceContext } from "./bounce.js";

/**
 * How long after its arrival a message may be bounced, in milliseconds (SES: 24 hours).
 *
 * @example
 * BOUNCE_WINDOW_MS / 3_600_000;
 * //=> 24
 */
export const BOUNCE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * What the actions work with.
 *
 * @example
 * const ctx: ApiContext = {
 *   store, outbox, limiter: new RateLimiter(1), clock: () => new Date(), newId: sesMessageIdSequence(),
 *   renderProfile: "ses", ownAddress: "127.0.0.1", log: console.log, warn: console.error,
 * };
 */
export interface ApiContext extends SesBounceContext {
  store: SesLocalStore;
  outbox: Outbox;
  /** Present when bounces are relayed. */
  relay?: Relay;
  /** The SendBounce rate per access key. */
  limiter: RateLimiter;
  /** The emulator's clock: arrival times, the 24-hour rule, the bounce's Date. */
  clock: () => Date;
  /** Makes a new SES message id for a time. */
  newId: (at: Date) => string;
  /** Where progress lines go (a message, a bounce, an identity). */
  log: (line: string) => void;
  /** Where problems go (internal errors, failed writes, relay failures); shown even when `log` is quiet. */
  warn: (line: string) => void;
  /** True when a Lambda function ARN is mapped to a local handler (receipt rules' Lambda actions). Default: none is. */
  hasFunction?: (functionArn: string) => boolean;
}

/** Codes of core issues about the request's shape rather than its values. */
const SHAPE_CODES = new Set(["required", "invalid_type", "too_small", "too_big", "unknown_key", "forbidden_key", "invalid_enum"]);

/**
 * The error SES answers for a request that does not validate: `ValidationError` when a parameter
 * is missing, of the wrong shape or not an allowed value; `InvalidParameterValue` when a value is
 * refused (a mailbox, a status code, a date...). The message names each parameter by its wire
 * name.
 *
 * @example
 * issuesError([{ code: "required", path: ["BounceSender"], message: "BounceSender is required" }]).message;
 * //=> "1 validation error detected: BounceSender: BounceSender is required"
 */
export function issuesError(issues: readonly (Issue | QueryProblem)[]): SesError {
  const shape = issues.some((i) => !("code" in i) || SHAPE_CODES.has(i.code));
  const text = issues.map((i) => ("code" in i ? `${wireName(i.path)}: ${i.message}` : `${i.parameter} ${i.message}`)).join("; ");
  if (shape) return new SesError("ValidationError", `${issues.length} validation error${issues.length === 1 ? "" : "s"} detected: ${text}`);
  return new SesError("InvalidParameterValue", text);
}

/**
 * A parameter's value, or SES's `ValidationError` for a missing one.
 *
 * @example
 * requireParam(new Map([["Domain", "example.com"]]), "Domain");
 * //=> "example.com"
 */
export function requireParam(params: ReadonlyMap<string, string>, name: string): string {
  const v = params.get(name);
  if (v === undefined) throw new SesError("ValidationError", `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  return v;
}

/**
 * Refuses parameters the action does not take (`ValidationError`), so that a typo shows.
 *
 * @example
 * rejectUnknown(new Map([["Domian", "example.com"]]), ["Domain"]);
 * // throws ValidationError: 1 validation error detected: Domian is not a parameter of this action
 */
export function rejectUnknown(params: ReadonlyMap<string, string>, known: readonly string[]): void {
  const unknown = [...params.keys()].filter((k) => !known.includes(k));
  if (unknown.length > 0)
    throw new SesError(
      "ValidationError",
      `${unknown.length} validation error${unknown.length === 1 ? "" : "s"} detected: ${unknown.map((k) => `${k} is not a parameter of this action`).join("; ")}`,
    );
}

/** A domain name of two labels or more. */
export const DOMAIN = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63}$/;

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1).toLowerCase();
}

/**
 * Refuses what SES would not take as an email address (`InvalidParameterValue`, naming `parameter`).
 *
 * @example
 * checkAddress("mailer-daemon@example.com", "EmailAddress");
 */
export function checkAddress(address: string, parameter: string): void {
  const at = address.lastIndexOf("@");
  // SES answers "Invalid email address<...>." for these.
  if (at <= 0 || at === address.length - 1 || address.length > 320 || /[\s<>()[\],;:\\"\u0000-\u001f\u007f]/.test(address.slice(0, at)) || !DOMAIN.test(address.slice(at + 1)))
    throw new SesError("InvalidParameterValue", `Invalid email address<${address}>. (${parameter})`);
}

/** True when the address, its domain or a parent of its domain is a verified identity. */
function isVerified(store: SesLocalStore, address: string): boolean {
  if (store.hasIdentity(address)) return true;
  const labels = domainOf(address).split(".");
  for (let i = 0; i < labels.length - 1; i++) if (store.hasIdentity(labels.slice(i).join("."))) return true;
  return false;
}

const REGION = /^[a-z]{2}(?:-[a-z0-9]+)+-\d{1,2}$/;

/**
 * SendBounce: decodes and validates the request (core's {@link validateBounceRequest}), applies
 * SES's rules, renders the bounce from the stored original ({@link renderSesBounce}: SES's layout
 * by default), stores it, writes it to the outbox and queues it for relaying. Returns the result XML (`<MessageId>`); the store and the
 * outbox hold the bounce before this returns.
 *
 * The rules, each answered with `MessageRejected` (HTTP 400): the original must be a message this
 * emulator received; it must have arrived at most 24 hours ago by the emulator's clock; its
 * envelope sender must not be the null reverse-path; the BounceSender's address, its domain or a
 * parent domain must be a verified identity; and every `Recipient` must be one of the original's
 * envelope recipients (compared case-insensitively).
 *
 * The call takes a token of its access key's rate before anything else is checked, so a call
 * refused for its parameters or by a rule counts against the rate; only a `Throttling` answer
 * takes none. (Requests refused before the action, such as a bad signature, never get here.)
 *
 * @throws {SesError} `ValidationError` or `InvalidParameterValue` for a request that does not
 *   validate; `MessageRejected` for a rule; `Throttling` over the rate.
 * @example
 * const xml = await sendBounce(ctx, params, { accessKeyId: "AKIDSESLOCAL", region: "us-east-1", service: "ses" });
 * xml.startsWith("<MessageId>0100");
 * //=> true
 */
export async function sendBounce(ctx: ApiContext, params: ReadonlyMap<string, string>, signer: Signer): Promise<string> {
  if (!ctx.limiter.take(signer.accessKeyId)) throw new SesError("Throttling", "Maximum sending rate exceeded.");

  const decoded = decodeQuery(params, SEND_BOUNCE_SHAPE);
  if (decoded.problems.length > 0) throw issuesError(decoded.problems);
  const validation = validateBounceRequest(decoded.value);
  if (!validation.ok) throw issuesError(validation.issues);
  const bounceId = await acceptBounce(ctx, validation.value, { region: signer.region, accessKeyId: signer.accessKeyId });
  return `<MessageId>${bounceId}</MessageId>`;
}

/**
 * Who asks for a bounce: a SendBounce call (its access key and the region it signed for) or a
 * receipt rule's Bounce action (the emulator's region, no access key, the rule's name).
 *
 * @example
 * const origin: BounceOrigin = { region: "us-east-1", accessKeyId: "", receiptRule: "default/bounce-unknown" };
 */
export interface BounceOrigin {
  /** The region of the call: SES's default Reporting-MTA and its error messages name it. */
  region: string;
  /** The access key of the call; empty for a Bounce action. */
  accessKeyId: string;
  /** `<rule set>/<rule>` of a Bounce action. */
  receiptRule?: string;
}

/**
 * The one path a bounce takes, whether SendBounce or a receipt rule's Bounce action asks for it:
 * SES's rules for a validated request, then the bounce rendered ({@link renderSesBounce}) from the stored
 * original, stored, written to the outbox and queued for relaying. Returns the bounce's SES
 * message id; the store and the outbox hold the bounce before this returns.
 *
 * @throws {SesError} `MessageRejected` for a rule; `InvalidParameterValue` or `ValidationError`
 *   when the request cannot be rendered; `InternalFailure` when the outbox cannot be written.
 * @example
 * const bounceId = await acceptBounce(ctx, request, { region: "us-east-1", accessKeyId: "AKIDSESLOCAL" });
 */
export async function acceptBounce(ctx: ApiContext, request: SendBounceRequest, origin: BounceOrigin): Promise<string> {
  // Only the head of the original is read: its header block, cut at MAX_ORIGINAL_HEADER_READ.
  const original = ctx.store.getMessageHead(request.OriginalMessageId, MAX_ORIGINAL_HEADER_READ + 3);
  if (original === undefined)
    throw new SesError("MessageRejected", `Message ${request.OriginalMessageId} was not received by this account: there is no original message with that id.`);
  const now = ctx.clock();
  const age = now.getTime() - original.arrival.getTime();
  if (age > BOUNCE_WINDOW_MS)
    throw new SesError(
      "MessageRejected",
      `Message ${request.OriginalMessageId} was received at ${original.arrival.toISOString()}, more than 24 hours ago: a bounce can be sent only within 24 hours of receipt.`,
    );
  if (original.mailFrom === "")
    throw new SesError("MessageRejected", `Message ${request.OriginalMessageId} has a null reverse-path (MAIL FROM:<>): it is itself a notification and cannot be bounced.`);

  const senderAddress = firstAddress(request.BounceSender) ?? request.BounceSender;
  if (!isVerified(ctx.store, senderAddress))
    throw new SesError("MessageRejected", `Email address is not verified. The following identities failed the check in region ${origin.region.toUpperCase()}: ${senderAddress}`);

  const recipients = new Set(original.rcptTo.map((r) => r.toLowerCase()));
  const strangers = request.BouncedRecipientInfoList.map((r, i) => ({ r: r.Recipient, i })).filter(({ r }) => !recipients.has(r.toLowerCase()));
  if (strangers.length > 0)
    throw new SesError(
      "MessageRejected",
      `${strangers.map(({ r, i }) => `${r} (BouncedRecipientInfoList.member.${i + 1}.Recipient)`).join(", ")} ${strangers.length === 1 ? "was not a recipient" : "were not recipients"} of message ${request.OriginalMessageId}; its recipients are ${original.rcptTo.join(", ")}.`,
    );

  const region = REGION.test(origin.region) ? origin.region : "us-east-1";
  let bounce: SesBounce;
  try {
    bounce = renderSesBounce(ctx, request, original, region, now);
  } catch (e) {
    if (!(e instanceof DsnValidationError)) throw e;
    const context = e.issues.filter((i) => i.path[0] === "context");
    if (context.length > 0)
      throw new SesError(
        "MessageRejected",
        `Message ${request.OriginalMessageId} cannot be bounced: ${context.map((i) => i.message).join("; ")} (its envelope sender is <${original.mailFrom}>).`,
      );
    throw issuesError(e.issues);
  }
  const { bounceId, raw, to } = bounce;

  const bytes = Buffer.from(raw, "utf8");
  ctx.store.addBounce({
    bounceId,
    originalMessageId: original.messageId,
    created: now,
    bounceSender: request.BounceSender,
    rcptTo: [to],
    raw: bytes,
    request: JSON.stringify(request),
    accessKeyId: origin.accessKeyId,
    relay: { state: ctx.relay ? "pending" : "none", attempts: 0 },
    ...(origin.receiptRule !== undefined ? { receiptRule: origin.receiptRule } : {}),
  });
  let path: string;
  try {
    path = await ctx.outbox.write(bounceId, bytes);
  } catch (e) {
    // Not acknowledged, so not kept: the caller may try again.
    ctx.store.deleteBounce(bounceId);
    ctx.warn(`could not write bounce ${bounceId} to the outbox ${ctx.outbox.dir}: ${(e as Error).message}`);
    throw new SesError("InternalFailure", `The bounce could not be written to the outbox (${(e as Error).message}); it was not sent.`);
  }
  ctx.relay?.enqueue(bounceId);
  ctx.log(`bounce ${bounceId} for ${original.messageId} to <${to}> from ${senderAddress}${origin.receiptRule !== undefined ? ` (receipt rule ${origin.receiptRule})` : ""}: ${path}`);
  return bounceId;
}

/**
 * VerifyEmailIdentity: verifies an address at once (there is no mail to click through). As a
 * convenience the parameter may also be a bare domain, which verifies the domain.
 *
 * @throws {SesError} `ValidationError` without `EmailAddress`; `InvalidParameterValue` for an
 *   address SES would not take.
 * @example
 * verifyEmailIdentity(ctx, new Map([["EmailAddress", "mailer-daemon@example.com"]]));
 * //=> ""
 */
export function verifyEmailIdentity(ctx: ApiContext, params: ReadonlyMap<string, string>): string {
  rejectUnknown(params, ["EmailAddress"]);
  const value = requireParam(params, "EmailAddress").trim();
  if (!value.includes("@") && DOMAIN.test(value)) {
    ctx.store.addIdentity(value.toLowerCase(), "Domain", ctx.clock());
  } else {
    checkAddress(value, "EmailAddress");
    ctx.store.addIdentity(value, "EmailAddress", ctx.clock());
  }
  ctx.log(`verified identity ${value}`);
  return "";
}

/**
 * VerifyDomainIdentity: verifies a domain at once and returns a verification token, as SES does.
 *
 * @throws {SesError} `ValidationError` without `Domain`; `InvalidParameterValue` for a name that
 *   is not a domain.
 * @example
 * verifyDomainIdentity(ctx, new Map([["Domain", "example.com"]])).startsWith("<VerificationToken>");
 * //=> true
 */
export function verifyDomainIdentity(ctx: ApiContext, params: ReadonlyMap<string, string>): string {
  rejectUnknown(params, ["Domain"]);
  const domain = requireParam(params, "Domain").trim().toLowerCase();
  if (!DOMAIN.test(domain)) throw new SesError("InvalidParameterValue", `Invalid domain name <${domain}>. (Domain)`);
  ctx.store.addIdentity(domain, "Domain", ctx.clock());
  ctx.log(`verified identity ${domain}`);
  const token = Buffer.from(`ses-local:${domain}`).toString("base64");
  return `<VerificationToken>${escapeXml(token)}</VerificationToken>`;
}

/**
 * ListIdentities: the verified identities in the order they were added, of one `IdentityType`
 * (`EmailAddress` or `Domain`) when given, `MaxItems` (1 to 1000, default 1000) at a time, with a
 * `NextToken` for the rest.
 *
 * @throws {SesError} `ValidationError` for a bad `IdentityType` or `MaxItems`;
 *   `InvalidParameterValue` for a `NextToken` ses-local did not give.
 * @example
 * listIdentities(ctx, new Map());
 * //=> "<Identities><member>example.com</member></Identities>"
 */
export function listIdentities(ctx: ApiContext, params: ReadonlyMap<string, string>): string {
  rejectUnknown(params, ["IdentityType", "MaxItems", "NextToken"]);
  const type = params.get("IdentityType");
  if (type !== undefined && type !== "EmailAddress" && type !== "Domain")
    throw new SesError(
      "ValidationError",
      `1 validation error detected: Value '${type}' at 'identityType' failed to satisfy constraint: Member must satisfy enum value set: [EmailAddress, Domain]`,
    );
  let max = 1000;
  const maxText = params.get("MaxItems");
  if (maxText !== undefined) {
    if (!/^\d{1,7}$/.test(maxText) || Number(maxText) < 1 || Number(maxText) > 1000)
      throw new SesError("ValidationError", `1 validation error detected: Value '${maxText}' at 'maxItems' failed to satisfy constraint: Member must be a number from 1 to 1000`);
    max = Number(maxText);
  }
  const offset = pageOffset(params);
  const all: Identity[] = ctx.store.listIdentities(type as Identity["type"] | undefined);
  const page = all.slice(offset, offset + max);
  const members = page.map((i) => `<member>${escapeXml(i.identity)}</member>`).join("");
  return `<Identities>${members}</Identities>${nextTokenXml(offset + max, all.length)}`;
}

/**
 * Where a listing's page starts: 0, or the offset its `NextToken` (one ses-local gave) holds.
 *
 * @throws {SesError} `InvalidParameterValue` for a token ses-local did not give.
 * @example
 * pageOffset(new Map());
 * //=> 0
 */
export function pageOffset(params: ReadonlyMap<string, string>): number {
  const token = params.get("NextToken");
  if (token === undefined || token === "") return 0;
  const m = /^ses-local:(\d{1,9})$/.exec(Buffer.from(token, "base64").toString("latin1"));
  if (!m) throw new SesError("InvalidParameterValue", "NextToken is not a token ses-local gave");
  return Number(m[1]);
}

/**
 * The `<NextToken>` of a listing whose next page starts at `next`, or nothing when the list of
 * `total` items ends before it.
 *
 * @example
 * nextTokenXml(100, 100);
 * //=> ""
 */
export function nextTokenXml(next: number, total: number): string {
  return next < total ? `<NextToken>${Buffer.from(`ses-local:${next}`).toString("base64")}</NextToken>` : "";
}
