/**
 * @module
 */
import fc from "fast-check";
import { VALIDATION_LIMITS } from "@dsnkit/core";
import type { BouncedRecipientInfo, ExtensionField, MessageDsn, RecipientDsnFields, SendBounceRequest } from "@dsnkit/core";
import { bounceType } from "./bounce-type.js";
import { dsnAction } from "./dsn-action.js";
import { extensionField } from "./extension-field.js";
import type { Frequency } from "./frequency.js";
import { optional, readFrequency } from "./frequency.js";
import { arn, bounceSender, diagnosticShape, mtaString, sesMessageId, writeDiagnostic } from "./internal/fields.js";
import { compact } from "./internal/text.js";
import { lines } from "./internal/words.js";
import { mailbox } from "./mailbox.js";
import { statusFor, statusShape } from "./status-code.js";
import { timestamp } from "./timestamp.js";

/**
 * Constraints of {@link sendBounceRequest}. Every value generated under any constraints is a
 * request `@dsnkit/core`'s `validateBounceRequest` accepts.
 *
 * @example
 * const c: SendBounceRequestConstraints = { maxRecipients: 20, unicode: false, explicitDsnFields: "never" };
 */
export interface SendBounceRequestConstraints {
  /** Fewest recipients (at least 1). Default 1. */
  minRecipients?: number;
  /** Most recipients (at most 10,000). Default the larger of 5 and `minRecipients`. */
  maxRecipients?: number;
  /**
   * Allow non-ASCII: UTF-8 recipient addresses (RFC 6531), IDN domains as U-labels, and
   * non-ASCII in the Explanation, display names, diagnostic codes and extension values.
   * BounceSender stays ASCII (an SES identity). Default `true`.
   */
  unicode?: boolean;
  /** How often blocks carry ExtensionFields. Default `"sometimes"`. */
  extensionFields?: boolean | Frequency;
  /**
   * How often a recipient carries explicit RecipientDsnFields: `"never"` gives every recipient a
   * BounceType only; `"always"` gives every recipient RecipientDsnFields (some with a
   * BounceType as well); `"sometimes"` (the default) mixes the three.
   */
  explicitDsnFields?: Frequency;
  /** How often the request has an Explanation. Default `"sometimes"`. */
  explanation?: boolean | Frequency;
  /** How often the request has a MessageDsn (Reporting-MTA, Arrival-Date, extensions). Default `"sometimes"`. */
  messageDsn?: boolean | Frequency;
}

/** Reads and checks the constraints, with defaults filled in. */
function readConstraints(c: SendBounceRequestConstraints) {
  const minRecipients = c.minRecipients ?? 1;
  const maxRecipients = c.maxRecipients ?? Math.max(5, minRecipients);
  const limit = VALIDATION_LIMITS.maxRecipients;
  if (!Number.isInteger(minRecipients) || minRecipients < 1 || minRecipients > limit)
    throw new RangeError(`sendBounceRequest: minRecipients must be a whole number from 1 to ${limit}, not ${minRecipients}`);
  if (!Number.isInteger(maxRecipients) || maxRecipients < minRecipients || maxRecipients > limit)
    throw new RangeError(`sendBounceRequest: maxRecipients must be a whole number from minRecipients (${minRecipients}) to ${limit}, not ${maxRecipients}`);
  const unicode = c.unicode ?? true;
  if (typeof unicode !== "boolean") throw new TypeError(`sendBounceRequest: unicode must be a boolean, not ${JSON.stringify(unicode)}`);
  const explicit = c.explicitDsnFields ?? "sometimes";
  if (explicit !== "never" && explicit !== "sometimes" && explicit !== "always")
    throw new TypeError(`sendBounceRequest: explicitDsnFields must be "never", "sometimes" or "always", not ${JSON.stringify(explicit)}`);
  return {
    minRecipients,
    maxRecipients,
    unicode,
    explicit,
    extensionFields: readFrequency("sendBounceRequest: extensionFields", c.extensionFields, "sometimes"),
    explanation: readFrequency("sendBounceRequest: explanation", c.explanation, "sometimes"),
    messageDsn: readFrequency("sendBounceRequest: messageDsn", c.messageDsn, "sometimes"),
  };
}

type Settings = ReturnType<typeof readConstraints>;

/** 1 to 4 extension fields whose written names (`X-<Name>`) differ, ignoring case. */
function extensionList(unicode: boolean): fc.Arbitrary<ExtensionField[]> {
  return fc.uniqueArray(extensionField({ unicode }), {
    minLength: 1,
    maxLength: 4,
    selector: (x) => (/^x-/i.test(x.Name) ? x.Name : `X-${x.Name}`).toLowerCase(),
  });
}

function recipientDsnFields(s: Settings): fc.Arbitrary<RecipientDsnFields> {
  return fc
    .record({
      action: dsnAction(),
      shape: statusShape,
      finalRecipient: optional("sometimes", mailbox({ unicode: s.unicode })),
      remoteMta: optional("sometimes", mtaString(s.unicode)),
      diagnostic: optional("sometimes", diagnosticShape(s.unicode)),
      lastAttemptDate: optional("sometimes", timestamp()),
      extensionFields: optional(s.extensionFields, extensionList(s.unicode)),
    })
    .map((r) => {
      const status = statusFor(r.action, r.shape);
      return compact<RecipientDsnFields>({
        FinalRecipient: r.finalRecipient,
        Action: r.action,
        RemoteMta: r.remoteMta,
        Status: status,
        DiagnosticCode: r.diagnostic === undefined ? undefined : writeDiagnostic(r.diagnostic, status),
        LastAttemptDate: r.lastAttemptDate,
        ExtensionFields: r.extensionFields,
      });
    });
}

type Mode = "type" | "fields" | "both";

function recipientInfo(s: Settings): fc.Arbitrary<BouncedRecipientInfo> {
  const modes: Mode[] = s.explicit === "never" ? ["type"] : s.explicit === "always" ? ["fields", "both"] : ["type", "fields", "both"];
  return fc
    .record({
      recipient: mailbox({ unicode: s.unicode }),
      recipientArn: optional("sometimes", arn),
      mode: fc.constantFrom(...modes),
      bounceType: bounceType(),
      fields: recipientDsnFields(s),
    })
    .map((r) =>
      compact<BouncedRecipientInfo>({
        Recipient: r.recipient,
        RecipientArn: r.recipientArn,
        BounceType: r.mode === "fields" ? undefined : r.bounceType,
        RecipientDsnFields: r.mode === "type" ? undefined : r.fields,
      }),
    );
}

function messageDsn(s: Settings): fc.Arbitrary<MessageDsn> {
  return fc
    .record({
      reportingMta: mtaString(s.unicode),
      arrivalDate: optional("sometimes", timestamp()),
      extensionFields: optional(s.extensionFields, extensionList(s.unicode)),
    })
    .map((m) => compact<MessageDsn>({ ReportingMta: m.reportingMta, ArrivalDate: m.arrivalDate, ExtensionFields: m.extensionFields }));
}

/** The explanation: several lines (line ends LF, CRLF or bare CR), sometimes empty (which means "generate one"). */
function explanationText(unicode: boolean): fc.Arbitrary<string> {
  return fc.oneof({ arbitrary: lines({ unicode, maxLines: 8, maxUnits: 6000 }), weight: 12 }, { arbitrary: fc.constant(""), weight: 1 });
}

/**
 * Generates Amazon SES SendBounce requests that are valid by construction: `@dsnkit/core`'s
 * `validateBounceRequest` accepts every one, so a generator that rejects or mangles one has a
 * bug. The values cover what real requests hold — recipients of every mailbox kind (see
 * {@link mailbox}), each with a BounceType, explicit RecipientDsnFields (Action with a Status of
 * the class it allows, FinalRecipient, RemoteMta, DiagnosticCode, LastAttemptDate, extension
 * fields), or both; a MessageDsn with Reporting-MTA in its written forms, Arrival-Date in every
 * timestamp form; an Explanation with LF, CRLF or bare CR line ends, long lines and lines that
 * look like boundaries; BounceSender with or without a display name; ARNs — and the limits
 * (64-octet local parts, 254-octet addresses, 50-character extension names, 2048-character
 * values, long words that still fold under 998 octets).
 *
 * Recipients' final addresses differ (ignoring case), so each one is reported once.
 *
 * @param constraints - recipient count, unicode, and how often optional parts appear.
 * @returns an arbitrary of requests; they shrink towards one recipient with a BounceType and no options.
 * @throws {RangeError | TypeError} when a constraint is out of range.
 * @example
 * fc.assert(
 *   fc.property(sendBounceRequest({ maxRecipients: 3 }), (request) => {
 *     const { raw } = renderBounce(request, { originalSender: "sender@example.org" });
 *     return raw.includes("\r\nContent-Type: message/");
 *   }),
 * );
 * fc.sample(sendBounceRequest({ explicitDsnFields: "never", explanation: false, messageDsn: false }), { numRuns: 1, seed: 1 });
 * //=> e.g. [{ OriginalMessageId: "0100019a...-000000", BounceSender: "a@b.com",
 * //          BouncedRecipientInfoList: [{ Recipient: "x@c.org", BounceType: "ExceededQuota" }] }]
 */
export function sendBounceRequest(constraints: SendBounceRequestConstraints = {}): fc.Arbitrary<SendBounceRequest> {
  const s = readConstraints(constraints);
  return fc
    .record({
      originalMessageId: sesMessageId,
      bounceSender: bounceSender(s.unicode),
      explanation: optional(s.explanation, explanationText(s.unicode)),
      messageDsn: optional(s.messageDsn, messageDsn(s)),
      recipients: fc.uniqueArray(recipientInfo(s), {
        minLength: s.minRecipients,
        maxLength: s.maxRecipients,
        selector: (r) => (r.RecipientDsnFields?.FinalRecipient ?? r.Recipient).toLowerCase(),
      }),
      bounceSenderArn: optional("sometimes", arn),
    })
    .map((r) =>
      compact<SendBounceRequest>({
        OriginalMessageId: r.originalMessageId,
        BounceSender: r.bounceSender,
        Explanation: r.explanation,
        MessageDsn: r.messageDsn,
        BouncedRecipientInfoList: r.recipients,
        BounceSenderArn: r.bounceSenderArn,
      }),
    );
}
