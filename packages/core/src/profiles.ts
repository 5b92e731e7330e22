/**
 * Render profiles: the layout of a rendered DSN as data (which header fields, in what order; the
 * part labels; the order of the delivery-status fields; the empty lines; the date forms; the
 * default texts), read by the one writer in render.ts. The RFC-clean `default` and SES's own
 * layout (`ses`) are built in; a profile for another system's layout is another object of the
 * same shape.
 *
 * @module
 */
import { IssueCollector } from "./validate.js";
import { findForbidden, isAscii } from "./syntax/text.js";
import { DsnValidationError } from "./issues.js";
import type { IssuePath } from "./issues.js";

/** A top-level header field a profile can place. */
type TopField =
  | "Date"
  | "From"
  | "To"
  | "Message-ID"
  | "Subject"
  | "In-Reply-To"
  | "References"
  | "Auto-Submitted"
  | "MIME-Version"
  | "Content-Type"
  | "Content-Transfer-Encoding";
type PartField = "Content-Type" | "Content-Transfer-Encoding" | "Content-Description";
type PerMessageField = "Original-Envelope-Id" | "Reporting-MTA" | "DSN-Gateway" | "Received-From-MTA" | "Arrival-Date";
type RecipientField =
  | "Original-Recipient"
  | "Final-Recipient"
  | "Action"
  | "Status"
  | "Remote-MTA"
  | "Diagnostic-Code"
  | "Last-Attempt-Date"
  | "Final-Log-ID"
  | "Will-Retry-Until";

/**
 * The layout of a rendered DSN. Everything the writer varies between systems is here, as data;
 * what every DSN must have (CRLF line ends, folding under 998 octets, a boundary that occurs in no
 * part, the encodings the content needs) is the writer's and holds for every profile.
 *
 * @example
 * // Postfix's layout, as a profile: its field order, labels and preamble.
 * const postfix: RenderProfile = {
 *   ...RENDER_PROFILES.default,
 *   name: "postfix",
 *   headerFields: ["Date", "From", "Subject", "To", "Auto-Submitted", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Message-ID"],
 *   preamble: "This is a MIME-encapsulated message.",
 *   partFields: ["Content-Description", "Content-Type", "Content-Transfer-Encoding"],
 * };
 * renderBounce(request, { originalSender: "sender@example.org", profile: postfix });
 */
export interface RenderProfile {
  /** What messages call the profile: 1 to 40 letters, digits and hyphens. */
  readonly name: string;
  /**
   * The top-level header fields, in order. All are required but In-Reply-To, References and
   * Auto-Submitted, which a profile may leave out (they are then never written). In-Reply-To and
   * References are written only when the original's Message-ID is known, Content-Transfer-Encoding
   * only when the message has 8-bit content.
   */
  readonly headerFields: readonly TopField[];
  /** The order of Content-Type's parameters: both of `report-type` and `boundary`. */
  readonly contentTypeParameters: readonly ("report-type" | "boundary")[];
  /**
   * `true`: each Content-Type parameter on a line of its own, as JavaMail folds (`; `, then CRLF
   * and a tab). `false`: on one line, folded at white space only when over 78 characters.
   */
  readonly foldEachParameter: boolean;
  /** One line of text before the first boundary (MIME readers skip it), or `""` for none. */
  readonly preamble: string;
  /** The header fields of each part, in order: all three. */
  readonly partFields: readonly PartField[];
  /**
   * `true`: a part says `Content-Transfer-Encoding: 7bit` when it needs no other encoding.
   * `false`: the field is written only when the part needs one (`8bit`, `quoted-printable`).
   */
  readonly declare7bit: boolean;
  /** The Content-Description of each part. */
  readonly descriptions: {
    /** The human-readable text/plain part. */
    readonly text: string;
    /** The (global-)delivery-status part. */
    readonly deliveryStatus: string;
    /** The original's headers (text/rfc822-headers, message/global-headers). */
    readonly headers: string;
    /** The whole original (message/rfc822, message/global). */
    readonly message: string;
  };
  /** The per-message fields, in order: all five RFC 3464 fields (each written when present). */
  readonly perMessageFields: readonly PerMessageField[];
  /** The per-recipient fields, in order: all nine RFC 3464 fields (each written when present). */
  readonly recipientFields: readonly RecipientField[];
  /**
   * The empty lines after each recipient block, whether another block or the part's end follows
   * (the line end before a boundary counts as one, as a reader sees the text): 1 to 3. RFC 3464
   * §2.1 separates blocks with one.
   */
  readonly emptyLinesAfterRecipient: number;
  /**
   * How Arrival-Date is written: `rfc5322` (`Thu, 26 Nov 2026 09:59:58 +0000`) or
   * `obsolete-utc` (`Thu, 26 Nov 26 09:59:58 UTC`: RFC 822's two-digit year, obsolete in
   * RFC 5322 §4.3, and the zone `UTC`, which neither RFC has). Other dates are always `rfc5322`.
   */
  readonly arrivalDate: "rfc5322" | "obsolete-utc";
  /**
   * The form of a random boundary: `dsnkit` (`=_dsnkit_` and 24 hex digits) or `javamail`
   * (`----=_Part_{n}_{n}.{the bounce's Date in epoch milliseconds}`).
   */
  readonly boundary: "dsnkit" | "javamail";
  /**
   * For {@link resolveBounce}: the text of the first part when the request has no Explanation, or
   * `"generated"` for one listing each recipient with its diagnostic ({@link generateExplanation}).
   */
  readonly explanation: string;
  /**
   * For {@link resolveBounce}: `true` ends an explanation that has no final line end with one
   * (an empty line then comes before the next boundary); `false` keeps the text as it is, as SES
   * does: its `This message could not be delivered.` is followed by the boundary's line.
   */
  readonly explanationLineEnd: boolean;
  /**
   * For {@link resolveBounce}: `none` writes no Original-Recipient (SendBounce has no ORCPT to
   * take it from, RFC 3461 §6.3); `recipient` writes each BouncedRecipientInfo's Recipient there.
   */
  readonly originalRecipient: "none" | "recipient";
  /**
   * For {@link resolveBounce}: the domain of a generated Message-ID, `bounce-sender` (the
   * BounceSender's domain) or `amazonses` (`<region>.amazonses.com`).
   */
  readonly messageIdDomain: "bounce-sender" | "amazonses";
}

/**
 * The names of the built-in profiles.
 *
 * @example
 * const name: RenderProfileName = "ses";
 */
export type RenderProfileName = "default" | "ses";

const DEFAULT_PROFILE: RenderProfile = deepFreeze({
  name: "default",
  headerFields: [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Auto-Submitted",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
  ],
  contentTypeParameters: ["report-type", "boundary"],
  foldEachParameter: false,
  preamble: "This is a delivery status notification in MIME format (RFC 3464).",
  partFields: ["Content-Type", "Content-Description", "Content-Transfer-Encoding"],
  declare7bit: false,
  descriptions: {
    text: "Notification",
    deliveryStatus: "Delivery report",
    headers: "Undelivered message headers",
    message: "Undelivered message",
  },
  // RFC 3464 §2.2 and §2.3, in the order of their ABNF.
  perMessageFields: ["Original-Envelope-Id", "Reporting-MTA", "DSN-Gateway", "Received-From-MTA", "Arrival-Date"],
  recipientFields: [
    "Original-Recipient",
    "Final-Recipient",
    "Action",
    "Status",
    "Remote-MTA",
    "Diagnostic-Code",
    "Last-Attempt-Date",
    "Final-Log-ID",
    "Will-Retry-Until",
  ],
  emptyLinesAfterRecipient: 1,
  arrivalDate: "rfc5322",
  boundary: "dsnkit",
  explanation: "generated",
  explanationLineEnd: true,
  originalRecipient: "none",
  messageIdDomain: "bounce-sender",
});

/**
 * SES's layout, from the bounces SES sends for mail it received (2015–2021). Where SES departs
 * from the RFCs, so does this profile: docs/rendering.md lists each departure and what checkDsn
 * says about it. Fields SES was not seen to write (Remote-MTA, Last-Attempt-Date, ...) follow
 * the ones it writes, in RFC 3464 order.
 */
const SES_PROFILE: RenderProfile = deepFreeze({
  name: "ses",
  headerFields: ["Date", "From", "To", "Message-ID", "Subject", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"],
  contentTypeParameters: ["boundary", "report-type"],
  foldEachParameter: true,
  preamble: "",
  partFields: ["Content-Type", "Content-Transfer-Encoding", "Content-Description"],
  declare7bit: true,
  descriptions: {
    text: "Notification",
    deliveryStatus: "Delivery Status Notification",
    headers: "Undelivered Message",
    message: "Undelivered Message",
  },
  perMessageFields: ["Original-Envelope-Id", "Reporting-MTA", "DSN-Gateway", "Received-From-MTA", "Arrival-Date"],
  recipientFields: [
    "Action",
    "Final-Recipient",
    "Original-Recipient",
    "Diagnostic-Code",
    "Status",
    "Remote-MTA",
    "Last-Attempt-Date",
    "Final-Log-ID",
    "Will-Retry-Until",
  ],
  emptyLinesAfterRecipient: 2,
  arrivalDate: "obsolete-utc",
  boundary: "javamail",
  explanation: "This message could not be delivered.",
  explanationLineEnd: false,
  originalRecipient: "recipient",
  messageIdDomain: "amazonses",
});

/**
 * The built-in profiles: `default`, the RFC-clean layout, and `ses`, the layout of the bounces
 * Amazon SES sends (see docs/rendering.md for how they differ).
 *
 * @example
 * RENDER_PROFILES.ses.recipientFields.slice(0, 5);
 * //=> ["Action", "Final-Recipient", "Original-Recipient", "Diagnostic-Code", "Status"]
 */
export const RENDER_PROFILES: Readonly<Record<RenderProfileName, RenderProfile>> = Object.freeze({ default: DEFAULT_PROFILE, ses: SES_PROFILE });

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const TOP_FIELDS: readonly TopField[] = DEFAULT_PROFILE.headerFields;
const TOP_OPTIONAL: readonly TopField[] = ["In-Reply-To", "References", "Auto-Submitted"];
const NAME = /^[A-Za-z0-9-]{1,40}$/;

/** Checks that `list` holds only names of `all`, each once, and every one of `all` but `optional`. */
function orderList(c: IssueCollector, list: unknown, path: IssuePath, all: readonly string[], optional: readonly string[] = []): void {
  if (!Array.isArray(list)) {
    c.add("invalid_type", path, `${path.at(-1)} must be a list of field names`);
    return;
  }
  const seen = new Set<string>();
  list.forEach((name: unknown, i) => {
    if (typeof name !== "string" || !all.includes(name)) c.add("invalid_enum", [...path, i], `${JSON.stringify(name)} is not one of ${all.join(", ")}`);
    else if (seen.has(name)) c.add("invalid_option", [...path, i], `${name} is listed twice`);
    else seen.add(name);
  });
  const missing = all.filter((n) => !seen.has(n) && !optional.includes(n));
  if (missing.length > 0) c.add("required", path, `${path.at(-1)} must list ${missing.join(", ")}`);
}

function label(c: IssueCollector, value: unknown, path: IssuePath, max: number): void {
  if (typeof value !== "string") c.add("invalid_type", path, `${path.at(-1)} must be a string`);
  else if (value.length > max || !isAscii(value) || findForbidden(value, false) !== undefined)
    c.add("invalid_option", path, `${path.at(-1)} must be at most ${max} printable ASCII characters on one line`);
}

function oneOf(c: IssueCollector, value: unknown, path: IssuePath, values: readonly unknown[]): void {
  if (!values.includes(value)) c.add("invalid_enum", path, `${path.at(-1)} must be ${values.map((v) => JSON.stringify(v)).join(" or ")}`);
}

/** The profile a custom object describes, checked field by field; every problem is an issue under `path`. */
function checkProfile(p: Record<string, unknown>, path: IssuePath): void {
  const c = new IssueCollector();
  const at = (...keys: (string | number)[]): IssuePath => [...path, ...keys];
  if (typeof p.name !== "string" || !NAME.test(p.name)) c.add("invalid_option", at("name"), "name must be 1 to 40 letters, digits and hyphens");
  orderList(c, p.headerFields, at("headerFields"), TOP_FIELDS, TOP_OPTIONAL);
  orderList(c, p.contentTypeParameters, at("contentTypeParameters"), ["report-type", "boundary"]);
  oneOf(c, p.foldEachParameter, at("foldEachParameter"), [true, false]);
  label(c, p.preamble, at("preamble"), 200);
  orderList(c, p.partFields, at("partFields"), DEFAULT_PROFILE.partFields);
  oneOf(c, p.declare7bit, at("declare7bit"), [true, false]);
  const d = p.descriptions;
  if (typeof d !== "object" || d === null) c.add("invalid_type", at("descriptions"), "descriptions must be an object of text, deliveryStatus, headers and message");
  else for (const k of ["text", "deliveryStatus", "headers", "message"]) label(c, (d as Record<string, unknown>)[k], at("descriptions", k), 200);
  orderList(c, p.perMessageFields, at("perMessageFields"), DEFAULT_PROFILE.perMessageFields);
  orderList(c, p.recipientFields, at("recipientFields"), DEFAULT_PROFILE.recipientFields);
  oneOf(c, p.emptyLinesAfterRecipient, at("emptyLinesAfterRecipient"), [1, 2, 3]);
  oneOf(c, p.arrivalDate, at("arrivalDate"), ["rfc5322", "obsolete-utc"]);
  oneOf(c, p.boundary, at("boundary"), ["dsnkit", "javamail"]);
  if (typeof p.explanation !== "string" || p.explanation === "" || findForbidden(p.explanation, true) !== undefined)
    c.add("invalid_option", at("explanation"), 'explanation must be "generated" or a text without control characters but line ends');
  oneOf(c, p.explanationLineEnd, at("explanationLineEnd"), [true, false]);
  oneOf(c, p.originalRecipient, at("originalRecipient"), ["none", "recipient"]);
  oneOf(c, p.messageIdDomain, at("messageIdDomain"), ["bounce-sender", "amazonses"]);
  if (c.issues.length > 0) throw new DsnValidationError(c.issues);
}

/**
 * The profile an option names (`undefined` is `default`), or the custom one given, checked.
 *
 * @param where - whose option it is: issues are at `[where, "profile", ...]`.
 * @throws {DsnValidationError} `invalid_option` (and others) for an unknown name or a malformed
 *   profile.
 */
export function readProfile(profile: unknown, where: "options" | "context"): RenderProfile {
  if (profile === undefined || profile === "default") return DEFAULT_PROFILE;
  if (profile === "ses") return SES_PROFILE;
  if (typeof profile === "object" && profile !== null && !Array.isArray(profile)) {
    checkProfile(profile as Record<string, unknown>, [where, "profile"]);
    return profile as RenderProfile;
  }
  throw new DsnValidationError([
    {
      code: "invalid_option",
      path: [where, "profile"],
      message: `profile ${JSON.stringify(profile)} is not a render profile: give "default", "ses" or a RenderProfile object`,
    },
  ]);
}
