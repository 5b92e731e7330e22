/**
 * The event an SES receipt rule's Lambda action passes to its function, and what a
 * `RequestResponse` function returns, typed for handlers to import (from `@dsnkit/ses`, which
 * re-exports them, or from here). Types only: nothing here runs. The shapes are SES's own: a
 * `Records` array of one record whose `ses` holds the `mail` (the message's metadata and headers,
 * never its body) and the `receipt` (the recipients the rule matched, the verdicts, the action).
 * `dsnkit ses-local` sends events of exactly these types.
 *
 * @module
 */

/**
 * The outcome of one of SES's checks on a received message. `DISABLED`: the rule does not scan
 * (`ScanEnabled` false); `GRAY`: no verdict could be reached (no SPF record, no DKIM signature...).
 *
 * @example
 * const status: SesReceiptVerdictStatus = "PASS";
 */
export type SesReceiptVerdictStatus = "PASS" | "FAIL" | "GRAY" | "PROCESSING_FAILED" | "DISABLED";

/**
 * A verdict of SES's checks on a received message.
 *
 * @example
 * const verdict: SesReceiptVerdict = { status: "PASS" };
 */
export interface SesReceiptVerdict {
  status: SesReceiptVerdictStatus;
}

/**
 * One header field of the received message: its name as written and its value, unfolded.
 *
 * @example
 * const header: SesMailHeader = { name: "Subject", value: "Quarterly report" };
 */
export interface SesMailHeader {
  name: string;
  value: string;
}

/**
 * The message's common header fields, each present only when the message has it. Address fields
 * are lists of the addresses the field names, as written (`"Doe, John" <john@example.com>`).
 *
 * @example
 * const common: SesMailCommonHeaders = { returnPath: "sender@example.org", from: ["Alice <alice@example.org>"], to: ["bob@example.com"], subject: "Hello" };
 */
export interface SesMailCommonHeaders {
  /** The Return-Path, without its angle brackets. */
  returnPath?: string;
  from?: string[];
  sender?: string[];
  replyTo?: string[];
  to?: string[];
  cc?: string[];
  bcc?: string[];
  /** The Date field, as written. */
  date?: string;
  /** The Message-ID field (RFC 5322, not SES's id), as written. */
  messageId?: string;
  subject?: string;
}

/**
 * What SES knows of the received message: no body.
 *
 * @example
 * const mail: SesMail = {
 *   timestamp: "2026-11-26T10:00:00.000Z",
 *   source: "sender@example.org",
 *   messageId: "010001a2174c3500-1b4e28ba-2fa1-41d2-883f-0016d3cca427-000000",
 *   destination: ["nobody@example.com"],
 *   headersTruncated: false,
 *   headers: [{ name: "Subject", value: "Hello" }],
 *   commonHeaders: { subject: "Hello" },
 * };
 */
export interface SesMail {
  /** When SES received the message (ISO-8601). */
  timestamp: string;
  /** The envelope sender (MAIL FROM); empty for the null reverse-path `<>`. */
  source: string;
  /** SES's id for the message: SendBounce's `OriginalMessageId`, the S3 object key. */
  messageId: string;
  /** The message's envelope recipients. */
  destination: string[];
  /** True when the header fields were more than SES passes (10 KB) and `headers` stops short. */
  headersTruncated: boolean;
  /** The header fields, in order, the trace fields SES added first. */
  headers: SesMailHeader[];
  commonHeaders: SesMailCommonHeaders;
}

/**
 * A Lambda action as the event names it.
 *
 * @example
 * const action: SesReceiptLambdaAction = { type: "Lambda", functionArn: "arn:aws:lambda:us-east-1:123456789012:function:bouncer", invocationType: "RequestResponse" };
 */
export interface SesReceiptLambdaAction {
  type: "Lambda";
  functionArn: string;
  invocationType: "Event" | "RequestResponse";
  topicArn?: string;
}

/**
 * What SES did with the message for this rule: when, for whom, the verdicts, and the action that
 * produced the event.
 *
 * @example
 * const pass: SesReceiptVerdict = { status: "PASS" };
 * const receipt: SesReceipt = {
 *   timestamp: "2026-11-26T10:00:00.000Z",
 *   processingTimeMillis: 412,
 *   recipients: ["nobody@example.com"],
 *   spamVerdict: pass, virusVerdict: pass, spfVerdict: pass, dkimVerdict: pass, dmarcVerdict: pass,
 *   action: { type: "Lambda", functionArn: "arn:aws:lambda:us-east-1:123456789012:function:bouncer", invocationType: "Event" },
 * };
 */
export interface SesReceipt {
  /** When SES received the message (ISO-8601). */
  timestamp: string;
  /** Milliseconds from the message's arrival to the action. */
  processingTimeMillis: number;
  /** The envelope recipients this rule matched (a subset of `mail.destination`). */
  recipients: string[];
  spamVerdict: SesReceiptVerdict;
  virusVerdict: SesReceiptVerdict;
  spfVerdict: SesReceiptVerdict;
  dkimVerdict: SesReceiptVerdict;
  dmarcVerdict: SesReceiptVerdict;
  /** The sending domain's DMARC policy, present only when the message failed DMARC. */
  dmarcPolicy?: "none" | "quarantine" | "reject";
  action: SesReceiptLambdaAction;
}

/**
 * One record of the event.
 *
 * @example
 * const record: SesReceiptRecord = event.Records[0]!;
 * record.ses.mail.messageId;
 */
export interface SesReceiptRecord {
  eventSource: "aws:ses";
  /** `"1.0"`. */
  eventVersion: string;
  ses: { mail: SesMail; receipt: SesReceipt };
}

/**
 * The event a receipt rule's Lambda action passes to the function.
 *
 * @example
 * export async function handler(event: SesReceiptEvent): Promise<SesReceiptResult> {
 *   const { mail, receipt } = event.Records[0]!.ses;
 *   console.log(`${mail.messageId} from <${mail.source}> for ${receipt.recipients.join(", ")}`);
 *   return { disposition: "CONTINUE" };
 * }
 */
export interface SesReceiptEvent {
  Records: SesReceiptRecord[];
}

/**
 * What a `RequestResponse` function tells the rule set to do next: `STOP_RULE` skips the rest of
 * this rule's actions, `STOP_RULE_SET` skips them and every later rule, `CONTINUE` goes on. SES
 * treats a missing or unknown disposition as `CONTINUE`; with the `Event` invocation type the
 * result is not read.
 *
 * @example
 * const disposition: SesReceiptDisposition = "STOP_RULE";
 */
export type SesReceiptDisposition = "CONTINUE" | "STOP_RULE" | "STOP_RULE_SET";

/**
 * The result of a `RequestResponse` function.
 *
 * @example
 * const result: SesReceiptResult = { disposition: "STOP_RULE_SET" };
 */
export interface SesReceiptResult {
  disposition: SesReceiptDisposition;
}
