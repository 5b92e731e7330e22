/**
 * The SES API for receipt rule sets (API 2010-12-01): CreateReceiptRuleSet, DeleteReceiptRuleSet,
 * DescribeReceiptRuleSet, ListReceiptRuleSets, SetActiveReceiptRuleSet,
 * DescribeActiveReceiptRuleSet, CreateReceiptRule (with `After`), UpdateReceiptRule,
 * DeleteReceiptRule and DescribeReceiptRule, with SES's validation, error codes and XML. The rules
 * are kept in the store; receipt.ts runs them on received mail.
 *
 * @module
 */
import { validateBounceRequest } from "@dsnkit/core";
import type { SendBounceRequest } from "@dsnkit/core";
import { DOMAIN, checkAddress, issuesError, nextTokenXml, pageOffset, rejectUnknown, requireParam } from "./api.js";
import type { ApiContext } from "./api.js";
import { SesError } from "./errors.js";
import { isLambdaArn } from "./lambda.js";
import { decodeQuery } from "./query.js";
import type { Shape } from "./query.js";
import type { ReceiptRuleSet } from "./store.js";
import { escapeXml } from "./xml.js";

/**
 * The actions a receipt rule can hold, each with its members in SES's order. ses-local runs
 * `S3Action`, `BounceAction`, `LambdaAction`, `StopAction` and `AddHeaderAction`; it keeps and
 * describes the others (SNS, WorkMail, Amazon Connect) but does not run them.
 *
 * @example
 * RECEIPT_ACTION_MEMBERS.BounceAction;
 * //=> ["TopicArn", "SmtpReplyCode", "StatusCode", "Message", "Sender"]
 */
export const RECEIPT_ACTION_MEMBERS = Object.freeze({
  S3Action: ["TopicArn", "BucketName", "ObjectKeyPrefix", "KmsKeyArn", "IamRoleArn"],
  BounceAction: ["TopicArn", "SmtpReplyCode", "StatusCode", "Message", "Sender"],
  WorkmailAction: ["TopicArn", "OrganizationArn"],
  LambdaAction: ["TopicArn", "FunctionArn", "InvocationType"],
  StopAction: ["Scope", "TopicArn"],
  AddHeaderAction: ["HeaderName", "HeaderValue"],
  SNSAction: ["TopicArn", "Encoding"],
  ConnectAction: ["InstanceARN", "IAMRoleARN"],
} as const);

/**
 * The name of a receipt action type.
 *
 * @example
 * const type: ReceiptActionType = "LambdaAction";
 */
export type ReceiptActionType = keyof typeof RECEIPT_ACTION_MEMBERS;

/** Required members of each action (SES's model). */
const REQUIRED: Readonly<Record<ReceiptActionType, readonly string[]>> = {
  S3Action: ["BucketName"],
  BounceAction: ["SmtpReplyCode", "Message", "Sender"],
  WorkmailAction: ["OrganizationArn"],
  LambdaAction: ["FunctionArn"],
  StopAction: ["Scope"],
  AddHeaderAction: ["HeaderName", "HeaderValue"],
  SNSAction: ["TopicArn"],
  ConnectAction: ["InstanceARN", "IAMRoleARN"],
};

/**
 * One action of a receipt rule: an object with exactly one key, the action's type, whose value
 * holds its members as SES names them (all text).
 *
 * @example
 * const action: ReceiptAction = { BounceAction: { SmtpReplyCode: "550", StatusCode: "5.1.1", Message: "Mailbox does not exist", Sender: "mailer-daemon@example.com" } };
 */
export type ReceiptAction = { [T in ReceiptActionType]: { [T2 in T]: Partial<Record<(typeof RECEIPT_ACTION_MEMBERS)[T][number], string>> } }[ReceiptActionType];

/**
 * A receipt rule, with SES's defaults filled in (`Enabled` and `ScanEnabled` false, `TlsPolicy`
 * `Optional`, a Lambda action's `InvocationType` `Event`).
 *
 * @example
 * const rule: ReceiptRule = {
 *   Name: "bounce-unknown",
 *   Enabled: true,
 *   TlsPolicy: "Optional",
 *   Recipients: ["example.com"],
 *   Actions: [{ BounceAction: { SmtpReplyCode: "550", StatusCode: "5.1.1", Message: "Mailbox does not exist", Sender: "mailer-daemon@example.com" } }],
 *   ScanEnabled: false,
 * };
 */
export interface ReceiptRule {
  Name: string;
  Enabled: boolean;
  TlsPolicy: "Require" | "Optional";
  /** Addresses (`user@example.com`), domains (`example.com`) and subdomains (`.example.com`); none matches every recipient. */
  Recipients: string[];
  Actions: ReceiptAction[];
  ScanEnabled: boolean;
}

/**
 * SES's quotas on receipt rules, which ses-local enforces with `LimitExceeded`.
 *
 * @example
 * RECEIPT_RULE_LIMITS.rulesPerSet;
 * //=> 200
 */
export const RECEIPT_RULE_LIMITS = Object.freeze({ ruleSets: 40, rulesPerSet: 200, recipientsPerRule: 100, ruleSetsPerPage: 100 });

const STRING: Shape = { kind: "string" };
const structure = (names: readonly string[]): Shape => ({ kind: "structure", members: Object.fromEntries(names.map((n) => [n, STRING])) });

const RULE_SHAPE: Shape = {
  kind: "structure",
  members: {
    Name: STRING,
    Enabled: STRING,
    TlsPolicy: STRING,
    Recipients: { kind: "list", member: STRING },
    Actions: {
      kind: "list",
      member: { kind: "structure", members: Object.fromEntries(Object.entries(RECEIPT_ACTION_MEMBERS).map(([type, members]) => [type, structure(members)])) },
    },
    ScanEnabled: STRING,
  },
};

/** CreateReceiptRule's and UpdateReceiptRule's input (UpdateReceiptRule has no `After`). */
const CREATE_RULE_SHAPE: Shape = { kind: "structure", members: { RuleSetName: STRING, After: STRING, Rule: RULE_SHAPE } };
const UPDATE_RULE_SHAPE: Shape = { kind: "structure", members: { RuleSetName: STRING, Rule: RULE_SHAPE } };

const RULE_SET_NAME = /^(?=.{1,64}$)[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/;
const RULE_NAME = /^(?=.{1,64}$)[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$/;
const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(?:-[a-z0-9]+)+-\d{1,2}:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;
const BUCKET = /^(?=.{3,63}$)[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/;
const HEADER_NAME = /^[A-Za-z0-9-]{1,50}$/;
const REPLY_CODE = /^[45]\d\d$/;
const STATUS_CODE = /^([45])\.(?:0|[1-9]\d{0,2})\.(?:0|[1-9]\d{0,2})$/;

function invalid(message: string): SesError {
  return new SesError("InvalidParameterValue", message);
}

function validationError(message: string): SesError {
  return new SesError("ValidationError", `1 validation error detected: ${message}`);
}

function ruleSetName(params: ReadonlyMap<string, string>, name = "RuleSetName"): string {
  const value = requireParam(params, name);
  if (!RULE_SET_NAME.test(value))
    throw invalid(`Invalid rule set name <${value}>: it must be 1 to 64 ASCII letters, digits, underscores (_) or dashes (-), starting and ending with a letter or digit. (${name})`);
  return value;
}

function ruleSetDoesNotExist(name: string): SesError {
  return new SesError("RuleSetDoesNotExist", `Rule set does not exist: ${name}`, { Name: name });
}

function ruleDoesNotExist(name: string): SesError {
  return new SesError("RuleDoesNotExist", `Rule does not exist: ${name}`, { Name: name });
}

function existingSet(ctx: ApiContext, name: string): ReceiptRuleSet {
  const set = ctx.store.getRuleSet(name);
  if (set === undefined) throw ruleSetDoesNotExist(name);
  return set;
}

function boolean(value: string | undefined, parameter: string): boolean {
  if (value === undefined) return false;
  if (value === "true" || value === "false") return value === "true";
  throw validationError(`Value '${value}' at '${parameter}' failed to satisfy constraint: Member must be true or false`);
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, parameter: string): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw validationError(`Value '${value}' at '${parameter}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(", ")}]`);
}

/** A recipient condition: an address, a domain, or `.domain` for its subdomains. */
function checkRecipient(value: string, parameter: string): string {
  if (value.includes("@")) {
    checkAddress(value, parameter);
    return value;
  }
  const domain = value.startsWith(".") ? value.slice(1) : value;
  if (!DOMAIN.test(domain))
    throw invalid(`Invalid recipient <${value}>: give an email address (user@example.com), a domain (example.com) or its subdomains (.example.com). (${parameter})`);
  return value;
}

/** An S3 key prefix ses-local can turn into folders under the bucket's: no `.` or `..` segment, no control characters. */
function prefixProblem(prefix: string): string | undefined {
  if (prefix.length > 1024) return "it is longer than 1024 characters";
  if (/[\u0000-\u001f\u007f\\]/.test(prefix)) return "it holds a control character or a backslash";
  if (prefix.startsWith("/")) return "it starts with a slash";
  if (prefix.split("/").some((s) => s === "." || s === "..")) return "it holds a . or .. segment";
  return undefined;
}

/**
 * Checks one action's members; `at` is its wire name (`Rule.Actions.member.2`).
 */
function checkAction(ctx: ApiContext, action: ReceiptAction, at: string): void {
  const [type, members] = Object.entries(action)[0] as [ReceiptActionType, Record<string, string | undefined>];
  const where = `${at}.${type}`;
  for (const m of REQUIRED[type]) if (members[m] === undefined) throw validationError(`Value null at '${where}.${m}' failed to satisfy constraint: Member must not be null`);
  const topic = members.TopicArn;
  if (topic !== undefined && !SNS_ARN.test(topic)) throw new SesError("InvalidSnsTopic", `Invalid SNS topic <${topic}>: it is not an SNS topic ARN. (${where}.TopicArn)`, { Topic: topic });
  switch (type) {
    case "BounceAction": {
      const reply = members.SmtpReplyCode!;
      const status = members.StatusCode;
      if (!REPLY_CODE.test(reply)) throw invalid(`Invalid SMTP reply code <${reply}>: a bounce's reply code is 4xx or 5xx (RFC 5321). (${where}.SmtpReplyCode)`);
      if (status !== undefined) {
        const m = STATUS_CODE.exec(status);
        if (!m) throw invalid(`Invalid SMTP status code <${status}>: it must be an RFC 3463 code of class 4 or 5, like 5.1.1. (${where}.StatusCode)`);
        if (m[1] !== reply[0]) throw invalid(`The status code ${status} and the reply code ${reply} disagree: both must be of class ${reply[0]}. (${where}.StatusCode)`);
      }
      checkAddress(members.Sender!, `${where}.Sender`);
      // The bounce must render: let core check the message text (control characters, length) now
      // rather than when mail arrives.
      const sample = validateBounceRequest(bounceRequest(action as Extract<ReceiptAction, { BounceAction: unknown }>, "0100", ["recipient@example.com"]));
      if (!sample.ok) {
        const text = sample.issues.filter((i) => i.path.includes("DiagnosticCode")).map((i) => i.message);
        if (text.length > 0) throw invalid(`The bounce message cannot be written: ${text.join("; ")}. (${where}.Message)`);
      }
      return;
    }
    case "LambdaAction": {
      const arn = members.FunctionArn!;
      if (!isLambdaArn(arn))
        throw new SesError("InvalidLambdaFunction", `Invalid Lambda function <${arn}>: it is not a Lambda function ARN like arn:aws:lambda:us-east-1:123456789012:function:name. (${where}.FunctionArn)`, { FunctionArn: arn });
      if (!(ctx.hasFunction?.(arn) ?? false))
        throw new SesError(
          "InvalidLambdaFunction",
          `Could not invoke Lambda function ${arn}: ses-local maps no local handler to it. Start ses-local with --lambda ${arn}=./handler.mjs (or an http:// URL), or the lambdas setting of its config file. (${where}.FunctionArn)`,
          { FunctionArn: arn },
        );
      oneOf(members.InvocationType, ["Event", "RequestResponse"], "Event", `${where}.InvocationType`);
      return;
    }
    case "S3Action": {
      const bucket = members.BucketName!;
      if (!BUCKET.test(bucket) || bucket.includes(".."))
        throw new SesError("InvalidS3Configuration", `Could not write to bucket ${bucket}: it is not an S3 bucket name (3 to 63 lower-case letters, digits, dots and dashes). (${where}.BucketName)`, { Bucket: bucket });
      const prefix = members.ObjectKeyPrefix;
      const problem = prefix === undefined ? undefined : prefixProblem(prefix);
      if (problem !== undefined) throw new SesError("InvalidS3Configuration", `Could not write to bucket ${bucket} with the key prefix <${prefix}>: ${problem}. (${where}.ObjectKeyPrefix)`, { Bucket: bucket });
      return;
    }
    case "StopAction":
      oneOf(members.Scope, ["RuleSet"], "RuleSet", `${where}.Scope`);
      return;
    case "AddHeaderAction": {
      const name = members.HeaderName!;
      const value = members.HeaderValue!;
      if (!HEADER_NAME.test(name)) throw invalid(`Invalid header name <${name}>: 1 to 50 letters, digits and dashes. (${where}.HeaderName)`);
      if (value.length > 2048 || /[\r\n]/.test(value)) throw invalid(`Invalid header value: at most 2048 characters and no CR or LF. (${where}.HeaderValue)`);
      return;
    }
    case "SNSAction":
      oneOf(members.Encoding, ["UTF-8", "Base64"], "UTF-8", `${where}.Encoding`);
      return;
    case "WorkmailAction":
    case "ConnectAction":
      return;
  }
}

/**
 * The SendBounce request a Bounce action stands for: the matched recipients, each `failed` with
 * the action's status (or `<class>.0.0`) and the Diagnostic-Code `smtp; <reply> <status> <message>`,
 * from the action's `Sender`.
 *
 * @example
 * bounceRequest({ BounceAction: { SmtpReplyCode: "550", StatusCode: "5.1.1", Message: "Mailbox does not exist", Sender: "mailer-daemon@example.com" } }, "0100…-000000", ["nobody@example.com"]).BouncedRecipientInfoList[0];
 * //=> { Recipient: "nobody@example.com", RecipientDsnFields: { Action: "failed", Status: "5.1.1", DiagnosticCode: "smtp; 550 5.1.1 Mailbox does not exist" } }
 */
export function bounceRequest(action: Extract<ReceiptAction, { BounceAction: unknown }>, messageId: string, recipients: readonly string[]): SendBounceRequest {
  const a = action.BounceAction;
  const reply = a.SmtpReplyCode ?? "550";
  const status = a.StatusCode ?? `${reply[0]}.0.0`;
  return {
    OriginalMessageId: messageId,
    BounceSender: a.Sender ?? "",
    BouncedRecipientInfoList: recipients.map((Recipient) => ({
      Recipient,
      RecipientDsnFields: { Action: "failed" as const, Status: status, DiagnosticCode: `smtp; ${reply} ${status} ${a.Message ?? ""}` },
    })),
  };
}

/**
 * Reads the `Rule` of CreateReceiptRule or UpdateReceiptRule: SES's defaults filled in, every
 * member checked.
 */
function readRule(ctx: ApiContext, value: unknown): ReceiptRule {
  const r = (value ?? {}) as Record<string, unknown>;
  if (r.Name === undefined) throw validationError("Value null at 'Rule.Name' failed to satisfy constraint: Member must not be null");
  const name = r.Name as string;
  if (!RULE_NAME.test(name))
    throw invalid(`Invalid rule name <${name}>: it must be 1 to 64 ASCII letters, digits, underscores (_), dashes (-) or periods (.), starting and ending with a letter or digit. (Rule.Name)`);
  const recipients = ((r.Recipients ?? []) as (string | undefined)[]).map((v, i) => checkRecipient(v ?? "", `Rule.Recipients.member.${i + 1}`));
  if (recipients.length > RECEIPT_RULE_LIMITS.recipientsPerRule)
    throw new SesError("LimitExceeded", `A receipt rule has at most ${RECEIPT_RULE_LIMITS.recipientsPerRule} recipients; this one has ${recipients.length}. (Rule.Recipients)`);
  const actions: ReceiptAction[] = ((r.Actions ?? []) as (Record<string, Record<string, string>> | undefined)[]).map((a, i) => {
    const at = `Rule.Actions.member.${i + 1}`;
    const types = Object.keys(a ?? {}) as ReceiptActionType[];
    if (types.length !== 1)
      throw invalid(
        types.length === 0
          ? `${at} holds no action: give one of ${Object.keys(RECEIPT_ACTION_MEMBERS).join(", ")}.`
          : `${at} holds ${types.join(" and ")}: an action holds exactly one of them; give each its own member of Rule.Actions.`,
      );
    const type = types[0]!;
    const members: Record<string, string> = { ...a![type] };
    if (type === "LambdaAction") members.InvocationType ??= "Event";
    const action = { [type]: members } as ReceiptAction;
    checkAction(ctx, action, at);
    return action;
  });
  return {
    Name: name,
    Enabled: boolean(r.Enabled as string | undefined, "Rule.Enabled"),
    TlsPolicy: oneOf(r.TlsPolicy as string | undefined, ["Require", "Optional"], "Optional", "Rule.TlsPolicy"),
    Recipients: recipients,
    Actions: actions,
    ScanEnabled: boolean(r.ScanEnabled as string | undefined, "Rule.ScanEnabled"),
  };
}

function decodeRuleRequest(ctx: ApiContext, params: ReadonlyMap<string, string>, shape: Shape): { setName: string; after?: string; rule: ReceiptRule } {
  const decoded = decodeQuery(params, shape);
  if (decoded.problems.length > 0) throw issuesError(decoded.problems);
  const v = decoded.value as { After?: string; Rule?: unknown };
  const setName = ruleSetName(params);
  if (v.Rule === undefined) throw validationError("Value null at 'Rule' failed to satisfy constraint: Member must not be null");
  // SES looks the set up before it reads the rule: a rule for a set that does not exist is refused as such.
  existingSet(ctx, setName);
  const rule = readRule(ctx, v.Rule);
  return v.After === undefined ? { setName, rule } : { setName, after: v.After, rule };
}

/**
 * A rule as SES's XML writes it, inside `<Rule>` or a `<member>` of `<Rules>`.
 *
 * @example
 * ruleXml({ Name: "stop", Enabled: true, TlsPolicy: "Optional", Recipients: [], Actions: [{ StopAction: { Scope: "RuleSet" } }], ScanEnabled: false });
 * //=> "<Name>stop</Name><Enabled>true</Enabled><TlsPolicy>Optional</TlsPolicy><Actions><member><StopAction><Scope>RuleSet</Scope></StopAction></member></Actions><ScanEnabled>false</ScanEnabled>"
 */
export function ruleXml(rule: ReceiptRule): string {
  const el = (name: string, value: string) => `<${name}>${escapeXml(value)}</${name}>`;
  let xml = el("Name", rule.Name) + el("Enabled", String(rule.Enabled)) + el("TlsPolicy", rule.TlsPolicy);
  if (rule.Recipients.length > 0) xml += `<Recipients>${rule.Recipients.map((r) => el("member", r)).join("")}</Recipients>`;
  if (rule.Actions.length > 0) {
    xml += "<Actions>";
    for (const action of rule.Actions) {
      const [type, members] = Object.entries(action)[0] as [ReceiptActionType, Record<string, string | undefined>];
      xml += `<member><${type}>`;
      for (const m of RECEIPT_ACTION_MEMBERS[type]) if (members[m] !== undefined) xml += el(m, members[m]);
      xml += `</${type}></member>`;
    }
    xml += "</Actions>";
  }
  return xml + el("ScanEnabled", String(rule.ScanEnabled));
}

function metadataXml(set: { name: string; created: Date }): string {
  return `<Name>${escapeXml(set.name)}</Name><CreatedTimestamp>${set.created.toISOString()}</CreatedTimestamp>`;
}

function setXml(set: ReceiptRuleSet): string {
  return `<Metadata>${metadataXml(set)}</Metadata><Rules>${set.rules.map((r) => `<member>${ruleXml(r)}</member>`).join("")}</Rules>`;
}

/**
 * CreateReceiptRuleSet: an empty rule set.
 *
 * @throws {SesError} `AlreadyExists` for a name in use; `LimitExceeded` past 40 sets;
 *   `InvalidParameterValue` for a name SES refuses.
 * @example
 * createReceiptRuleSet(ctx, new Map([["RuleSetName", "default"]]));
 * //=> ""
 */
export function createReceiptRuleSet(ctx: ApiContext, params: ReadonlyMap<string, string>): string {
  rejectUnknown(params, ["RuleSetName"]);
  const name = ruleSetName(params);
  if (ctx.store.getRuleSet(name) !== undefined) throw new SesError("AlreadyExists", `Rule set already exists: ${name}`, { Name: name });
  if (ctx.store.listRuleSets().length >= RECEIPT_RULE_LIMITS.ruleSets)
    throw new SesError("LimitExceeded", `An account has at most ${RECEIPT_RULE_LIMITS.ruleSets} receipt rule sets: delete one first.`);
  ctx.store.createRuleSet(name, ctx.clock());
  ctx.log(`receipt rules: created rule set ${name}`);
  return "";
}

/**
 * DeleteReceiptRuleSet: a rule set and its rules. Deleting a set that does not exist succeeds, as
 * SES's model gives the call no other error.
 *
 * @throws {SesError} `CannotDelete` for the active rule set.
 * @example
 * deleteReceiptRuleSet(ctx, new Map([["RuleSetName", "staging"]]));
 * //=> ""
 */
export function deleteReceiptRuleSet(ctx: ApiContext, params: ReadonlyMap<string, string>): string {
  rejectUnknown(params, ["RuleSetName"]);
  const name = ruleSetName(params);
  if (ctx.store.activeRuleSet() === name)
    throw new SesError("CannotDelete", `Cannot delete active rule set: ${name}. Make another set active (or none, with SetActiveReceiptRuleSet without RuleSetName) first.`, { Name: name });
  if (ctx.store.deleteRuleSet(name)) ctx.log(`receipt rules: deleted rule set ${name}`);
  return "";
}

/**
 * DescribeReceiptRuleSet: a set's metadata and its rules in order.
 *
 * @throws {SesError} `RuleSetDoesNotExist`.
 * @example
 * describeReceiptRuleSet(ctx, new Map([["RuleSetName", "default"]])).startsWith("<Metadata><Name>default</Name>");
 * //=> true
 */
export function describeReceiptRuleSet(ctx: ApiContext, params: ReadonlyMap<string, string>): string {
  rejectUnknown(params, ["RuleSetName"]);
  return setXml(existingSet(ctx, ruleSetName(params)));
}

/**
 * ListReceiptRuleSets: the sets' metadata in the order they were created, 100 at a time with a
 * `NextToken` for the rest.
 *
 * @throws {SesError} `InvalidParameterValue` for a `NextToken` ses-local did not give.
 * @example
 * listReceiptRuleSets(ctx, new Map());
 * //=> "<RuleSets><member><Name>default</Name><CreatedTimestamp>2026-11-26T10:00:00.000Z</CreatedTimestamp></member></RuleSets>"
 */
export function listReceiptRuleSets(ctx: ApiContext, params: ReadonlyMap<string, string>): string {
  rejectUnknown(params, ["NextToken"]);
  const offset = pageOffset(params);
  const all = ctx.store.listRuleSets();
  const page = all.slice(offset, offset + RECEIPT_RULE_LIMITS.ruleSetsPerPage);
  return `<RuleSets>${page.map((s) => `<member>${metadataXml(s)}</member>`).join("")}</RuleSets>${nextTokenXml(offset + RECEIPT_RULE_LIMITS.ruleSetsPerPage, all.length)}`;
}

/**
 * SetActiveReceiptRuleSet: makes a set the active one; without `RuleSetName`, none (SES then
 * receives no mail; ses-local goes back to accepting mail for its `domains` without rules).
 *
 * @throws {SesError} `RuleSetDoesNotExist`.
 * @example
 * setActiveReceiptRuleSet(ctx, new Map([["RuleSetName", "default"]]));
 * //=> ""
 */
export function setActiveReceiptRuleSet(ctx: ApiContext, params: ReadonlyMap<string, string>): string {
  rejectUnknown(params, ["RuleSetName"]);
  if (params.get("RuleSetName") === undefined || params.get("RuleSetName") === "") {
    ctx.store.setActiveRuleSet(undefined);
    ctx.log("receipt rules: no rule set is active");
    return "";
  }
  const name = existingSet(ctx, ruleSetName(params)).name;
  ctx.store.setActiveRuleSet(name);
  ctx.log(`receipt rules: rule set ${name} is active`);
  return "";
}

/**
 * DescribeActiveReceiptRuleSet: the active set's metadata and rules; an empty result when none is
 * active.
 *
 * @example
 * describeActiveReceiptRuleSet(ctx, new Map());
 * //=> ""
 */
export function describeActiveReceiptRuleSet(ctx: ApiContext, params: ReadonlyMap<string, string>): string {
  rejectUnknown(params, []);
  const name = ctx.store.activeRuleSet();
  const set = name === undefined ? undefined : ctx.store.getRuleSet(name);
  return set === undefined ? "" : setXml(set);
}

/**
 * CreateReceiptRule: adds a rule to a set, first when `After` is not given, else right after the
 * rule it names.
 *
 * @throws {SesError} `RuleSetDoesNotExist`; `AlreadyExists` for a rule name in use in the set;
 *   `RuleDoesNotExist` for an `After` that is not in the set; `LimitExceeded` past 200 rules;
 *   `InvalidLambdaFunction`, `InvalidS3Configuration`, `InvalidSnsTopic`, `InvalidParameterValue`
 *   or `ValidationError` for the rule.
 * @example
 * createReceiptRule(ctx, new Map([["RuleSetName", "default"], ["Rule.Name", "stop"], ["Rule.Enabled", "true"], ["Rule.Actions.member.1.StopAction.Scope", "RuleSet"]]));
 * //=> ""
 */
export function createReceiptRule(ctx: ApiContext, params: ReadonlyMap<string, string>): string {
  const { setName, after, rule } = decodeRuleRequest(ctx, params, CREATE_RULE_SHAPE);
  const rules = existingSet(ctx, setName).rules;
  if (rules.some((r) => r.Name === rule.Name)) throw new SesError("AlreadyExists", `Rule already exists: ${rule.Name}`, { Name: rule.Name });
  let at = 0;
  if (after !== undefined) {
    const i = rules.findIndex((r) => r.Name === after);
    if (i < 0) throw ruleDoesNotExist(after);
    at = i + 1;
  }
  if (rules.length >= RECEIPT_RULE_LIMITS.rulesPerSet)
    throw new SesError("LimitExceeded", `A receipt rule set has at most ${RECEIPT_RULE_LIMITS.rulesPerSet} rules: ${setName} has ${rules.length}.`);
  ctx.store.setRules(setName, [...rules.slice(0, at), rule, ...rules.slice(at)]);
  ctx.log(`receipt rules: created rule ${setName}/${rule.Name} (position ${at + 1} of ${rules.length + 1})`);
  return "";
}

/**
 * UpdateReceiptRule: replaces a rule, keeping its place in the set.
 *
 * @throws {SesError} `RuleSetDoesNotExist`; `RuleDoesNotExist`; the rule's own errors as for
 *   {@link createReceiptRule}.
 * @example
 * updateReceiptRule(ctx, new Map([["RuleSetName", "default"], ["Rule.Name", "stop"], ["Rule.Enabled", "false"]]));
 * //=> ""
 */
export function updateReceiptRule(ctx: ApiContext, params: ReadonlyMap<string, string>): string {
  const { setName, rule } = decodeRuleRequest(ctx, params, UPDATE_RULE_SHAPE);
  const rules = existingSet(ctx, setName).rules;
  const i = rules.findIndex((r) => r.Name === rule.Name);
  if (i < 0) throw ruleDoesNotExist(rule.Name);
  ctx.store.setRules(setName, rules.map((r, j) => (j === i ? rule : r)));
  ctx.log(`receipt rules: updated rule ${setName}/${rule.Name}`);
  return "";
}

/**
 * DeleteReceiptRule: removes a rule from a set. Deleting a rule that is not there succeeds, as
 * SES's model gives the call no `RuleDoesNotExist`.
 *
 * @throws {SesError} `RuleSetDoesNotExist`.
 * @example
 * deleteReceiptRule(ctx, new Map([["RuleSetName", "default"], ["RuleName", "stop"]]));
 * //=> ""
 */
export function deleteReceiptRule(ctx: ApiContext, params: ReadonlyMap<string, string>): string {
  rejectUnknown(params, ["RuleSetName", "RuleName"]);
  const setName = ruleSetName(params);
  const ruleName = requireParam(params, "RuleName");
  const rules = existingSet(ctx, setName).rules;
  const kept = rules.filter((r) => r.Name !== ruleName);
  if (kept.length < rules.length) {
    ctx.store.setRules(setName, kept);
    ctx.log(`receipt rules: deleted rule ${setName}/${ruleName}`);
  }
  return "";
}

/**
 * DescribeReceiptRule: one rule of a set.
 *
 * @throws {SesError} `RuleSetDoesNotExist`; `RuleDoesNotExist`.
 * @example
 * describeReceiptRule(ctx, new Map([["RuleSetName", "default"], ["RuleName", "stop"]])).startsWith("<Rule><Name>stop</Name>");
 * //=> true
 */
export function describeReceiptRule(ctx: ApiContext, params: ReadonlyMap<string, string>): string {
  rejectUnknown(params, ["RuleSetName", "RuleName"]);
  const setName = ruleSetName(params);
  const ruleName = requireParam(params, "RuleName");
  const rule = existingSet(ctx, setName).rules.find((r) => r.Name === ruleName);
  if (rule === undefined) throw ruleDoesNotExist(ruleName);
  return `<Rule>${ruleXml(rule)}</Rule>`;
}
