/**
 * @module
 */
import fc from "fast-check";
import { DSN_ACTIONS } from "@dsnkit/core";
import type { Bounce, DeliveryStatus, DsnAction, DiagnosticCode, DsnExtensionField, MtaName, PerMessageFields, PerRecipientFields, TypedAddress } from "@dsnkit/core";
import { extensionName, extensionValue } from "./extension-field.js";
import type { Frequency } from "./frequency.js";
import { optional, readFrequency } from "./frequency.js";
import { alnum } from "./internal/chars.js";
import { diagnosticShape, diagnosticText, diagnosticType } from "./internal/fields.js";
import { compact, isAscii, trimWsp } from "./internal/text.js";
import { lines, words } from "./internal/words.js";
import { domainName, hostName, mailbox } from "./mailbox.js";
import { receivedMessage } from "./original-message.js";
import { statusFor, statusShape } from "./status-code.js";

/**
 * Constraints of {@link deliveryStatusModel} and {@link resolvedBounce}.
 *
 * @example
 * const c: DeliveryStatusConstraints = { maxRecipients: 3, unicode: false };
 */
export interface DeliveryStatusConstraints {
  /** Fewest recipient blocks (at least 1). Default 1. */
  minRecipients?: number;
  /** Most recipient blocks. Default the larger of 5 and `minRecipients`. */
  maxRecipients?: number;
  /** Allow non-ASCII: `utf-8` addresses (RFC 6533), U-label MTA names, non-ASCII text. Default `true`. */
  unicode?: boolean;
  /** How often blocks carry extension fields. Default `"sometimes"`. */
  extensionFields?: boolean | Frequency;
  /** The Actions recipients may have (e.g. `["failed"]` for a bounce). Default: all five. */
  actions?: readonly DsnAction[];
}

/**
 * Constraints of {@link resolvedBounce}.
 *
 * @example
 * const c: ResolvedBounceConstraints = { original: "always", unicode: false };
 */
export interface ResolvedBounceConstraints extends DeliveryStatusConstraints {
  /** How often the bounce carries the original message (from {@link originalMessage}). Default `"sometimes"`. */
  original?: boolean | Frequency;
}

function settings(name: string, c: DeliveryStatusConstraints) {
  const minRecipients = c.minRecipients ?? 1;
  const maxRecipients = c.maxRecipients ?? Math.max(5, minRecipients);
  if (!Number.isInteger(minRecipients) || minRecipients < 1) throw new RangeError(`${name}: minRecipients must be a whole number, 1 or more, not ${minRecipients}`);
  if (!Number.isInteger(maxRecipients) || maxRecipients < minRecipients)
    throw new RangeError(`${name}: maxRecipients must be a whole number no smaller than minRecipients (${minRecipients}), not ${maxRecipients}`);
  const unicode = c.unicode ?? true;
  if (typeof unicode !== "boolean") throw new TypeError(`${name}: unicode must be a boolean, not ${JSON.stringify(unicode)}`);
  const actions = c.actions ?? DSN_ACTIONS;
  if (actions.length === 0) throw new RangeError(`${name}: actions must name at least one Action`);
  for (const a of actions) if (!DSN_ACTIONS.includes(a)) throw new RangeError(`${name}: ${JSON.stringify(a)} is not one of ${DSN_ACTIONS.join(", ")}`);
  return { minRecipients, maxRecipients, unicode, actions, extensionFields: readFrequency(`${name}: extensionFields`, c.extensionFields, "sometimes") };
}

type Settings = ReturnType<typeof settings>;

/** A date of whole seconds (what a DSN can carry), mostly this century. */
const wholeSeconds: fc.Arbitrary<Date> = fc
  .oneof(
    { arbitrary: fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 }), weight: 8 },
    { arbitrary: fc.integer({ min: 0, max: 253402300799 }), weight: 1 },
  )
  .map((s) => new Date(s * 1000));

/** An address and its type: `rfc822` for ASCII, `utf-8` for non-ASCII (and now and then for ASCII, which RFC 6533 allows). */
function typedAddress(unicode: boolean): fc.Arbitrary<TypedAddress> {
  return fc.tuple(mailbox({ unicode }), fc.nat(9)).map(([address, n]) => ({
    type: !isAscii(address) || n === 9 ? "utf-8" : "rfc822",
    address,
  }));
}

function mtaName(unicode: boolean): fc.Arbitrary<MtaName> {
  return fc.oneof(
    { arbitrary: hostName(unicode).map((name) => ({ type: "dns", name })), weight: 8 },
    {
      arbitrary: words({ unicode, maxWords: 3, maxUnits: 100, maxWordOctets: 60 }).map((name) => ({ type: "x-local-hostname", name })),
      weight: 1,
    },
  );
}

function extensionFields(unicode: boolean): fc.Arbitrary<DsnExtensionField[]> {
  return fc.uniqueArray(
    fc.record({ name: extensionName.map((n) => (/^x-/i.test(n) ? n : `X-${n}`)), value: extensionValue(unicode).map(trimWsp) }),
    { minLength: 1, maxLength: 3, selector: (x) => x.name.toLowerCase() },
  );
}

/** An ENVID as it appears in the DSN: printable ASCII without white space (RFC 3461 xtext). */
const envelopeId = fc.string({ unit: fc.oneof({ arbitrary: alnum, weight: 8 }, fc.constantFrom(".", "-", "_", "@", "+2B", "+3D")), minLength: 1, maxLength: 60 });

function perMessage(s: Settings): fc.Arbitrary<PerMessageFields> {
  return fc
    .record({
      originalEnvelopeId: optional("sometimes", envelopeId),
      reportingMta: mtaName(s.unicode),
      dsnGateway: optional("sometimes", mtaName(false)),
      receivedFromMta: optional("sometimes", mtaName(s.unicode)),
      arrivalDate: optional("sometimes", wholeSeconds),
      extensionFields: optional(s.extensionFields, extensionFields(s.unicode)),
    })
    .map((p) => compact<PerMessageFields>({ ...p, extensionFields: p.extensionFields ?? [] }));
}

function perRecipient(s: Settings): fc.Arbitrary<PerRecipientFields> {
  return fc
    .record({
      originalRecipient: optional("sometimes", typedAddress(s.unicode)),
      finalRecipient: typedAddress(s.unicode),
      action: fc.constantFrom(...s.actions),
      shape: statusShape,
      remoteMta: optional("sometimes", mtaName(s.unicode)),
      diagnostic: optional("sometimes", diagnosticShape(s.unicode)),
      lastAttemptDate: optional("sometimes", wholeSeconds),
      finalLogId: optional("sometimes", words({ unicode: false, maxWords: 2, maxUnits: 60, maxWordOctets: 40 })),
      willRetryUntil: optional("sometimes", wholeSeconds),
      extensionFields: optional(s.extensionFields, extensionFields(s.unicode)),
    })
    .map((r) => {
      const status = statusFor(r.action, r.shape);
      const diagnosticCode: DiagnosticCode | undefined =
        r.diagnostic === undefined ? undefined : { type: diagnosticType(r.diagnostic), text: diagnosticText(r.diagnostic, status) };
      return compact<PerRecipientFields>({
        originalRecipient: r.originalRecipient,
        finalRecipient: r.finalRecipient,
        action: r.action,
        status,
        remoteMta: r.remoteMta,
        diagnosticCode,
        lastAttemptDate: r.lastAttemptDate,
        finalLogId: r.finalLogId,
        // Will-Retry-Until belongs to delayed recipients only (RFC 3464 §2.3.9).
        willRetryUntil: r.action === "delayed" ? r.willRetryUntil : undefined,
        extensionFields: r.extensionFields ?? [],
      });
    });
}

function deliveryStatusFrom(s: Settings): fc.Arbitrary<DeliveryStatus> {
  return fc.record({
    perMessage: perMessage(s),
    recipients: fc.uniqueArray(perRecipient(s), {
      minLength: s.minRecipients,
      maxLength: s.maxRecipients,
      selector: (r) => r.finalRecipient.address.toLowerCase(),
    }),
  });
}

/**
 * Generates the content of a `message/delivery-status` part as `@dsnkit/core`'s RFC 3464 model
 * ({@link DeliveryStatus}): every per-message field (Original-Envelope-Id, Reporting-MTA,
 * DSN-Gateway, Received-From-MTA, Arrival-Date, extensions) and per-recipient field
 * (Original-Recipient, Final-Recipient with `rfc822` or `utf-8` address types, Action with a
 * Status of a class it allows, Remote-MTA, Diagnostic-Code, Last-Attempt-Date, Final-Log-ID,
 * Will-Retry-Until for delayed recipients, extensions). Values are in the form a parser gives
 * back — dates in whole seconds, types lower-case, text trimmed — so `parse(render(x))` can be
 * compared with `x` as a whole. Final recipients differ (ignoring case).
 *
 * @param constraints - recipient count, unicode, extension fields.
 * @returns an arbitrary of delivery-status models that core's `validateBounce` accepts.
 * @throws {RangeError | TypeError} when a constraint is out of range.
 * @example
 * fc.assert(
 *   fc.property(deliveryStatusModel(), (ds) => writeDeliveryStatus(ds, true).includes("Reporting-MTA: ")),
 * );
 * fc.sample(deliveryStatusModel({ unicode: false, extensionFields: false }), { numRuns: 1, seed: 4 })[0].recipients[0];
 * //=> e.g. { finalRecipient: { type: "rfc822", address: "k@b.org" }, action: "failed", status: "5.1.1", extensionFields: [] }
 */
export function deliveryStatusModel(constraints: DeliveryStatusConstraints = {}): fc.Arbitrary<DeliveryStatus> {
  return deliveryStatusFrom(settings("deliveryStatusModel", constraints));
}

/** A Message-ID `<left@right>`: a dot-atom on the left (RFC 5322 §3.6.4), a domain name on the right. */
const messageId = fc
  .tuple(
    fc.array(fc.string({ unit: fc.oneof({ arbitrary: alnum, weight: 10 }, fc.constantFrom("-", "_", "$", "=")), minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 3 }).map((a) => a.join(".")),
    domainName(false),
  )
  .map(([left, right]) => `<${left}@${right.replace(/\.$/, "")}>`);

/**
 * Generates complete bounces as `@dsnkit/core`'s {@link Bounce} model — what `resolveBounce`
 * gives and what a mail system may build itself: From (an ASCII address, with or without a
 * display name), To (the original's sender, from its Return-Path or From when the original is
 * there), Subject (any Unicode), Date, Message-ID, In-Reply-To, an explanation of several lines
 * (LF line ends), the delivery status of {@link deliveryStatusModel}, and sometimes the original
 * message of {@link originalMessage}. Every value passes core's `validateBounce`, so `renderDsn`
 * renders it.
 *
 * @param constraints - recipient count, unicode, extension fields, how often the original is there.
 * @returns an arbitrary of bounces.
 * @throws {RangeError | TypeError} when a constraint is out of range.
 * @example
 * fc.assert(
 *   fc.property(resolvedBounce(), (bounce) => renderDsn(bounce).raw.includes("report-type=delivery-status")),
 * );
 * fc.sample(resolvedBounce({ original: false }), { numRuns: 1, seed: 2 })[0].from;
 * //=> e.g. { name: "Mail Delivery System", address: "mailer-daemon@mx.example.com" }
 */
export function resolvedBounce(constraints: ResolvedBounceConstraints = {}): fc.Arbitrary<Bounce> {
  const s = settings("resolvedBounce", constraints);
  const originalFrequency = readFrequency("resolvedBounce: original", constraints.original, "sometimes");
  return fc
    .record({
      fromAddress: mailbox({ unicode: false }),
      fromName: optional(
        "sometimes",
        fc.oneof(fc.constantFrom("Mail Delivery System", "MAILER-DAEMON", "Postmaster at example.com"), words({ unicode: s.unicode, maxWords: 4, maxUnits: 60, maxWordOctets: 20 })),
      ),
      to: mailbox({ unicode: s.unicode }),
      subject: fc.oneof(
        { arbitrary: fc.constantFrom("Delivery Status Notification (Failure)", "Undelivered Mail Returned to Sender", "Mail delivery failed: returning message to sender"), weight: 3 },
        { arbitrary: words({ unicode: s.unicode, maxWords: 20, maxUnits: 300, maxWordOctets: 60 }), weight: 2 },
      ),
      date: wholeSeconds,
      messageId,
      inReplyTo: optional("sometimes", messageId),
      explanation: lines({ unicode: s.unicode, maxLines: 10, maxUnits: 4000 }).map((t) => t.replace(/\r\n?/g, "\n")),
      deliveryStatus: deliveryStatusFrom(s),
      original: optional(originalFrequency, receivedMessage({ unicode: s.unicode })),
    })
    .map((b) => {
      // The bounce is written after the arrival and the attempts it reports.
      let date = b.date.getTime();
      const ds = b.deliveryStatus;
      for (const d of [ds.perMessage.arrivalDate, ...ds.recipients.map((r) => r.lastAttemptDate)])
        if (d !== undefined && d.getTime() > date) date = d.getTime();
      // With the original, the bounce goes to its envelope sender and answers its Message-ID.
      const to = b.original?.envelopeSender ?? b.to;
      const inReplyTo = b.original?.messageId ?? b.inReplyTo;
      return compact<Bounce>({
        from: b.fromName === undefined ? { address: b.fromAddress } : { name: b.fromName, address: b.fromAddress },
        to,
        subject: b.subject,
        date: new Date(date),
        messageId: b.messageId,
        inReplyTo,
        explanation: b.explanation,
        deliveryStatus: b.deliveryStatus,
        original: b.original?.raw,
      });
    });
}
