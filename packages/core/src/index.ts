/**
 * `@dsnkit/core`: pure, isomorphic functions that turn an Amazon SES SendBounce request into a
 * correct RFC 3464 Delivery Status Notification.
 *
 * ```ts
 * import { renderBounce } from "@dsnkit/core";
 *
 * const { raw, envelope } = renderBounce(
 *   {
 *     OriginalMessageId: "0100019abc",
 *     BounceSender: "mailer-daemon@example.com",
 *     BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }],
 *   },
 *   { originalSender: "sender@example.org" },
 * );
 * ```
 *
 * @module @dsnkit/core
 */
export type {
  BounceType,
  BouncedRecipientInfo,
  DsnAction,
  ExtensionField,
  MessageDsn,
  RecipientDsnFields,
  SendBounceRequest,
  Timestamp,
} from "./ses.js";
export { BOUNCE_TYPES, DSN_ACTIONS } from "./ses.js";
export type {
  Bounce,
  DeliveryStatus,
  DiagnosticCode,
  DsnExtensionField,
  Mailbox,
  MtaName,
  ParsedDeliveryStatus,
  ParsedRecipientFields,
  PerMessageFields,
  PerRecipientFields,
  TypedAddress,
  UnrecognizedFields,
} from "./model.js";
export type { BounceTypeDefault, BounceTypeDefaults } from "./defaults.js";
export { BOUNCE_TYPE_DEFAULTS, defaultDiagnostic } from "./defaults.js";
export type { Issue, IssueCode, IssuePath, ValidationResult } from "./issues.js";
export { DsnValidationError, formatIssues, formatPath } from "./issues.js";
export { VALIDATION_LIMITS, validateBounceRequest } from "./validate.js";
export { PER_MESSAGE_FIELD_NAMES, PER_RECIPIENT_FIELD_NAMES, RFC3464_FIELD_NAMES } from "./rfc3464.js";
export { validateBounce } from "./check-model.js";
export type { ResolveContext } from "./resolve.js";
export { defaultReportingMta, resolveBounce } from "./resolve.js";
export { defaultSubject, generateExplanation } from "./explain.js";
export type { BounceEnvelope, RenderOptions, RenderedDsn, ReturnOriginal } from "./render.js";
export type { RenderProfile, RenderProfileName } from "./profiles.js";
export { RENDER_PROFILES } from "./profiles.js";
export { DEFAULT_MAX_ORIGINAL_SIZE, renderDsn, writeDeliveryStatus } from "./render.js";
export type { OriginalHeaderField, OriginalMessage } from "./original.js";
export { firstAddress, originalMessageId, originalSender, readOriginal, trimHeaders } from "./original.js";
export type { RenderBounceOptions } from "./compose.js";
export { renderBounce } from "./compose.js";
export { formatRfc5322Date, parseTimestamp } from "./syntax/dates.js";
export { diagnosticField, mtaField } from "./fields.js";
export type { Rfc5322DateNote, Rfc5322DateNoteCode, Rfc5322DateResult } from "./syntax/rfc5322-date.js";
export { parseRfc5322Date, readRfc5322Date } from "./syntax/rfc5322-date.js";
export type {
  DeliveryStatusDetails,
  DsnFieldDetail,
  HeaderField,
  MessageSummary,
  ParsedDsn,
  ParseOptions,
  PerMessageDetails,
  RecipientDetails,
  ReturnedOriginal,
  SmtpReply,
  StatusParts,
  Tolerance,
  ToleranceCode,
} from "./parse/types.js";
export type { DsnParseErrorCode } from "./parse/errors.js";
export { DsnParseError } from "./parse/errors.js";
export type { ParseLimits } from "./parse/limits.js";
export { DEFAULT_PARSE_LIMITS } from "./parse/limits.js";
export { TOLERANCE_RULES } from "./parse/collector.js";
export { parseDsn } from "./parse/parse.js";
export { decodeEncodedWords } from "./parse/rfc2047.js";
export type { Rule, Severity } from "./check/rules.js";
export { RULES, ruleById } from "./check/rules.js";
export type { CheckOptions, Finding } from "./check/check.js";
export { checkDsn } from "./check/check.js";
export type {
  SesMail,
  SesMailCommonHeaders,
  SesMailHeader,
  SesReceipt,
  SesReceiptDisposition,
  SesReceiptEvent,
  SesReceiptLambdaAction,
  SesReceiptRecord,
  SesReceiptResult,
  SesReceiptVerdict,
  SesReceiptVerdictStatus,
} from "./receipt-event.js";
