import { describe, expect, test } from "vitest";
import { formatIssues, formatPath, validateBounceRequest, VALIDATION_LIMITS } from "@dsnkit/core";
import type { SendBounceRequest } from "@dsnkit/core";

const valid: SendBounceRequest = {
  OriginalMessageId: "0100019abc",
  BounceSender: "mailer-daemon@example.com",
  BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }],
};
const issues = (input: unknown) => {
  const r = validateBounceRequest(input);
  return r.ok ? [] : r.issues;
};
const report = (input: unknown) => formatIssues(issues(input));

describe("validateBounceRequest", () => {
  test("a valid request is returned as it is", () => {
    const r = validateBounceRequest(valid);
    expect(r).toEqual({ ok: true, value: valid });
  });

  test("every problem at once, each with its path, code and message", () => {
    const input = {
      OriginalMessageId: 42,
      BounceSender: "postmaster",
      Explanation: "ok\nmulti-line is fine",
      MessageDsn: { ReportingMta: "dns;", ArrivalDate: "yesterday", ExtensionFields: [{ Name: "Status", Value: "x" }, { Name: "bad name", Value: "a\r\nInjected: 1" }] },
      BouncedRecipientInfoList: [
        { Recipient: "nobody@example.com", BounceType: "doesnotexist" },
        { Recipient: "rfc822; a@example.com" },
        { Recipient: "x@example.com", RecipientDsnFields: { Action: "delayed", Status: "5.1.1", DiagnosticCode: "smtp;", RemoteMta: "bad host", LastAttemptDate: -5 } },
        { Recipient: "y@example.com", RecipientDsnFields: { Action: "failed", Status: "5.01.1", FinalRecipient: "y@", Bogus: 1 } },
      ],
      BounceSenderArn: "not-an-arn",
    };
    expect(report(input)).toMatchInlineSnapshot(`
      "OriginalMessageId: OriginalMessageId must be a string, not a number [invalid_type]
      BounceSender: BounceSender "postmaster" is not a valid mailbox: it has no @ [invalid_mailbox]
      BounceSenderArn: BounceSenderArn "not-an-arn" is not an ARN (arn:aws:ses:REGION:ACCOUNT:identity/NAME) [invalid_arn]
      MessageDsn.ReportingMta: ReportingMta "dns;" is not "mta-name-type; mta-name" (like "dns; mx.example.com"): the MTA name is empty [invalid_mta_name]
      MessageDsn.ArrivalDate: ArrivalDate "yesterday" is not usable: it is not an ISO-8601 date (like 2026-11-26T10:00:00Z) or epoch seconds [invalid_date]
      MessageDsn.ExtensionFields[0].Name: Name "Status" would shadow the RFC 3464 field of that name; set it through its own parameter or choose another name [reserved_extension_name]
      MessageDsn.ExtensionFields[1].Name: Name "bad name" must be 1 to 50 characters of letters, digits and hyphens [invalid_extension_name]
      MessageDsn.ExtensionFields[1].Value: Value has the control character CR (U+000D) at character 1; it must be one line [control_character]
      BouncedRecipientInfoList[0].BounceType: BounceType "doesnotexist" is not one of DoesNotExist, MessageTooLarge, ExceededQuota, ContentRejected, Undefined, TemporaryFailure (did you mean DoesNotExist?) [invalid_enum]
      BouncedRecipientInfoList[1].Recipient: Recipient "rfc822; a@example.com" is not a valid mailbox: its local part has the character ";", which needs quoting (write the bare address: dsnkit adds the address type) [invalid_mailbox]
      BouncedRecipientInfoList[1]: each recipient needs a BounceType, RecipientDsnFields, or both [missing_bounce_type]
      BouncedRecipientInfoList[2].RecipientDsnFields.Status: Action delayed needs a 4.x.x status, not 5.1.1 (RFC 3464 §2.3.3) [action_status_mismatch]
      BouncedRecipientInfoList[2].RecipientDsnFields.RemoteMta: RemoteMta "bad host" is not "mta-name-type; mta-name" (like "dns; mx.example.com"): "bad host" is not a host name or IP address [invalid_mta_name]
      BouncedRecipientInfoList[2].RecipientDsnFields.DiagnosticCode: DiagnosticCode "smtp;" has no text after its type [invalid_diagnostic_code]
      BouncedRecipientInfoList[2].RecipientDsnFields.LastAttemptDate: LastAttemptDate -5 is not usable: it is outside the years 1970 to 9999 [invalid_date]
      BouncedRecipientInfoList[3].RecipientDsnFields.Bogus: unknown key "Bogus"; RecipientDsnFields has only FinalRecipient, Action, RemoteMta, Status, DiagnosticCode, LastAttemptDate, ExtensionFields [unknown_key]
      BouncedRecipientInfoList[3].RecipientDsnFields.FinalRecipient: FinalRecipient "y@" is not a valid mailbox: its domain is empty [invalid_mailbox]
      BouncedRecipientInfoList[3].RecipientDsnFields.Status: Status "5.01.1" is not an RFC 3463 status code: its subject "01" has a leading zero [invalid_status]"
    `);
  });

  test("required fields, wrong JSON types and typos", () => {
    expect(report({})).toMatchInlineSnapshot(`
      "OriginalMessageId: OriginalMessageId is required [required]
      BounceSender: BounceSender is required [required]
      BouncedRecipientInfoList: BouncedRecipientInfoList is required [required]"
    `);
    expect(issues(null).map((i) => i.code)).toEqual(["invalid_type"]);
    expect(issues([]).map((i) => i.message)).toEqual(["value must be an object, not an array"]);
    expect(report({ ...valid, BouncedRecipientInfoList: [] })).toBe(
      "BouncedRecipientInfoList: BouncedRecipientInfoList must have at least one recipient [too_small]",
    );
    expect(report({ ...valid, BouncedRecipientInfoList: "x" })).toBe(
      "BouncedRecipientInfoList: BouncedRecipientInfoList must be an array, not a string [invalid_type]",
    );
    expect(report({ ...valid, BouncedRecipientInfoList: [{ Recipient: "a@example.com", BounceType: "DoesNotExist" }, 7] })).toBe(
      "BouncedRecipientInfoList[1]: BouncedRecipientInfoList[1] must be an object, not a number [invalid_type]",
    );
    expect(report({ ...valid, BouncedRecipientInfoList: [{ Recipient: "a@example.com", RecipientDsnFields: { Action: "failed", Status: "5.0.0", ExtensionFields: ["x"] } }] })).toBe(
      "BouncedRecipientInfoList[0].RecipientDsnFields.ExtensionFields[0]: ExtensionFields[0] must be an object, not a string [invalid_type]",
    );
    expect(report({ ...valid, bounceSender: "x" })).toBe('bounceSender: unknown key "bounceSender": did you mean "BounceSender"? [unknown_key]');
    expect(report({ ...valid, BouncedRecipientInfoList: [{ Recipient: "a@example.com", RecipientDsnFields: {} }] })).toMatchInlineSnapshot(`
      "BouncedRecipientInfoList[0].RecipientDsnFields.Action: Action is required [required]
      BouncedRecipientInfoList[0].RecipientDsnFields.Status: Status is required [required]"
    `);
  });

  test("__proto__ and friends are refused, not followed", () => {
    const parsed = JSON.parse('{"OriginalMessageId":"a","BounceSender":"a@example.com","BouncedRecipientInfoList":[{"Recipient":"a@example.com","BounceType":"Undefined","__proto__":{"polluted":true}}],"constructor":{"prototype":{}}}');
    expect(report(parsed)).toMatchInlineSnapshot(`
      "constructor: the key "constructor" is not allowed [forbidden_key]
      BouncedRecipientInfoList[0].__proto__: the key "__proto__" is not allowed [forbidden_key]"
    `);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("CR, LF and NUL are refused in every one-line field, with the exact path", () => {
    const paths: [string, (s: string) => unknown][] = [
      ["OriginalMessageId", (s) => ({ ...valid, OriginalMessageId: s })],
      ["BounceSender", (s) => ({ ...valid, BounceSender: `a${s}@example.com` })],
      ["MessageDsn.ReportingMta", (s) => ({ ...valid, MessageDsn: { ReportingMta: `mx${s}.example.com` } })],
      ["BouncedRecipientInfoList[0].Recipient", (s) => ({ ...valid, BouncedRecipientInfoList: [{ Recipient: `a${s}@example.com`, BounceType: "Undefined" }] })],
      ["BouncedRecipientInfoList[0].RecipientDsnFields.DiagnosticCode", (s) => ({ ...valid, BouncedRecipientInfoList: [{ Recipient: "a@example.com", RecipientDsnFields: { Action: "failed", Status: "5.0.0", DiagnosticCode: `550 x${s}X-Evil: 1` } }] })],
    ];
    for (const ch of ["\r", "\n", "\0", "\r\n"]) {
      for (const [path, make] of paths) {
        const found = issues(make(ch));
        expect(found.map((i) => formatPath(i.path))).toEqual([path]);
        expect(found[0]!.code).toMatch(/control_character|invalid_mailbox/);
      }
    }
  });

  test("huge values get an issue, not a crash or a long scan", () => {
    const big = "x".repeat(5_000_000);
    expect(issues({ ...valid, OriginalMessageId: big }).map((i) => i.code)).toEqual(["too_big"]);
    expect(issues({ ...valid, Explanation: big }).map((i) => i.code)).toEqual(["too_big"]);
    const many = Array.from({ length: VALIDATION_LIMITS.maxRecipients + 1 }, () => ({ Recipient: "a@example.com", BounceType: "Undefined" }));
    expect(issues({ ...valid, BouncedRecipientInfoList: many }).map((i) => i.message)).toEqual([
      `BouncedRecipientInfoList has ${VALIDATION_LIMITS.maxRecipients + 1} recipients; the limit is ${VALIDATION_LIMITS.maxRecipients}`,
    ]);
  });

  test("a field that cannot be folded under 998 octets is refused", () => {
    const word = "w".repeat(998); // with the leading space of its line: 999 octets
    expect(issues({ ...valid, MessageDsn: { ReportingMta: "mx.example.com", ExtensionFields: [{ Name: "Note", Value: `a ${word}` }] } }).map((i) => [formatPath(i.path), i.code])).toEqual([
      ["MessageDsn.ExtensionFields[0].Value", "line_too_long"],
    ]);
    // The same length with spaces folds fine.
    expect(issues({ ...valid, MessageDsn: { ReportingMta: "mx.example.com", ExtensionFields: [{ Name: "Note", Value: "word ".repeat(400).trim() }] } })).toEqual([]);
    expect(issues({ ...valid, BouncedRecipientInfoList: [{ Recipient: "a@example.com", RecipientDsnFields: { Action: "failed", Status: "5.0.0", DiagnosticCode: `550 ${word}` } }] }).map((i) => i.code)).toEqual(["line_too_long"]);
  });

  test("SES extension field rules: Name 1-50 of [A-Za-z0-9-], Value at most 2048", () => {
    const ext = (Name: unknown, Value: unknown) => ({ ...valid, MessageDsn: { ReportingMta: "mx.example.com", ExtensionFields: [{ Name, Value }] } });
    expect(issues(ext("A".repeat(50), "v"))).toEqual([]);
    expect(issues(ext("A".repeat(51), "v")).map((i) => i.code)).toEqual(["invalid_extension_name"]);
    expect(issues(ext("", "v")).map((i) => i.code)).toEqual(["invalid_extension_name"]);
    expect(issues(ext("final-RECIPIENT", "v")).map((i) => i.code)).toEqual(["reserved_extension_name"]);
    expect(issues(ext("Note", "v ".repeat(1024).trim()))).toEqual([]);
    expect(issues(ext("Note", "v".repeat(2049))).map((i) => i.code)).toEqual(["too_big"]);
    expect(issues(ext("Note", "")).map((i) => i.code)).toEqual([]);
    expect(issues(ext(5, 6)).map((i) => i.code)).toEqual(["invalid_type", "invalid_type"]);
  });

  test("timestamps: Date, ISO-8601 and epoch seconds", () => {
    for (const ArrivalDate of [new Date(), "2026-11-26T10:00:00Z", 1795687200, "1795687200"])
      expect(issues({ ...valid, MessageDsn: { ReportingMta: "mx.example.com", ArrivalDate } })).toEqual([]);
    expect(issues({ ...valid, MessageDsn: { ReportingMta: "mx.example.com", ArrivalDate: { $date: 1 } } }).map((i) => i.code)).toEqual(["invalid_date"]);
  });

  test("BounceSender: a display name is allowed, a non-ASCII address is not", () => {
    expect(issues({ ...valid, BounceSender: '"Mail Delivery" <mailer-daemon@example.com>' })).toEqual([]);
    expect(issues({ ...valid, BounceSender: "Zoë <mailer-daemon@example.com>" })).toEqual([]);
    expect(report({ ...valid, BounceSender: "postmaster@bücher.example" })).toBe(
      'BounceSender: BounceSender "postmaster@bücher.example" must be ASCII (an SES identity); write an internationalized domain in its xn-- form [invalid_mailbox]',
    );
  });
});
