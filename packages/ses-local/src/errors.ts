/**
 * The errors the emulator answers with, as the SES query protocol writes them: a code, a type
 * (`Sender` for the caller's fault, `Receiver` for ours), an HTTP status and a message.
 *
 * @module
 */

/**
 * Every error code ses-local answers with. The codes are SES's own (SendBounce's
 * `MessageRejected`, the common `Throttling`, `ValidationError`, ...) and AWS's authentication
 * codes, so SDKs map them to the classes they map SES's answers to.
 *
 * | code | HTTP | when |
 * |---|---|---|
 * | `MissingAuthenticationToken` | 403 | no `Authorization` header |
 * | `IncompleteSignature` | 400 | the `Authorization` header or `X-Amz-Date` is malformed or incomplete |
 * | `InvalidClientTokenId` | 403 | the access key id is not one ses-local accepts |
 * | `SignatureDoesNotMatch` | 403 | wrong secret, altered request, bad credential scope, clock skew over 15 minutes |
 * | `MissingAction` | 400 | no `Action` parameter |
 * | `InvalidAction` | 400 | an action ses-local does not implement, or not the query protocol |
 * | `ValidationError` | 400 | a parameter is missing, of the wrong shape, or not one of the allowed values |
 * | `InvalidParameterValue` | 400 | a parameter has a value SES (or RFC 3464) rejects |
 * | `MessageRejected` | 400 | a SendBounce rule: unknown original, older than 24 hours, unverified BounceSender, recipient not in the original |
 * | `AlreadyExists` | 400 | a receipt rule set, or a rule in its set, of that name exists |
 * | `RuleSetDoesNotExist` | 400 | no receipt rule set of that name |
 * | `RuleDoesNotExist` | 400 | no rule of that name in the set (`After`, UpdateReceiptRule, DescribeReceiptRule) |
 * | `CannotDelete` | 400 | DeleteReceiptRuleSet of the active rule set |
 * | `InvalidLambdaFunction` | 400 | a Lambda action's function ARN is malformed or not mapped to a local handler |
 * | `InvalidS3Configuration` | 400 | an S3 action's bucket name or key prefix cannot be a local folder |
 * | `InvalidSnsTopic` | 400 | an action's `TopicArn` is not an SNS topic ARN |
 * | `LimitExceeded` | 400 | over SES's quotas: 40 rule sets, 200 rules in a set, 100 recipients or 10 actions in a rule |
 * | `Throttling` | 400 | over the account's SendBounce rate |
 * | `RequestEntityTooLarge` | 413 | the request body is over the size limit |
 * | `InternalFailure` | 500 | a fault of ses-local itself (the request was not acted on) |
 *
 * @example
 * const code: SesErrorCode = "MessageRejected";
 */
export type SesErrorCode =
  | "MissingAuthenticationToken"
  | "IncompleteSignature"
  | "InvalidClientTokenId"
  | "SignatureDoesNotMatch"
  | "MissingAction"
  | "InvalidAction"
  | "ValidationError"
  | "InvalidParameterValue"
  | "MessageRejected"
  | "AlreadyExists"
  | "RuleSetDoesNotExist"
  | "RuleDoesNotExist"
  | "CannotDelete"
  | "InvalidLambdaFunction"
  | "InvalidS3Configuration"
  | "InvalidSnsTopic"
  | "LimitExceeded"
  | "Throttling"
  | "RequestEntityTooLarge"
  | "InternalFailure";

const STATUS: Readonly<Record<SesErrorCode, number>> = {
  MissingAuthenticationToken: 403,
  IncompleteSignature: 400,
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  MissingAction: 400,
  InvalidAction: 400,
  ValidationError: 400,
  InvalidParameterValue: 400,
  MessageRejected: 400,
  AlreadyExists: 400,
  RuleSetDoesNotExist: 400,
  RuleDoesNotExist: 400,
  CannotDelete: 400,
  InvalidLambdaFunction: 400,
  InvalidS3Configuration: 400,
  InvalidSnsTopic: 400,
  LimitExceeded: 400,
  Throttling: 400,
  RequestEntityTooLarge: 413,
  InternalFailure: 500,
};

/**
 * An error answered to an SES API call: the XML `ErrorResponse` carries `type`, `code` and
 * `message`, and the members SES's model gives the error (`fields`, such as the `Name` of a rule
 * set that does not exist); the HTTP status is `status`.
 *
 * @example
 * const e = new SesError("MessageRejected", "Email address is not verified.");
 * e.status;
 * //=> 400
 * e.type;
 * //=> "Sender"
 */
export class SesError extends Error {
  override readonly name = "SesError";
  /** The HTTP status AWS uses for the code. */
  readonly status: number;
  /** `Sender` when the request is at fault, `Receiver` when the service is. */
  readonly type: "Sender" | "Receiver";

  constructor(
    readonly code: SesErrorCode,
    message: string,
    /** Members of the modeled error, written in `<Error>` after `<Message>` (e.g. `{ Name: "default" }`). */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.status = STATUS[code];
    this.type = this.status >= 500 ? "Receiver" : "Sender";
  }
}
