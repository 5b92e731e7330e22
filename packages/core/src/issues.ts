/**
 * Problems as data: what is wrong, where, and a message a person can act on.
 *
 * @module
 */

/**
 * The stable code of an {@link Issue}. Codes never change meaning; new ones may be added.
 *
 * | code | meaning |
 * |---|---|
 * | `invalid_type` | a value has the wrong JSON type |
 * | `required` | a required field is missing |
 * | `unknown_key` | a key that the SES shape does not have (often a typo) |
 * | `forbidden_key` | `__proto__`, `constructor` or `prototype` used as a key |
 * | `too_small` / `too_big` | an empty or over-long string or list |
 * | `invalid_enum` | not one of the allowed values (BounceType, Action) |
 * | `control_character` | CR, LF, NUL or another control character where none may be (VT, FF and NEL too: line breaks to some readers) |
 * | `line_separator` | U+2028 LINE SEPARATOR or U+2029 PARAGRAPH SEPARATOR: a line break to Unicode readers (`/^$/m`, `splitlines()`), refused in every field |
 * | `invalid_unicode` | a lone surrogate: text that is not valid Unicode |
 * | `invalid_mailbox` | not an RFC 5321 / RFC 6531 mailbox |
 * | `invalid_status` | not an RFC 3463 status code |
 * | `action_status_mismatch` | Action and Status class disagree (RFC 3464 §2.3.3) |
 * | `invalid_extension_name` | an extension field name SES rejects |
 * | `reserved_extension_name` | an extension field name that shadows an RFC 3464 field |
 * | `invalid_date` | not a date, an ISO-8601 string or epoch seconds, or out of range |
 * | `line_too_long` | a field that cannot be folded into lines of at most 998 octets |
 * | `invalid_mta_name` | not `mta-name-type; mta-name` |
 * | `invalid_diagnostic_code` | not `diagnostic-type; text` |
 * | `missing_bounce_type` | a recipient with neither BounceType nor RecipientDsnFields |
 * | `invalid_arn` | not an Amazon Resource Name |
 * | `invalid_message_id` | not an RFC 5322 msg-id (`<left@right>`) |
 * | `missing_original_sender` | nobody to send the bounce to |
 * | `null_sender` | the original has a null reverse-path: it is itself a notification |
 * | `invalid_option` | an option passed to a dsnkit function is out of range |
 *
 * @example
 * const code: IssueCode = "invalid_status";
 */
export type IssueCode =
  | "invalid_type"
  | "required"
  | "unknown_key"
  | "forbidden_key"
  | "too_small"
  | "too_big"
  | "invalid_enum"
  | "control_character"
  | "line_separator"
  | "invalid_unicode"
  | "invalid_mailbox"
  | "invalid_status"
  | "action_status_mismatch"
  | "invalid_extension_name"
  | "reserved_extension_name"
  | "invalid_date"
  | "line_too_long"
  | "invalid_mta_name"
  | "invalid_diagnostic_code"
  | "missing_bounce_type"
  | "invalid_arn"
  | "invalid_message_id"
  | "missing_original_sender"
  | "null_sender"
  | "invalid_option";

/**
 * A path into the input: object keys and array indexes, e.g.
 * `["BouncedRecipientInfoList", 2, "RecipientDsnFields", "Status"]`.
 *
 * @example
 * const path: IssuePath = ["BouncedRecipientInfoList", 0, "Recipient"];
 */
export type IssuePath = readonly (string | number)[];

/**
 * One problem with the input: a stable {@link IssueCode}, where it is, and what to do about it.
 *
 * @example
 * const issue: Issue = {
 *   code: "invalid_status",
 *   path: ["BouncedRecipientInfoList", 0, "RecipientDsnFields", "Status"],
 *   message: "Status \"5.01.1\" is not an RFC 3463 status code: numbers have no leading zeros",
 * };
 */
export interface Issue {
  code: IssueCode;
  path: IssuePath;
  message: string;
}

/**
 * The outcome of a validation: the value, typed, or every issue found.
 *
 * @example
 * const result: ValidationResult<number> = { ok: false, issues: [] };
 * if (result.ok) result.value.toFixed();
 */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Writes a path the way a JavaScript or JMESPath reader expects: keys joined by dots, indexes in
 * brackets. The empty path is `(root)`.
 *
 * @example
 * formatPath(["BouncedRecipientInfoList", 2, "RecipientDsnFields", "Status"]);
 * //=> "BouncedRecipientInfoList[2].RecipientDsnFields.Status"
 * formatPath(["MessageDsn", "odd key"]);
 * //=> 'MessageDsn["odd key"]'
 */
export function formatPath(path: IssuePath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (IDENTIFIER.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === "" ? "(root)" : out;
}

/**
 * Formats issues for a person: one line each, `path: message [code]`.
 *
 * @example
 * formatIssues([{ code: "required", path: ["BounceSender"], message: "BounceSender is required" }]);
 * //=> "BounceSender: BounceSender is required [required]"
 */
export function formatIssues(issues: readonly Issue[]): string {
  return issues.map((i) => `${formatPath(i.path)}: ${i.message} [${i.code}]`).join("\n");
}

/**
 * Thrown by the functions that need valid input ({@link resolveBounce}, {@link renderBounce},
 * {@link renderDsn}) when it is not: `issues` holds every problem found, not only the first.
 *
 * @example
 * try {
 *   resolveBounce({}, { originalSender: "a@example.com" });
 * } catch (e) {
 *   if (e instanceof DsnValidationError) console.log(formatIssues(e.issues));
 * }
 */
export class DsnValidationError extends Error {
  override readonly name = "DsnValidationError";
  readonly issues: Issue[];

  constructor(issues: Issue[]) {
    const n = issues.length;
    super(`${n} problem${n === 1 ? "" : "s"} found:\n${formatIssues(issues)}`);
    this.issues = issues;
  }
}
