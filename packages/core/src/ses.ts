/**
 * The Amazon SES `SendBounce` request, exactly as the SES v1 API (2010-12-01) defines it.
 *
 * Field names and nesting match the SES API and the JSON that
 * `aws ses send-bounce --cli-input-json` takes, so a request can be moved between dsnkit, the AWS
 * CLI and the AWS SDK unchanged.
 *
 * @module
 */

/**
 * When something happened: a `Date`, an ISO-8601 string (`"2026-11-26T10:00:00Z"`; a string with
 * no zone is read as UTC) or epoch seconds (`1795687200`), the forms the AWS CLI accepts.
 *
 * @example
 * const a: Timestamp = new Date("2026-11-26T10:00:00Z");
 * const b: Timestamp = "2026-11-26T10:00:00Z";
 * const c: Timestamp = 1795687200;
 */
export type Timestamp = Date | string | number;

/**
 * The reason SES gives for a bounce when no explicit DSN fields are supplied.
 * {@link BOUNCE_TYPE_DEFAULTS} gives each one its Status, SMTP reply and text.
 *
 * @example
 * const type: BounceType = "DoesNotExist";
 */
export type BounceType =
  | "DoesNotExist"
  | "MessageTooLarge"
  | "ExceededQuota"
  | "ContentRejected"
  | "Undefined"
  | "TemporaryFailure";

/**
 * Every {@link BounceType}, in the order SES documents them.
 *
 * @example
 * BOUNCE_TYPES.includes("DoesNotExist");
 * //=> true
 */
export const BOUNCE_TYPES: readonly BounceType[] = Object.freeze([
  "DoesNotExist",
  "MessageTooLarge",
  "ExceededQuota",
  "ContentRejected",
  "Undefined",
  "TemporaryFailure",
]);

/**
 * The RFC 3464 §2.3.3 `Action` of a recipient: what the reporting MTA did with the message for
 * that recipient.
 *
 * @example
 * const action: DsnAction = "failed";
 */
export type DsnAction = "failed" | "delayed" | "delivered" | "relayed" | "expanded";

/**
 * Every {@link DsnAction}.
 *
 * @example
 * DSN_ACTIONS.length;
 * //=> 5
 */
export const DSN_ACTIONS: readonly DsnAction[] = Object.freeze([
  "failed",
  "delayed",
  "delivered",
  "relayed",
  "expanded",
]);

/**
 * An extra field in the delivery-status part (SES `ExtensionField`). `Name` is 1–50 characters of
 * `[A-Za-z0-9-]`; `Value` is at most 2048 characters with no CR or LF. dsnkit writes the field as
 * `X-<Name>` unless the name already starts with `X-`.
 *
 * @example
 * const field: ExtensionField = { Name: "Rule", Value: "unknown-user" };
 * // written as "X-Rule: unknown-user"
 */
export interface ExtensionField {
  Name: string;
  Value: string;
}

/**
 * Per-message DSN fields (SES `MessageDsn`).
 *
 * @example
 * const dsn: MessageDsn = {
 *   ReportingMta: "dns; mx.example.com",
 *   ArrivalDate: "2026-11-26T09:59:58Z",
 * };
 */
export interface MessageDsn {
  /** `mta-name-type; mta-name`, e.g. `dns; mx.example.com`; a bare host name gets `dns;`. */
  ReportingMta: string;
  /** When the original message arrived. */
  ArrivalDate?: Timestamp;
  /** Extra per-message fields, written after the RFC 3464 ones in this order. */
  ExtensionFields?: ExtensionField[];
}

/**
 * Per-recipient DSN fields (SES `RecipientDsnFields`). When a recipient also has a
 * {@link BounceType}, these explicit fields win and the bounce type fills what they leave out.
 *
 * @example
 * const fields: RecipientDsnFields = {
 *   Action: "failed",
 *   Status: "5.1.1",
 *   DiagnosticCode: "smtp; 550 5.1.1 No such user",
 * };
 */
export interface RecipientDsnFields {
  /** The address the report is about, without an `rfc822;` prefix. Defaults to `Recipient`. */
  FinalRecipient?: string;
  Action: DsnAction;
  /** `mta-name-type; mta-name` of the MTA that reported the failure; a bare host gets `dns;`. */
  RemoteMta?: string;
  /** An RFC 3463 status code such as `5.1.1`. */
  Status: string;
  /** `diagnostic-type; text`; a bare text gets `smtp;`. */
  DiagnosticCode?: string;
  LastAttemptDate?: Timestamp;
  ExtensionFields?: ExtensionField[];
}

/**
 * One bounced recipient (SES `BouncedRecipientInfo`): it needs a `BounceType`, explicit
 * `RecipientDsnFields`, or both.
 *
 * @example
 * const info: BouncedRecipientInfo = { Recipient: "nobody@example.com", BounceType: "DoesNotExist" };
 */
export interface BouncedRecipientInfo {
  Recipient: string;
  RecipientArn?: string;
  BounceType?: BounceType;
  RecipientDsnFields?: RecipientDsnFields;
}

/**
 * The whole SES `SendBounce` request.
 *
 * @example
 * const request: SendBounceRequest = {
 *   OriginalMessageId: "0100019abc-1111-2222-3333-444455556666-000000",
 *   BounceSender: "mailer-daemon@example.com",
 *   BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }],
 * };
 */
export interface SendBounceRequest {
  /** The SES message id of the received message being bounced (not its RFC 5322 Message-ID). */
  OriginalMessageId: string;
  /** The address the bounce comes from (its From); must be a verified SES identity. */
  BounceSender: string;
  /** Human-readable text for the first part; generated from the recipients when absent. */
  Explanation?: string;
  MessageDsn?: MessageDsn;
  /** At least one recipient. */
  BouncedRecipientInfoList: BouncedRecipientInfo[];
  BounceSenderArn?: string;
}
