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
 * @module
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
  PerMessageFields,
  PerRecipientFields,
  TypedAddress,
} from "./model.js";
export type { BounceTypeDefault, BounceTypeDefaults } from "./defaults.js";
export { BOUNCE_TYPE_DEFAULTS, defaultDiagnostic } from "./defaults.js";
export type { Issue, IssueCode, IssuePath, ValidationResult } from "./issues.js";
export { DsnValidationError, formatIssues, formatPath } from "./issues.js";
export { RFC3464_FIELD_NAMES, VALIDATION_LIMITS, validateBounceRequest } from "./validate.js";
export { validateBounce } from "./check-model.js";
export type { ResolveContext } from "./resolve.js";
export { defaultReportingMta, resolveBounce } from "./resolve.js";
export { defaultSubject, generateExplanation } from "./explain.js";
export type { BounceEnvelope, RenderOptions, RenderedDsn, ReturnOriginal } from "./render.js";
export { DEFAULT_MAX_ORIGINAL_SIZE, renderDsn, writeDeliveryStatus } from "./render.js";
export type { OriginalHeaderField, OriginalMessage } from "./original.js";
export { firstAddress, originalMessageId, originalSender, readOriginal, trimHeaders } from "./original.js";
export type { RenderBounceOptions } from "./compose.js";
export { renderBounce } from "./compose.js";
export { formatRfc5322Date, parseTimestamp } from "./syntax/dates.js";
export { diagnosticField, mtaField } from "./fields.js";
