/**
 * Parity with the AWS CLI v2: for each argument list, `aws ses send-bounce … --endpoint-url URL`
 * and `dsnkit send-bounce … --endpoint-url URL` must send the same decoded request to one
 * capturing server on 127.0.0.1 and print the same response; where the AWS CLI refuses the
 * arguments, dsnkit refuses them too (exit 2, nothing sent) with a message that names the flag.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { AWS, canonical, checkTools, childEnv, DSNKIT, normalized, runProgram, startCaptureServer } from "./support.js";
import type { CaptureServer, RunResult } from "./support.js";

// Each case starts two programs (the AWS CLI's Python start-up alone takes seconds), and cases
// queue for a few process slots: allow for waiting.
const TIMEOUT = 300_000;

const BASE = ["--original-message-id", "0100019abc-parity", "--bounce-sender", "mailer-daemon@example.com"];
const ONE = ["--bounced-recipient-info-list", "Recipient=nobody@example.com,BounceType=DoesNotExist"];
const SPEC_REQUEST = {
  OriginalMessageId: "0100019abc-json",
  BounceSender: "json@example.com",
  Explanation: "From the input file.",
  MessageDsn: { ReportingMta: "dns; mx.json.example.com", ArrivalDate: "2026-11-26T08:00:00Z", ExtensionFields: [{ Name: "Rule", Value: "unknown-user" }] },
  BouncedRecipientInfoList: [
    { Recipient: "a@example.com", BounceType: "DoesNotExist" },
    { Recipient: "b@example.com", RecipientDsnFields: { Action: "failed", Status: "5.2.2", LastAttemptDate: 1795680000 } },
  ],
};
const YAML_INPUT = `OriginalMessageId: 0100019abc-yaml
BounceSender: yaml@example.com
MessageDsn:
  ReportingMta: dns; mx.yaml.example.com
  ArrivalDate: 2026-11-26 09:30:00
BouncedRecipientInfoList:
- Recipient: y1@example.com
  BounceType: ExceededQuota
- Recipient: y2@example.com
  RecipientDsnFields:
    Action: failed
    Status: 5.1.1
    RemoteMta: dns; mx.remote.example.net
    DiagnosticCode: smtp; 550 5.1.1 user unknown
    LastAttemptDate: '2026-11-26T09:31:00+01:00'
`;

interface SameCase {
  name: string;
  /** The arguments both programs get (before --endpoint-url). */
  args: string[];
  /** Different arguments for the AWS CLI, when dsnkit's are a syntax the AWS CLI v2.9 lacks. */
  awsArgs?: string[];
  /** Files written to the run's working directory. */
  files?: Record<string, string>;
  /** Extra environment; `profile` cases put credentials in files. */
  env?: Record<string, string>;
  /** Credentials come from the shared files, not the environment. */
  fromProfile?: boolean;
  /**
   * dsnkit's request differs from the AWS CLI's exactly by its documented canonical forms (see
   * {@link canonical}); every other case must be identical.
   */
  canonicalized?: boolean;
}

const SAME: SameCase[] = [
  { name: "shorthand, one recipient", args: [...BASE, ...ONE] },
  {
    name: "shorthand, several recipients, one shell word each",
    args: [...BASE, "--bounced-recipient-info-list", "Recipient=a@example.com,BounceType=DoesNotExist", "Recipient=b@example.com,BounceType=MessageTooLarge", "Recipient=c@example.com,BounceType=TemporaryFailure"],
  },
  {
    name: "shorthand, every RecipientDsnFields member",
    args: [
      ...BASE,
      "--bounced-recipient-info-list",
      "Recipient=a@example.com,RecipientDsnFields={FinalRecipient=final@example.com,Action=failed,RemoteMta=dns; mx.remote.example.net,Status=5.1.1,DiagnosticCode=smtp; 550 5.1.1 No such user,LastAttemptDate=2026-11-26T09:00:00Z}",
    ],
  },
  {
    name: "shorthand, BounceType and explicit fields together",
    args: [...BASE, "--bounced-recipient-info-list", "Recipient=a@example.com,BounceType=ContentRejected,RecipientDsnFields={Action=failed,Status=5.7.1}"],
  },
  {
    name: "message extension fields as an explicit list",
    args: [...BASE, ...ONE, "--message-dsn", "ReportingMta=dns; mx.example.com,ExtensionFields=[{Name=Rule,Value=unknown-user},{Name=Ticket,Value=T-1}]"],
  },
  {
    name: "one extension field without brackets becomes a list",
    args: [...BASE, ...ONE, "--message-dsn", "ReportingMta=dns; mx.example.com,ExtensionFields={Name=Rule,Value=catch-all}"],
  },
  {
    name: "recipient extension fields",
    args: [...BASE, "--bounced-recipient-info-list", "Recipient=a@example.com,RecipientDsnFields={Action=failed,Status=5.1.1,ExtensionFields=[{Name=Policy,Value=p1},{Name=Zone,Value=eu}]}"],
  },
  { name: "empty extension field lists", args: [...BASE, "--bounced-recipient-info-list", "Recipient=a@example.com,RecipientDsnFields={Action=failed,Status=5.1.1,ExtensionFields=[]}", "--message-dsn", "ReportingMta=dns; mx.example.com,ExtensionFields=[]"] },
  { name: "--message-dsn as JSON", args: [...BASE, ...ONE, "--message-dsn", '{"ReportingMta": "dns; mx.example.com", "ArrivalDate": "2026-11-26T09:59:58Z", "ExtensionFields": [{"Name": "A", "Value": "b"}]}'] },
  {
    name: "the list as one JSON array",
    args: [...BASE, "--bounced-recipient-info-list", '[{"Recipient": "a@example.com", "BounceType": "DoesNotExist"}, {"Recipient": "b@example.com", "RecipientDsnFields": {"Action": "failed", "Status": "5.2.2"}}]'],
  },
  {
    name: "the list as JSON objects, one per word",
    args: [...BASE, "--bounced-recipient-info-list", '{"Recipient": "a@example.com", "BounceType": "Undefined"}', '  {"Recipient": "b@example.com", "BounceType": "DoesNotExist"}'],
  },
  {
    name: "file:// for --explanation (several lines, CRLF read as LF)",
    args: [...BASE, ...ONE, "--explanation", "file://explanation.txt"],
    files: { "explanation.txt": "The mailbox was removed.\r\nContact postmaster@example.com.\n" },
  },
  { name: "file:// for --message-dsn holding shorthand", args: [...BASE, ...ONE, "--message-dsn", "file://dsn.txt"], files: { "dsn.txt": "ReportingMta=dns; mx.file.example.com,ArrivalDate=2026-11-26" } },
  {
    name: "file:// for the list holding a JSON array",
    args: [...BASE, "--bounced-recipient-info-list", "file://recipients.json"],
    files: { "recipients.json": '[{"Recipient": "f1@example.com", "BounceType": "DoesNotExist"}, {"Recipient": "f2@example.com", "BounceType": "ExceededQuota"}]\n' },
  },
  { name: "file:// for --original-message-id", args: ["--original-message-id", "file://id.txt", "--bounce-sender", "mailer-daemon@example.com", ...ONE], files: { "id.txt": "0100019abc-from-file" } },
  { name: "--cli-input-json inline", args: ["--cli-input-json", JSON.stringify(SPEC_REQUEST)] },
  {
    name: "--cli-input-json file:// with flags overriding top-level keys",
    args: ["--cli-input-json", "file://input.json", "--bounce-sender", "override@example.com", "--message-dsn", "ReportingMta=dns; mx.override.example.com"],
    files: { "input.json": JSON.stringify(SPEC_REQUEST, null, 2) },
  },
  { name: "--cli-input-yaml file://", args: ["--cli-input-yaml", "file://input.yaml"], files: { "input.yaml": YAML_INPUT } },
  {
    name: "--cli-input-yaml with the list overridden by the flag",
    args: ["--cli-input-yaml", "file://input.yaml", "--bounced-recipient-info-list", "Recipient=flag@example.com,BounceType=Undefined"],
    files: { "input.yaml": YAML_INPUT },
  },
  { name: "--cli-input-yaml inline", args: ["--cli-input-yaml", YAML_INPUT, "--explanation", "flag wins"] },
  { name: "timestamp: ISO-8601 UTC", args: [...BASE, ...ONE, "--message-dsn", "ReportingMta=dns; mx.example.com,ArrivalDate=2026-11-26T09:59:58Z"] },
  { name: "timestamp: ISO-8601 with an offset", args: [...BASE, ...ONE, "--message-dsn", "ReportingMta=dns; mx.example.com,ArrivalDate=2026-11-26T11:59:58+02:00"] },
  { name: "timestamp: ISO-8601 with no zone is UTC", args: [...BASE, ...ONE, "--message-dsn", "ReportingMta=dns; mx.example.com,ArrivalDate=2026-11-26T09:59:58"] },
  { name: "timestamp: a date", args: [...BASE, ...ONE, "--message-dsn", "ReportingMta=dns; mx.example.com,ArrivalDate=2026-11-26"] },
  { name: "timestamp: epoch seconds", args: [...BASE, ...ONE, "--message-dsn", "ReportingMta=dns; mx.example.com,ArrivalDate=1795687198"] },
  {
    name: "timestamp: epoch seconds with a fraction (sent in whole seconds)",
    args: [...BASE, ...ONE, "--message-dsn", "ReportingMta=dns; mx.example.com,ArrivalDate=1795687198.75"],
    canonicalized: true,
  },
  { name: "timestamp: epoch seconds as a JSON number", args: [...BASE, ...ONE, "--message-dsn", '{"ReportingMta": "dns; mx.example.com", "ArrivalDate": 1795687198}'] },
  { name: "timestamp: an RFC 822 date, quoted", args: [...BASE, ...ONE, "--message-dsn", 'ReportingMta=dns; mx.example.com,ArrivalDate="Thu, 26 Nov 2026 09:59:58 GMT"'] },
  { name: "quoted values keep commas", args: [...BASE, ...ONE, "--message-dsn", `ReportingMta=dns; mx.example.com,ExtensionFields=[{Name=Note,Value="a, b and c"},{Name=Other,Value='it\\'s, here'}]`] },
  { name: "backslash-comma in an unquoted value", args: [...BASE, ...ONE, "--message-dsn", "ReportingMta=dns; mx.example.com,ExtensionFields=[{Name=Note,Value=one\\, two}]"] },
  { name: "spaces around = and , and trailing spaces", args: [...BASE, "--bounced-recipient-info-list", "Recipient = a@example.com , BounceType = DoesNotExist  ", "--message-dsn", "ReportingMta =  dns; mx.example.com  "] },
  { name: "non-ASCII explanation", args: [...BASE, ...ONE, "--explanation", "Le destinataire n'existe plus — Ünïcödé ✓"] },
  {
    name: "ARNs",
    args: [
      ...BASE,
      "--bounce-sender-arn",
      "arn:aws:ses:us-east-1:123456789012:identity/example.com",
      "--bounced-recipient-info-list",
      "Recipient=a@example.com,RecipientArn=arn:aws:ses:us-east-1:123456789012:identity/example.com,BounceType=DoesNotExist",
    ],
  },
  { name: "a value that starts with - in the = form", args: [...BASE, ...ONE, "--explanation=-- removed --"] },
  { name: "a repeated flag keeps its last value", args: [...BASE, "--bounce-sender", "second@example.com", ...ONE, "--explanation", "first", "--explanation", "second"] },
  { name: "--region signs for that region", args: [...BASE, ...ONE, "--region", "eu-west-1"] },
  {
    name: "--profile: credentials and region from the shared files",
    args: [...BASE, ...ONE, "--profile", "bounces"],
    fromProfile: true,
    files: { config: "[profile bounces]\nregion = ap-southeast-2\n" },
  },
  { name: "--output text", args: [...BASE, ...ONE, "--output", "text"] },
  {
    name: "bare MTA names and diagnostic codes are sent with their type",
    args: [
      ...BASE,
      "--bounced-recipient-info-list",
      "Recipient=a@example.com,RecipientDsnFields={Action=failed,Status=5.1.1,RemoteMta=mx.remote.example.net,DiagnosticCode=550 5.1.1 No such user}",
      "--message-dsn",
      "ReportingMta=mx.example.com",
    ],
    canonicalized: true,
  },
  {
    name: "Key@=file:// (dsnkit) sends what the inline value sends (AWS CLI 2.9 lacks @=)",
    args: [...BASE, ...ONE, "--message-dsn", "ReportingMta=dns; mx.example.com,ExtensionFields=[{Name=Note,Value@=file://note.txt}]"],
    awsArgs: [...BASE, ...ONE, "--message-dsn", "ReportingMta=dns; mx.example.com,ExtensionFields=[{Name=Note,Value='from a file, with a comma'}]"],
    files: { "note.txt": "from a file, with a comma" },
  },
];

interface RefusedCase {
  name: string;
  args: string[];
  files?: Record<string, string>;
  /** What dsnkit's message must name: the flag (and path) at fault. */
  names: string;
}

const REFUSED: RefusedCase[] = [
  { name: "a repeated key in one item", args: [...BASE, "--bounced-recipient-info-list", "Recipient=a@example.com,Recipient=b@example.com"], names: "--bounced-recipient-info-list[0]" },
  { name: "an unknown key in shorthand", args: [...BASE, "--bounced-recipient-info-list", "Recipient=a@example.com,BounceType=DoesNotExist,Colour=red"], names: "--bounced-recipient-info-list[0].Colour" },
  { name: "a list where a string belongs", args: [...BASE, "--bounced-recipient-info-list", "Recipient=a@example.com,b@example.com,BounceType=DoesNotExist"], names: "--bounced-recipient-info-list[0].Recipient" },
  { name: "strings where structures belong", args: [...BASE, ...ONE, "--message-dsn", "ReportingMta=mx.example.com,ExtensionFields=a,b"], names: "--message-dsn.ExtensionFields[0]" },
  { name: "a list where an extension value belongs", args: [...BASE, ...ONE, "--message-dsn", "ReportingMta=mx.example.com,ExtensionFields=[{Name=a,Value=[x,y]}]"], names: "--message-dsn.ExtensionFields[0].Value" },
  { name: "a timestamp that is not one", args: [...BASE, ...ONE, "--message-dsn", "ReportingMta=mx.example.com,ArrivalDate=whenever"], names: "--message-dsn.ArrivalDate" },
  { name: "JSON and shorthand items mixed", args: [...BASE, "--bounced-recipient-info-list", '{"Recipient":"a@example.com","BounceType":"DoesNotExist"}', "Recipient=b@example.com,BounceType=DoesNotExist"], names: "--bounced-recipient-info-list[1]" },
  { name: "shorthand then JSON", args: [...BASE, "--bounced-recipient-info-list", "Recipient=b@example.com,BounceType=DoesNotExist", '{"Recipient":"a@example.com","BounceType":"DoesNotExist"}'], names: "--bounced-recipient-info-list[1]" },
  { name: "invalid JSON", args: [...BASE, ...ONE, "--message-dsn", '{"ReportingMta": mx.example.com}'], names: "--message-dsn" },
  { name: "shorthand that is not", args: [...BASE, ...ONE, "--message-dsn", "mx.example.com"], names: "--message-dsn" },
  { name: "an unclosed list", args: [...BASE, ...ONE, "--message-dsn", "ReportingMta=mx.example.com,ExtensionFields=[{Name=a,Value=b}"], names: "--message-dsn" },
  { name: "both input flags", args: ["--cli-input-json", "{}", "--cli-input-yaml", "{}"], names: "--cli-input-json and --cli-input-yaml" },
  { name: "an input that is not a map", args: ["--cli-input-json", "[1, 2]"], names: "--cli-input-json" },
  { name: "an input that is not JSON", args: ["--cli-input-json", "{nope"], names: "--cli-input-json" },
  { name: "an unknown key in the input", args: ["--cli-input-json", JSON.stringify({ ...SPEC_REQUEST, Colour: "red" })], names: "--cli-input-json: Colour" },
  { name: "null in JSON", args: [...BASE, ...ONE, "--message-dsn", '{"ReportingMta": "mx.example.com", "ArrivalDate": null}'], names: "--message-dsn.ArrivalDate" },
  { name: "a YAML date without a time", args: ["--cli-input-yaml", YAML_INPUT.replace("2026-11-26 09:30:00", "2026-11-26")], names: "--cli-input-yaml: MessageDsn.ArrivalDate" },
  { name: "a YAML number where a string belongs", args: ["--cli-input-yaml", YAML_INPUT.replace("0100019abc-yaml", "12345")], names: "--cli-input-yaml: OriginalMessageId" },
  { name: "a missing file", args: [...BASE, ...ONE, "--message-dsn", "file://missing.json"], names: "--message-dsn" },
  { name: "a missing input file", args: ["--cli-input-json", "file://missing.json"], names: "--cli-input-json" },
  { name: "a list file holding one object", args: [...BASE, "--bounced-recipient-info-list", "file://one.json"], files: { "one.json": '{"Recipient": "a@example.com", "BounceType": "DoesNotExist"}' }, names: "--bounced-recipient-info-list" },
  { name: "a list file holding shorthand", args: [...BASE, "--bounced-recipient-info-list", "file://one.txt"], files: { "one.txt": "Recipient=a@example.com,BounceType=DoesNotExist" }, names: "--bounced-recipient-info-list" },
  { name: "two list files", args: [...BASE, "--bounced-recipient-info-list", "file://a.json", "file://a.json"], files: { "a.json": "[]" }, names: "--bounced-recipient-info-list[0]" },
  { name: "an unknown option", args: [...BASE, ...ONE, "--colour", "red"], names: "--colour" },
  { name: "an abbreviated option", args: ["--original-message-id", "m", "--bounce-send", "a@example.com", ...ONE], names: "--bounce-send" },
  { name: "a value that looks like an option", args: [...BASE, ...ONE, "--explanation", "-gone"], names: "--explanation" },
  { name: "a stray word", args: [...BASE, "stray", ...ONE], names: '"stray"' },
  { name: "a missing required flag", args: ["--original-message-id", "m", ...ONE], names: "--bounce-sender" },
  { name: "an unknown skeleton kind", args: ["--generate-cli-skeleton", "sideways"], names: "--generate-cli-skeleton" },
  { name: "a bad endpoint URL", args: [...BASE, ...ONE, "--endpoint-url", "localhost"], names: "--endpoint-url" },
];

/** stderr without dsnkit's notes that SES's 24-hour window has closed (the AWS CLI sends silently). */
function withoutWindowWarnings(stderr: string): string {
  return stderr.replace(/^dsnkit: warning: MessageDsn\.ArrivalDate: .*: sending anyway, as aws ses send-bounce does; SES decides\n/gm, "");
}

let server: CaptureServer;
let work: string;
let serial = 0;

beforeAll(async () => {
  checkTools();
  server = await startCaptureServer();
  work = mkdtempSync(join(tmpdir(), "dsnkit-parity-"));
});
afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs one program for a case in its own directory, with its own access key. */
async function runOne(program: "aws" | "dsnkit", args: readonly string[], files: Record<string, string> = {}, fromProfile = false, endpoint = true) {
  const id = `AKIDPARITY${String(++serial).padStart(4, "0")}${program === "aws" ? "A" : "D"}`;
  const dir = join(work, id);
  const env = childEnv(dir, id);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  if (fromProfile) {
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    delete env.AWS_DEFAULT_REGION;
    delete env.AWS_REGION;
    writeFileSync(join(dir, "credentials"), `[bounces]\naws_access_key_id = ${id}\naws_secret_access_key = parity-secret\n`);
  }
  const full = [...args, ...(endpoint && !args.includes("--endpoint-url") ? ["--endpoint-url", server.url] : [])];
  const result: RunResult =
    program === "aws" ? await runProgram(AWS, ["ses", "send-bounce", ...full], env, dir) : await runProgram(process.execPath, [DSNKIT, "send-bounce", ...full], env, dir);
  return { result, requests: server.requests(id) };
}

describe("aws ses send-bounce and dsnkit send-bounce send the same request", () => {
  test("the table is at least 30 argument lists", () => {
    expect(SAME.length).toBeGreaterThanOrEqual(30);
    expect(REFUSED.length).toBeGreaterThanOrEqual(20);
  });

  test.concurrent.each(SAME)("$name", async (c) => {
    const [aws, dsnkit] = await Promise.all([runOne("aws", c.awsArgs ?? c.args, c.files, c.fromProfile), runOne("dsnkit", c.args, c.files, c.fromProfile)]);
    expect(aws.result.code, `aws failed: ${aws.result.stderr}`).toBe(0);
    // The table's dates are fixed, so by now SES's 24-hour window has closed for some: dsnkit says
    // so and sends anyway, as the AWS CLI sends; nothing else is printed.
    expect(withoutWindowWarnings(dsnkit.result.stderr)).toBe("");
    expect(dsnkit.result.code).toBe(0);
    expect(aws.requests).toHaveLength(1);
    expect(dsnkit.requests).toHaveLength(1);
    const [a] = aws.requests;
    const [d] = dsnkit.requests;
    if (c.canonicalized) {
      expect(normalized(d!.params)).not.toEqual(normalized(a!.params));
      expect(normalized(d!.params)).toEqual(canonical(a!.params));
    } else expect(normalized(d!.params)).toEqual(normalized(a!.params));
    expect(d!.region).toBe(a!.region);
    // The same output, up to the id the server gave each (its counter).
    const strip = (s: string) => s.replace(/0100-parity-\d+/g, "ID");
    expect(strip(dsnkit.result.stdout)).toBe(strip(aws.result.stdout));
  }, TIMEOUT);
});

describe("SES's 24-hour window: both send, SES decides", () => {
  test.concurrent("an original that arrived long ago: the same request from both; dsnkit says by how much the window has closed", async () => {
    const args = [...BASE, ...ONE, "--message-dsn", "ReportingMta=dns; mx.example.com,ArrivalDate=2020-01-01T00:00:00Z"];
    const [aws, dsnkit] = await Promise.all([runOne("aws", args), runOne("dsnkit", args)]);
    expect(aws.result.code, aws.result.stderr).toBe(0);
    expect(dsnkit.result.code).toBe(0);
    expect(dsnkit.result.stderr).toMatch(
      /^dsnkit: warning: MessageDsn\.ArrivalDate: the original arrived at 2020-01-01T00:00:00Z, \d+ d( \d+ h)? ago; SES accepts SendBounce only within 24 h of receipt, and the window closed at 2020-01-02T00:00:00Z, \d+ d( \d+ h)? ago: sending anyway, as aws ses send-bounce does; SES decides\n$/,
    );
    expect(aws.requests).toHaveLength(1);
    expect(normalized(dsnkit.requests[0]!.params)).toEqual(normalized(aws.requests[0]!.params));
  }, TIMEOUT);
});

describe("where the AWS CLI refuses the arguments, dsnkit refuses them too, naming the flag", () => {
  test.concurrent.each(REFUSED)("$name", async (c) => {
    const [aws, dsnkit] = await Promise.all([runOne("aws", c.args, c.files), runOne("dsnkit", c.args, c.files)]);
    expect(aws.result.code, `aws accepted: ${aws.result.stdout}`).not.toBe(0);
    expect(aws.requests).toHaveLength(0);
    expect(dsnkit.result.code).toBe(2);
    expect(dsnkit.requests).toHaveLength(0);
    expect(dsnkit.result.stderr).toMatch(/^dsnkit: /);
    expect(dsnkit.result.stderr).toContain(c.names);
    expect(dsnkit.result.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
  }, TIMEOUT);
});

describe("--generate-cli-skeleton has the AWS CLI's shape", () => {
  /** The shape of a value: keys and the kind of each leaf, enum values aside. */
  function shape(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(shape);
    if (v instanceof Date) return "timestamp";
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
    if (typeof v === "string" && /^1970-01-01[T ]00:00:00$/.test(v)) return "timestamp";
    return typeof v;
  }

  test.concurrent("input (JSON)", async () => {
    const [aws, dsnkit] = await Promise.all([runOne("aws", ["--generate-cli-skeleton", "input"], {}, false, false), runOne("dsnkit", ["--generate-cli-skeleton", "input"], {}, false, false)]);
    expect(aws.result.code).toBe(0);
    expect(dsnkit.result.code).toBe(0);
    const a = JSON.parse(aws.result.stdout);
    const d = JSON.parse(dsnkit.result.stdout);
    expect(shape(d)).toEqual(shape(a));
    expect(JSON.stringify(Object.keys(d))).toBe(JSON.stringify(Object.keys(a)));
    expect(dsnkit.result.stdout).toBe(aws.result.stdout); // here even the enum examples agree
  }, TIMEOUT);

  test.concurrent("yaml-input", async () => {
    const [aws, dsnkit] = await Promise.all([runOne("aws", ["--generate-cli-skeleton", "yaml-input"], {}, false, false), runOne("dsnkit", ["--generate-cli-skeleton", "yaml-input"], {}, false, false)]);
    expect(aws.result.code).toBe(0);
    expect(dsnkit.result.code).toBe(0);
    const a = parseYaml(aws.result.stdout, { version: "1.1" });
    const d = parseYaml(dsnkit.result.stdout, { version: "1.1" });
    expect(shape(d)).toEqual(shape(a));
    // Every member carries a comment, [REQUIRED] where the AWS CLI puts it.
    const required = (s: string) => s.split("\n").filter((l) => l.includes("[REQUIRED]")).map((l) => l.trim().split(":")[0]);
    expect(required(dsnkit.result.stdout)).toEqual(required(aws.result.stdout));
  }, TIMEOUT);

  test.concurrent("output, after checking the arguments", async () => {
    const args = [...BASE, ...ONE, "--generate-cli-skeleton", "output"];
    const [aws, dsnkit] = await Promise.all([runOne("aws", args), runOne("dsnkit", args)]);
    expect(aws.result.code).toBe(0);
    expect(dsnkit.result.stdout).toBe(aws.result.stdout);
    expect(aws.requests).toHaveLength(0);
    expect(dsnkit.requests).toHaveLength(0);
  }, TIMEOUT);

  test.concurrent("each skeleton, filled in, is sent the same way by both", async () => {
    const filled = JSON.parse((await runOne("dsnkit", ["--generate-cli-skeleton", "input"], {}, false, false)).result.stdout);
    filled.OriginalMessageId = "0100019abc-skeleton";
    filled.BounceSender = "mailer-daemon@example.com";
    filled.Explanation = "Filled in from the skeleton.";
    filled.MessageDsn.ReportingMta = "dns; mx.example.com";
    filled.MessageDsn.ArrivalDate = "2026-11-26T09:00:00";
    filled.MessageDsn.ExtensionFields[0] = { Name: "Rule", Value: "r1" };
    const r = filled.BouncedRecipientInfoList[0];
    Object.assign(r, { Recipient: "a@example.com", RecipientArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com" });
    Object.assign(r.RecipientDsnFields, {
      FinalRecipient: "a@example.com",
      RemoteMta: "dns; mx.remote.example.net",
      Status: "5.1.1",
      DiagnosticCode: "smtp; 550 5.1.1 unknown",
      LastAttemptDate: "2026-11-26T09:00:00",
      ExtensionFields: [{ Name: "Zone", Value: "eu" }],
    });
    filled.BounceSenderArn = "arn:aws:ses:us-east-1:123456789012:identity/example.com";
    const args = ["--cli-input-json", JSON.stringify(filled)];
    const [aws, dsnkit] = await Promise.all([runOne("aws", args), runOne("dsnkit", args)]);
    expect(withoutWindowWarnings(dsnkit.result.stderr)).toBe("");
    expect(normalized(dsnkit.requests[0]!.params)).toEqual(normalized(aws.requests[0]!.params));
  }, TIMEOUT);
});
