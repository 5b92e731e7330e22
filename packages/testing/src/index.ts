/**
 * `@dsnkit/testing`: fast-check arbitraries for SES SendBounce requests, RFC 3464 models,
 * mailboxes, status codes and hostile strings, and ready-made conformance properties that test
 * anyone's DSN generator against the RFCs.
 *
 * ```ts
 * import fc from "fast-check";
 * import { sendBounceRequest } from "@dsnkit/testing";
 * import { validateBounceRequest } from "@dsnkit/core";
 *
 * fc.assert(fc.property(sendBounceRequest(), (request) => validateBounceRequest(request).ok));
 * ```
 *
 * @module @dsnkit/testing
 */
export type { Frequency } from "./frequency.js";
export { bounceType } from "./bounce-type.js";
export { dsnAction } from "./dsn-action.js";
export type { StatusCodeConstraints } from "./status-code.js";
export { statusCode } from "./status-code.js";
export type { ExtensionFieldConstraints } from "./extension-field.js";
export { extensionField } from "./extension-field.js";
export type { MailboxConstraints, MailboxKind } from "./mailbox.js";
export { MAILBOX_KINDS, mailbox, mailboxKind } from "./mailbox.js";
export type { TimestampConstraints, TimestampForm } from "./timestamp.js";
export { TIMESTAMP_FORMS, timestamp, timestampForm } from "./timestamp.js";
export type { HostileKind, HostileStringConstraints } from "./hostile-string.js";
export { HOSTILE_KINDS, hostileString } from "./hostile-string.js";
export type { SendBounceRequestConstraints } from "./send-bounce-request.js";
export { sendBounceRequest } from "./send-bounce-request.js";
export type { OriginalMessageConstraints, ReceivedMessage } from "./original-message.js";
export { originalMessage, receivedMessage } from "./original-message.js";
export type { DeliveryStatusConstraints, ResolvedBounceConstraints } from "./resolved-bounce.js";
export { deliveryStatusModel, resolvedBounce } from "./resolved-bounce.js";
export type {
  AssertDsnConformanceOptions,
  ConformanceFinding,
  ConformanceSurvey,
  DsnCase,
  DsnConformanceOptions,
  DsnContext,
  DsnOutput,
  ModelDsnGenerator,
  RequestDsnGenerator,
  SurveyOptions,
} from "./conformance.js";
export {
  CONFORMANCE_RULES,
  DsnConformanceError,
  assertDsnConformance,
  checkConformance,
  dsnCase,
  dsnConformance,
  formatConformanceReport,
  surveyDsnConformance,
} from "./conformance.js";
export type {
  BodyKind,
  LocalForm,
  MaterializedScenario,
  NotifySpec,
  ProbeCapabilities,
  ProbeDomains,
  ProbeRecipient,
  ProbeScenario,
  ProbeScenarioConstraints,
  ReplySpec,
} from "./probe/scenario.js";
export { materializeScenario, probeScenario } from "./probe/scenario.js";
export { decodeXtext, encodeXtext } from "./probe/xtext.js";
export type { ReceivedMail, RemoteReplyEvent, ScenarioRun, TranscriptLine } from "./probe/run.js";
export type { ProbeFinding, ProbeProperty } from "./probe/properties.js";
export { PROBE_PROPERTIES, checkScenarioRun, exercisedProperties, expectedFailures, reportedFailures } from "./probe/properties.js";
export type { KnownFinding, ProbeRouting, ProbeTarget, TargetConfig } from "./probe/targets.js";
export { PROBE_TARGETS, fillRouting, renderTargetConfig } from "./probe/targets.js";
export type { Masker, ProbeExample, ProbeReport, ProbeReportFinding, ProbeReportProperty } from "./probe/report.js";
export { createMasker, dsnExcerpt, findingKey, formatProbeReport, runTranscript } from "./probe/report.js";
