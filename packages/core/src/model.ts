/**
 * The RFC 3464 model: every field of a Delivery Status Notification, typed.
 *
 * Resolution turns an SES request into this model, the renderer writes it, and the parser reads it
 * back. Mail systems can also build it directly. Names are the RFC's field names in camelCase.
 *
 * @module
 */
import type { DsnAction } from "./ses.js";

/**
 * An address with its RFC 3464 address type: `rfc822` for ASCII addresses, `utf-8` (RFC 6533)
 * for internationalized ones. `address` is always the plain, decoded address.
 *
 * @example
 * const a: TypedAddress = { type: "rfc822", address: "nobody@example.com" };
 * const b: TypedAddress = { type: "utf-8", address: "用户@例子.广告" };
 */
export interface TypedAddress {
  type: string;
  address: string;
}

/**
 * An MTA name with its type (RFC 3464 §2.1.2), e.g. `{ type: "dns", name: "mx.example.com" }`.
 *
 * @example
 * const mta: MtaName = { type: "dns", name: "inbound-smtp.us-east-1.amazonaws.com" };
 */
export interface MtaName {
  type: string;
  name: string;
}

/**
 * A diagnostic code with its type (RFC 3464 §2.3.6), e.g. the SMTP reply the remote MTA gave.
 *
 * @example
 * const code: DiagnosticCode = { type: "smtp", text: "550 5.1.1 Mailbox does not exist" };
 */
export interface DiagnosticCode {
  type: string;
  text: string;
}

/**
 * An extension field of the delivery-status part, written after the RFC 3464 fields of its block.
 *
 * @example
 * const field: DsnExtensionField = { name: "X-Rule", value: "unknown-user" };
 */
export interface DsnExtensionField {
  name: string;
  value: string;
}

/**
 * The per-message fields (RFC 3464 §2.2), in the order they are written.
 *
 * @example
 * const fields: PerMessageFields = {
 *   reportingMta: { type: "dns", name: "mx.example.com" },
 *   arrivalDate: new Date("2026-11-26T09:59:58Z"),
 *   extensionFields: [],
 * };
 */
export interface PerMessageFields {
  /** The envelope id the sender gave with `MAIL FROM ... ENVID=` (never a Message-ID). */
  originalEnvelopeId?: string;
  reportingMta: MtaName;
  dsnGateway?: MtaName;
  receivedFromMta?: MtaName;
  arrivalDate?: Date;
  extensionFields: DsnExtensionField[];
}

/**
 * The per-recipient fields (RFC 3464 §2.3), in the order they are written.
 *
 * @example
 * const fields: PerRecipientFields = {
 *   finalRecipient: { type: "rfc822", address: "nobody@example.com" },
 *   action: "failed",
 *   status: "5.1.1",
 *   diagnosticCode: { type: "smtp", text: "550 5.1.1 Mailbox does not exist" },
 *   extensionFields: [],
 * };
 */
export interface PerRecipientFields {
  originalRecipient?: TypedAddress;
  finalRecipient: TypedAddress;
  action: DsnAction;
  /** An RFC 3463 status code: `class.subject.detail`, e.g. `5.1.1`. */
  status: string;
  remoteMta?: MtaName;
  diagnosticCode?: DiagnosticCode;
  lastAttemptDate?: Date;
  finalLogId?: string;
  willRetryUntil?: Date;
  extensionFields: DsnExtensionField[];
}

/**
 * The content of a `message/delivery-status` part: one per-message block and one block per
 * recipient (at least one).
 *
 * @example
 * const status: DeliveryStatus = {
 *   perMessage: { reportingMta: { type: "dns", name: "mx.example.com" }, extensionFields: [] },
 *   recipients: [{
 *     finalRecipient: { type: "rfc822", address: "nobody@example.com" },
 *     action: "failed",
 *     status: "5.1.1",
 *     extensionFields: [],
 *   }],
 * };
 */
export interface DeliveryStatus {
  perMessage: PerMessageFields;
  recipients: PerRecipientFields[];
}

/**
 * What a reader found written in a recipient block in place of a recognized Action or Status: the
 * value as written (trimmed), for an Action that is not one of {@link DSN_ACTIONS} (`deliverable`,
 * `expired`) or a Status that is not an RFC 3463 code (`5.1`, an empty value).
 *
 * @example
 * const u: UnrecognizedFields = { action: "expired", status: "" };
 */
export interface UnrecognizedFields {
  action?: string;
  status?: string;
}

/**
 * A recipient block as a reader found it: {@link PerRecipientFields}, except that Action and
 * Status are absent when the block does not state them, or states them in a form that is not
 * recognized (then `unrecognized` holds the text as written). A reader never makes one up.
 *
 * @example
 * const r: ParsedRecipientFields = {
 *   finalRecipient: { type: "rfc822", address: "nobody@example.com" },
 *   status: "4.4.7",
 *   extensionFields: [],
 *   unrecognized: { action: "expired" },
 * };
 */
export interface ParsedRecipientFields extends Omit<PerRecipientFields, "action" | "status"> {
  /** The Action as written (lower-cased); absent when not stated or not recognized. */
  action?: DsnAction;
  /** The RFC 3463 status code as written; absent when not stated or not recognized. */
  status?: string;
  /** What the block states in place of a recognized Action or Status; absent when there is nothing. */
  unrecognized?: UnrecognizedFields;
}

/**
 * A delivery status as a reader found it (what {@link parseDsn} returns): {@link DeliveryStatus}
 * whose recipients are {@link ParsedRecipientFields}. A complete one is a {@link DeliveryStatus}:
 * a DSN that states every Action and Status reads back to exactly the model it was rendered from.
 *
 * @example
 * const status: ParsedDeliveryStatus = parseDsn(raw).deliveryStatus;
 * status.recipients[0]?.action;
 * //=> "failed"
 */
export interface ParsedDeliveryStatus {
  perMessage: PerMessageFields;
  recipients: ParsedRecipientFields[];
}

/**
 * A mailbox for a header: an address and an optional display name (any Unicode; it is
 * RFC 2047-encoded when it is not ASCII).
 *
 * @example
 * const from: Mailbox = { name: "Mail Delivery System", address: "mailer-daemon@example.com" };
 */
export interface Mailbox {
  name?: string;
  address: string;
}

/**
 * A complete bounce, ready to render: the top-level headers, the human-readable explanation, the
 * delivery status and, when known, the original message. {@link resolveBounce} builds one from an
 * SES request; a mail system can also build one itself.
 *
 * @example
 * const bounce: Bounce = {
 *   from: { address: "mailer-daemon@example.com" },
 *   to: "sender@example.org",
 *   subject: "Delivery Status Notification (Failure)",
 *   date: new Date("2026-11-26T10:00:00Z"),
 *   messageId: "<dsn-1@example.com>",
 *   explanation: "Your message could not be delivered.\n",
 *   deliveryStatus: {
 *     perMessage: { reportingMta: { type: "dns", name: "mx.example.com" }, extensionFields: [] },
 *     recipients: [{
 *       finalRecipient: { type: "rfc822", address: "nobody@example.com" },
 *       action: "failed",
 *       status: "5.1.1",
 *       extensionFields: [],
 *     }],
 *   },
 * };
 */
export interface Bounce {
  /** The From of the bounce (SES's BounceSender). */
  from: Mailbox;
  /** The original message's envelope sender: the bounce's To and its only envelope recipient. */
  to: string;
  subject: string;
  date: Date;
  /** The bounce's own Message-ID, with angle brackets: `<id@domain>`. */
  messageId: string;
  /** The original's Message-ID, written as In-Reply-To and References. */
  inReplyTo?: string;
  /** The human-readable text of the first part; `\n` line ends. */
  explanation: string;
  deliveryStatus: DeliveryStatus;
  /** The raw original message; its headers (or all of it) are returned in the third part. */
  original?: string | Uint8Array;
}
