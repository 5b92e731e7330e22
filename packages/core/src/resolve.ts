/**
 * Resolution: an SES SendBounce request plus its context becomes a complete {@link Bounce}.
 *
 * @module
 */
import type { BounceType, SendBounceRequest, Timestamp } from "./ses.js";
import { BOUNCE_TYPES } from "./ses.js";
import type { Bounce, DsnExtensionField, PerRecipientFields } from "./model.js";
import type { BounceTypeDefault, BounceTypeDefaults } from "./defaults.js";
import { BOUNCE_TYPE_DEFAULTS, defaultDiagnostic } from "./defaults.js";
import { DsnValidationError } from "./issues.js";
import { IssueCollector, readBounceRequest, readDate, readMailbox, readObject, readString } from "./validate.js";
import { extensionFieldName, mtaField, typedAddress } from "./fields.js";
import { readTimestamp } from "./syntax/dates.js";
import { actionStatusProblem, statusProblem } from "./syntax/status.js";
import { trimWsp } from "./syntax/text.js";
import { messageIdProblem, originalMessageId, originalSenderField, plainHeaderEnd, readIdentifyingFields } from "./original.js";
import type { OriginalMessage } from "./original.js";
import { defaultSubject, generateExplanation } from "./explain.js";
import { randomHex } from "./random.js";
import { RENDER_PROFILES, readProfile } from "./profiles.js";
import type { RenderProfile, RenderProfileName } from "./profiles.js";

/**
 * What resolution needs besides the request. Everything is optional, but the bounce needs a
 * recipient: give `original` (its Return-Path, else its From, receives the bounce) or
 * `originalSender`.
 *
 * @example
 * const context: ResolveContext = {
 *   originalSender: "sender@example.org",
 *   now: new Date("2026-11-26T10:00:00Z"),
 *   messageId: "<bounce-1@example.com>",
 *   region: "eu-west-1",
 * };
 */
export interface ResolveContext {
  /** The original message, raw. Its headers are returned in the bounce and give its sender. */
  original?: string | Uint8Array;
  /** The original's envelope sender; wins over what `original` says. */
  originalSender?: string;
  /** The clock: the bounce's Date. Defaults to the current time. */
  now?: Date;
  /** The AWS region for the default Reporting-MTA `dns; inbound-smtp.<region>.amazonaws.com`. Default `us-east-1`. */
  region?: string;
  /** The bounce's Message-ID (`<left@right>`). Defaults to a random one at the BounceSender's domain. */
  messageId?: string;
  /** The bounce's Subject. Defaults to {@link defaultSubject}. */
  subject?: string;
  /** When the original arrived, if MessageDsn.ArrivalDate does not say. */
  arrivalDate?: Timestamp;
  /** Replacements for entries of {@link BOUNCE_TYPE_DEFAULTS}. */
  bounceTypeDefaults?: Partial<Record<BounceType, BounceTypeDefault>>;
  /**
   * The render profile the bounce is resolved for (default `"default"`): it gives the text of the
   * first part when the request has no Explanation, whether each Recipient is also written as
   * Original-Recipient, and the domain of a generated Message-ID. With `"ses"`: SES's
   * `This message could not be delivered.`, Original-Recipient, and `<region>.amazonses.com`.
   */
  profile?: RenderProfileName | RenderProfile;
}

/**
 * The Reporting-MTA name SES writes when the request gives none.
 *
 * @example
 * defaultReportingMta("eu-west-1");
 * //=> "inbound-smtp.eu-west-1.amazonaws.com"
 */
export function defaultReportingMta(region: string): string {
  return `inbound-smtp.${region}.amazonaws.com`;
}

const REGION = /^[a-z]{2}(?:-[a-z0-9]+)+-\d{1,2}$/;
const CONTEXT_PATH = ["context"];
const CONTEXT_KEYS = ["original", "originalSender", "now", "region", "messageId", "subject", "arrivalDate", "bounceTypeDefaults", "profile"];
const NONE: readonly string[] = [];

function resolveDefaults(c: IssueCollector, input: unknown): BounceTypeDefaults {
  if (input === undefined) return BOUNCE_TYPE_DEFAULTS;
  const path = ["context", "bounceTypeDefaults"];
  const obj = readObject(c, input, path, BOUNCE_TYPES, []);
  if (obj === undefined) return BOUNCE_TYPE_DEFAULTS;
  const table: Record<string, BounceTypeDefault> = { ...BOUNCE_TYPE_DEFAULTS };
  for (const type of BOUNCE_TYPES) {
    if (obj[type] === undefined) continue;
    const p = [...path, type];
    const d = readObject(c, obj[type], p, ["status", "smtpReply", "text", "action"], ["status", "smtpReply", "text", "action"]);
    if (d === undefined) continue;
    const status = readString(c, d.status, [...p, "status"], { max: 16 });
    if (status !== undefined && statusProblem(status) !== undefined)
      c.add("invalid_status", [...p, "status"], `status ${JSON.stringify(status)} is not an RFC 3463 status code: ${statusProblem(status)}`);
    if (typeof d.smtpReply !== "number" || !Number.isInteger(d.smtpReply) || d.smtpReply < 200 || d.smtpReply > 599)
      c.add("invalid_option", [...p, "smtpReply"], "smtpReply must be an SMTP reply code from 200 to 599");
    readString(c, d.text, [...p, "text"], { max: 200 });
    const action = d.action;
    if (action !== "failed" && action !== "delayed" && action !== "delivered" && action !== "relayed" && action !== "expanded")
      c.add("invalid_enum", [...p, "action"], "action must be one of failed, delayed, delivered, relayed, expanded");
    else if (status !== undefined && statusProblem(status) === undefined && actionStatusProblem(action, status) !== undefined)
      c.add("action_status_mismatch", [...p, "status"], actionStatusProblem(action, status)!);
    table[type] = d as unknown as BounceTypeDefault;
  }
  return table as unknown as BounceTypeDefaults;
}

/** The reply code for a status whose class differs from the bounce type's. */
const CLASS_REPLY: Readonly<Record<string, number>> = { "2": 250, "4": 450, "5": 550 };

/**
 * Resolves an SES SendBounce request into a complete {@link Bounce}: validates it (and the
 * context), applies the BounceType defaults (explicit RecipientDsnFields win; the bounce type
 * fills what they leave out), sets FinalRecipient from Recipient, the Reporting-MTA from the
 * region, `dns;`/`smtp;` types for bare MTA names and diagnostics, dates to whole seconds,
 * extension names to `X-<Name>`, and generates the explanation and Subject when none is given.
 *
 * @throws {DsnValidationError} with every issue, when the request or the context is invalid.
 * @example
 * const bounce = resolveBounce(
 *   {
 *     OriginalMessageId: "0100019abc",
 *     BounceSender: "mailer-daemon@example.com",
 *     BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }],
 *   },
 *   { originalSender: "sender@example.org", now: new Date("2026-11-26T10:00:00Z"), messageId: "<b1@example.com>" },
 * );
 * bounce.deliveryStatus.recipients[0];
 * //=> { finalRecipient: { type: "rfc822", address: "nobody@example.com" }, action: "failed", status: "5.1.1",
 * //     diagnosticCode: { type: "smtp", text: "550 5.1.1 Mailbox does not exist" }, extensionFields: [] }
 */
export function resolveBounce(request: SendBounceRequest, context: ResolveContext = {}): Bounce {
  return resolve(request, context).bounce;
}

/**
 * A resolved bounce, and what resolution learnt of its original that rendering would otherwise
 * learn again: where its header block ends when it can be returned as it stands.
 */
export interface Resolved {
  bounce: Bounce;
  /** {@link plainHeaderEnd} of the bounce's original, when it is a string. */
  originalPlainHeaderEnd?: number;
}

/**
 * {@link resolveBounce}, also returning what it read of the original. Everything the request
 * says is read once, by validation ({@link readBounceRequest}), and the bounce is built from what
 * it read.
 */
export function resolve(request: SendBounceRequest, context: ResolveContext): Resolved {
  const c = new IssueCollector();
  const read = readBounceRequest(c, request);

  const ctx = readObject(c, context, CONTEXT_PATH, CONTEXT_KEYS, NONE);
  let profile: RenderProfile = RENDER_PROFILES.default;
  try {
    profile = readProfile(ctx?.profile, "context");
  } catch (e) {
    if (!(e instanceof DsnValidationError)) throw e;
    c.issues.push(...e.issues);
  }
  const defaults = resolveDefaults(c, ctx?.bounceTypeDefaults);
  let now: Date | undefined;
  if (context.now !== undefined) {
    if (!(context.now instanceof Date)) c.add("invalid_type", ["context", "now"], "now must be a Date");
    else now = readDate(c, context.now, ["context", "now"]);
  } else now = readTimestamp(new Date()) as Date;
  const region = context.region ?? "us-east-1";
  if (typeof region !== "string" || !REGION.test(region))
    c.add("invalid_option", ["context", "region"], `region ${JSON.stringify(region)} is not an AWS region name like us-east-1`);
  let messageId = context.messageId;
  if (messageId !== undefined) {
    if (typeof messageId !== "string") c.add("invalid_type", ["context", "messageId"], "messageId must be a string");
    else {
      if (!messageId.startsWith("<")) messageId = `<${messageId}>`;
      const problem = messageIdProblem(messageId);
      if (problem !== undefined) c.add("invalid_message_id", ["context", "messageId"], `messageId ${JSON.stringify(messageId)}: ${problem}`);
    }
  }
  if (context.subject !== undefined) readString(c, context.subject, ["context", "subject"], { max: 900 });
  const contextArrival = context.arrivalDate !== undefined ? readDate(c, context.arrivalDate, ["context", "arrivalDate"]) : undefined;

  let original: OriginalMessage | undefined;
  let plainEnd: number | undefined;
  if (context.original !== undefined) {
    if (typeof context.original !== "string" && !(context.original instanceof Uint8Array))
      c.add("invalid_type", ["context", "original"], "original must be a string or a Uint8Array");
    else {
      // Whether the header block can be returned as it stands is found once, here, for renderBounce.
      if (typeof context.original === "string") plainEnd = plainHeaderEnd(context.original);
      original = readIdentifyingFields(context.original, plainEnd ?? -1);
    }
  }
  let to: string | undefined;
  if (context.originalSender !== undefined) to = readMailbox(c, context.originalSender, ["context", "originalSender"]);
  else if (original !== undefined) {
    const sender = originalSenderField(original);
    if (sender === null)
      c.add(
        "null_sender",
        ["context", "original"],
        "the original's Return-Path is <>: it is itself a notification and must not be bounced (RFC 5321 §4.5.5); pass originalSender to override",
      );
    else if (sender === undefined)
      c.add(
        "missing_original_sender",
        ["context", "original"],
        `the original has neither a Return-Path nor a From to send the bounce to${unreadable(original)}; pass originalSender`,
      );
    else to = readMailbox(c, sender.address, ["context", "original", sender.header]);
  } else
    c.add("missing_original_sender", ["context"], "nobody to send the bounce to: give the original message or originalSender");

  if (c.issues.length > 0) throw new DsnValidationError(c.issues);

  // Validation found no issue: what it read is complete.
  const from = read.bounceSender!;
  const md = request.MessageDsn;
  const reporting = read.reportingMta ?? mtaField(defaultReportingMta(region));
  if (typeof reporting === "string") throw new Error("unreachable: the region was validated");
  const arrival = read.arrivalDate ?? contextArrival;

  const recipients: PerRecipientFields[] = request.BouncedRecipientInfoList.map((info, i) => {
    const f = info.RecipientDsnFields;
    const fr = read.recipients[i];
    const d = info.BounceType !== undefined ? defaults[info.BounceType] : undefined;
    // Validation guarantees f or d; f's Action and Status are required when f is present.
    const action = f?.Action ?? d!.action;
    const status = f?.Status ?? d!.status;
    // Fields are added in RFC 3464 order, so the object reads like the block it becomes.
    const finalRecipient = typedAddress(f?.FinalRecipient ?? info.Recipient);
    const r = (
      profile.originalRecipient === "recipient"
        ? { originalRecipient: typedAddress(info.Recipient), finalRecipient, action, status }
        : { finalRecipient, action, status }
    ) as PerRecipientFields;
    if (fr?.remoteMta !== undefined) r.remoteMta = fr.remoteMta;
    if (fr?.diagnosticCode !== undefined) r.diagnosticCode = fr.diagnosticCode;
    else if (d !== undefined) {
      // Keep the text consistent with the Status: bounce classifiers read the text first.
      const text =
        status === d.status
          ? defaultDiagnostic(d)
          : `${status.charAt(0) === d.status.charAt(0) ? d.smtpReply : CLASS_REPLY[status.charAt(0)]} ${status}`;
      r.diagnosticCode = { type: "smtp", text };
    }
    if (fr?.lastAttemptDate !== undefined) r.lastAttemptDate = fr.lastAttemptDate;
    r.extensionFields = extensions(f?.ExtensionFields);
    return r;
  });

  const deliveryStatus: Bounce["deliveryStatus"] = {
    perMessage: arrival !== undefined
      ? { reportingMta: reporting, arrivalDate: arrival, extensionFields: extensions(md?.ExtensionFields) }
      : { reportingMta: reporting, extensionFields: extensions(md?.ExtensionFields) },
    recipients,
  };
  let explanation =
    request.Explanation !== undefined && request.Explanation.trim() !== ""
      ? request.Explanation.replace(/\r\n?/g, "\n")
      : profile.explanation === "generated"
        ? generateExplanation(deliveryStatus)
        : profile.explanation;
  if (profile.explanationLineEnd && !explanation.endsWith("\n")) explanation += "\n";
  const domain = profile.messageIdDomain === "amazonses" ? `${region}.amazonses.com` : from.address.slice(from.address.lastIndexOf("@") + 1);
  const bounce: Bounce = {
    from,
    to: to!,
    subject: context.subject ?? defaultSubject(recipients),
    date: now!,
    messageId: messageId ?? `<${randomHex(16)}@${domain}>`,
    explanation,
    deliveryStatus,
  };
  if (original === undefined) return { bounce };
  const id = originalMessageId(original);
  if (id !== undefined) bounce.inReplyTo = id;
  bounce.original = original.raw;
  return plainEnd === undefined ? { bounce } : { bounce, originalPlainHeaderEnd: plainEnd };
}

/** Why a header the original seems to have may not have been read: its malformed lines, if any. */
function unreadable(o: OriginalMessage): string {
  if (o.malformed === 0) return "";
  const n = o.malformed;
  return ` that can be read (${n} header field${n === 1 ? " was" : "s were"} dropped: a line over 998 octets, a NUL, a bare CR, a Unicode line break or no colon)`;
}

function extensions(fields: readonly { Name: string; Value: string }[] | undefined): DsnExtensionField[] {
  return fields === undefined ? [] : fields.map((x) => ({ name: extensionFieldName(x.Name), value: trimWsp(x.Value) }));
}
