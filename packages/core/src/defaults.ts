/**
 * SES-compatible defaults for each {@link BounceType}.
 *
 * @module
 */
import type { BounceType, DsnAction } from "./ses.js";

/**
 * What one {@link BounceType} means in a DSN.
 *
 * @example
 * const d: BounceTypeDefault = { status: "5.1.1", smtpReply: 550, text: "Mailbox does not exist", action: "failed" };
 */
export interface BounceTypeDefault {
  /** RFC 3463 status code. */
  status: string;
  /** The SMTP reply code written at the start of the Diagnostic-Code. */
  smtpReply: number;
  /** The reply text written after the status in the Diagnostic-Code. */
  text: string;
  action: DsnAction;
}

/**
 * A table of defaults, one per bounce type.
 *
 * @example
 * const table: BounceTypeDefaults = BOUNCE_TYPE_DEFAULTS;
 */
export type BounceTypeDefaults = Readonly<Record<BounceType, Readonly<BounceTypeDefault>>>;

/**
 * The defaults SES uses: AWS documents no table for SendBounce, so this one comes from SES's
 * receipt-rule bounce templates and real SES bounces. The Diagnostic-Code is written
 * `smtp; <smtpReply> <status> <text>`. TemporaryFailure stays `failed`: a one-shot bounce is not
 * a retrying MTA's `delayed`. Override entries with the `bounceTypeDefaults` option of
 * {@link resolveBounce}.
 *
 * @example
 * BOUNCE_TYPE_DEFAULTS.DoesNotExist;
 * //=> { status: "5.1.1", smtpReply: 550, text: "Mailbox does not exist", action: "failed" }
 * defaultDiagnostic(BOUNCE_TYPE_DEFAULTS.ExceededQuota);
 * //=> "552 5.2.2 Mailbox full"
 */
export const BOUNCE_TYPE_DEFAULTS: BounceTypeDefaults = Object.freeze({
  DoesNotExist: Object.freeze({ status: "5.1.1", smtpReply: 550, text: "Mailbox does not exist", action: "failed" }),
  MessageTooLarge: Object.freeze({ status: "5.3.4", smtpReply: 552, text: "Message too large", action: "failed" }),
  ExceededQuota: Object.freeze({ status: "5.2.2", smtpReply: 552, text: "Mailbox full", action: "failed" }),
  ContentRejected: Object.freeze({ status: "5.6.1", smtpReply: 500, text: "Message content rejected", action: "failed" }),
  Undefined: Object.freeze({ status: "5.0.0", smtpReply: 554, text: "Unknown failure", action: "failed" }),
  TemporaryFailure: Object.freeze({ status: "4.0.0", smtpReply: 450, text: "Temporary failure", action: "failed" }),
} satisfies Record<BounceType, BounceTypeDefault>);

/**
 * The Diagnostic-Code text (without its `smtp;` type) a bounce type's defaults give.
 *
 * @example
 * defaultDiagnostic(BOUNCE_TYPE_DEFAULTS.DoesNotExist);
 * //=> "550 5.1.1 Mailbox does not exist"
 */
export function defaultDiagnostic(d: BounceTypeDefault): string {
  return `${d.smtpReply} ${d.status} ${d.text}`;
}
