/**
 * From a dsnkit request to what the AWS SDK sends, and the key that makes a bounce unique.
 *
 * @module
 */
import type { SendBounceCommandInput } from "@aws-sdk/client-ses";
import { diagnosticField, mtaField, parseTimestamp, validateBounceRequest } from "@dsnkit/core";
import type { ExtensionField, SendBounceRequest } from "@dsnkit/core";
import { BounceValidationError } from "./errors.js";

/**
 * Checks a request with `@dsnkit/core` and returns it typed, or throws every problem at once.
 *
 * @throws {BounceValidationError} with every issue, when the request is not valid.
 * @example
 * const request = assertValidRequest(JSON.parse(body));
 */
export function assertValidRequest(request: unknown): SendBounceRequest {
  const result = validateBounceRequest(request);
  if (!result.ok) throw new BounceValidationError(result.issues);
  return result.value;
}

function copyExtensions(fields: readonly ExtensionField[] | undefined): { Name: string; Value: string }[] | undefined {
  return fields === undefined ? undefined : fields.map((f) => ({ Name: f.Name, Value: f.Value }));
}

/**
 * Converts a dsnkit request into the AWS SDK's `SendBounceCommandInput`: timestamps (Date, ISO-8601
 * or epoch seconds) become `Date`s of whole seconds, and MTA names and diagnostic codes get the
 * explicit type dsnkit would write (`mx.example.com` becomes `dns; mx.example.com`, a bare
 * diagnostic `smtp; …`), so SES writes the same fields as {@link preview} shows. Everything else is
 * copied as given. The request is validated first.
 *
 * @throws {BounceValidationError} with every issue, when the request is not valid.
 * @example
 * const input = toSendBounceInput({
 *   OriginalMessageId: "0100019abc",
 *   BounceSender: "mailer-daemon@example.com",
 *   MessageDsn: { ReportingMta: "mx.example.com", ArrivalDate: "2026-11-26T09:59:58.250Z" },
 *   BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }],
 * });
 * input.MessageDsn;
 * //=> { ReportingMta: "dns; mx.example.com", ArrivalDate: new Date("2026-11-26T09:59:58Z") }
 */
export function toSendBounceInput(request: SendBounceRequest): SendBounceCommandInput {
  const valid = assertValidRequest(request);
  // Validation guarantees these read as an MTA name and a diagnostic code; core reads them.
  const typed = (v: { type: string; name: string } | { type: string; text: string } | string) => {
    if (typeof v === "string") throw new Error(`unreachable: validated value is not typed: ${v}`);
    return `${v.type}; ${"name" in v ? v.name : v.text}`;
  };
  const recipients = valid.BouncedRecipientInfoList.map((info) => {
    const out: NonNullable<SendBounceCommandInput["BouncedRecipientInfoList"]>[number] = { Recipient: info.Recipient };
    if (info.RecipientArn !== undefined) out.RecipientArn = info.RecipientArn;
    if (info.BounceType !== undefined) out.BounceType = info.BounceType;
    const f = info.RecipientDsnFields;
    if (f !== undefined) {
      const fields: NonNullable<typeof out.RecipientDsnFields> = { Action: f.Action, Status: f.Status };
      if (f.FinalRecipient !== undefined) fields.FinalRecipient = f.FinalRecipient;
      if (f.RemoteMta !== undefined) fields.RemoteMta = typed(mtaField(f.RemoteMta));
      if (f.DiagnosticCode !== undefined) fields.DiagnosticCode = typed(diagnosticField(f.DiagnosticCode));
      if (f.LastAttemptDate !== undefined) fields.LastAttemptDate = parseTimestamp(f.LastAttemptDate);
      const ext = copyExtensions(f.ExtensionFields);
      if (ext !== undefined) fields.ExtensionFields = ext;
      out.RecipientDsnFields = fields;
    }
    return out;
  });
  const input: SendBounceCommandInput = {
    OriginalMessageId: valid.OriginalMessageId,
    BounceSender: valid.BounceSender,
    BouncedRecipientInfoList: recipients,
  };
  if (valid.Explanation !== undefined) input.Explanation = valid.Explanation;
  const md = valid.MessageDsn;
  if (md !== undefined) {
    const dsn: NonNullable<SendBounceCommandInput["MessageDsn"]> = { ReportingMta: typed(mtaField(md.ReportingMta)) };
    if (md.ArrivalDate !== undefined) dsn.ArrivalDate = parseTimestamp(md.ArrivalDate);
    const ext = copyExtensions(md.ExtensionFields);
    if (ext !== undefined) dsn.ExtensionFields = ext;
    input.MessageDsn = dsn;
  }
  if (valid.BounceSenderArn !== undefined) input.BounceSenderArn = valid.BounceSenderArn;
  return input;
}

function normalizeAddress(address: string): string {
  const at = address.lastIndexOf("@");
  return at < 0 ? address : address.slice(0, at + 1) + address.slice(at + 1).toLowerCase();
}

/**
 * The identity of a bounce for "at most once": its OriginalMessageId and its recipients, sorted,
 * without duplicates, domains lower-cased. Two requests with the same key bounce the same
 * recipients of the same message, whatever their order or other fields.
 *
 * @example
 * bounceKey({
 *   OriginalMessageId: "0100019abc",
 *   BounceSender: "mailer-daemon@example.com",
 *   BouncedRecipientInfoList: [
 *     { Recipient: "b@Example.com", BounceType: "DoesNotExist" },
 *     { Recipient: "a@example.com", BounceType: "DoesNotExist" },
 *   ],
 * });
 * //=> '["0100019abc",["a@example.com","b@example.com"]]'
 */
export function bounceKey(request: Pick<SendBounceRequest, "OriginalMessageId" | "BouncedRecipientInfoList">): string {
  const recipients = [...new Set(request.BouncedRecipientInfoList.map((r) => normalizeAddress(r.Recipient)))].sort();
  return JSON.stringify([request.OriginalMessageId, recipients]);
}
