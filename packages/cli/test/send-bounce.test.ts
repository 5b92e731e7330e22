import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { dsnkit, TEST_NOW } from "./support.js";
import type { RunResult } from "./support.js";
import { DRY_RUN_PLACEHOLDER_SENDER } from "../src/run/send-bounce.js";

function run(args: string[]): Promise<RunResult> {
  return dsnkit(["send-bounce", ...args]);
}

const BASE = ["--original-message-id", "0100019abc", "--bounce-sender", "mailer-daemon@example.com"];
const ONE = ["--bounced-recipient-info-list", "Recipient=nobody@example.com,BounceType=DoesNotExist"];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "dsnkit-send-bounce-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("arguments, scanned as the AWS CLI scans them", () => {
  test("unknown options, abbreviations and stray words are refused, each named", async () => {
    const r = await run([...BASE, ...ONE, "--bounce-sendr", "x@example.com", "--debug", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option --bounce-sendr (did you mean --bounce-sender?)");
    expect(r.stderr).toContain("unknown option --debug");
    expect(r.stderr).toContain('unexpected argument "x@example.com"');
    const abbreviated = await run(["--original-message-id", "m", "--bounce-send", "a@example.com", ...ONE, "--dry-run"]);
    expect(abbreviated.stderr).toContain("unknown option --bounce-send (did you mean --bounce-sender?)");
  });

  test("a value that looks like an option needs the = form, as in the AWS CLI", async () => {
    const r = await run([...BASE, ...ONE, "--explanation", "-gone", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--explanation needs a value, but -gone follows it (to give a value that starts with "-", write --explanation=VALUE)');
    const ok = await run([...BASE, ...ONE, "--explanation=-gone", "--dry-run", "--original-sender", "s@example.org"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("-gone");
  });

  test("a repeated option keeps its last value; the list takes every word up to the next option", async () => {
    const r = await run([
      ...BASE,
      "--bounce-sender",
      "postmaster@example.com",
      "--bounced-recipient-info-list",
      "Recipient=a@example.com,BounceType=DoesNotExist",
      "Recipient=b@example.com,BounceType=ExceededQuota",
      "--dry-run",
      "--original-sender",
      "s@example.org",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("From: postmaster@example.com");
    expect(r.stdout).toContain("Final-Recipient: rfc822; a@example.com");
    expect(r.stdout).toContain("Final-Recipient: rfc822; b@example.com");
    expect(r.stdout).toContain("Status: 5.2.2");
  });

  test("--output takes json or text; --generate-cli-skeleton its three kinds", async () => {
    expect((await run([...BASE, ...ONE, "--output", "table"])).stderr).toContain('--output: "table" is not one of json, text');
    expect((await run(["--generate-cli-skeleton", "bogus"])).stderr).toContain('--generate-cli-skeleton: "bogus" is not one of input, yaml-input, output');
  });

  test("dry-run-only and batch-only options are refused elsewhere", async () => {
    expect((await run([...BASE, ...ONE, "--original-sender", "s@example.org"])).stderr).toContain("--original-sender: only --dry-run uses it");
    expect((await run([...BASE, ...ONE, "--rate", "5", "--dry-run"])).stderr).toContain("--rate: only --batch uses it");
  });
});

describe("every problem at once, named by its flag and path", () => {
  test("validation issues name the flag, the list item and the member", async () => {
    const r = await run([
      "--original-message-id",
      "0100019abc",
      "--bounce-sender",
      "not an address",
      "--bounced-recipient-info-list",
      "Recipient=a@example.com,BounceType=DoesNotExist",
      "Recipient=b@example.com,BounceType=Nope",
      "Recipient=c@example.com,RecipientDsnFields={Action=failed,Status=5.01.1,LastAttemptDate=yesterday}",
      "--message-dsn",
      "ReportingMta=mx.example.com,ExtensionFields=[{Name=Status,Value=x}]",
      "--dry-run",
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toBe("dsnkit: the request has 5 problems; nothing was sent:");
    expect(lines.slice(1).map((l) => l.trim().split(": ")[0])).toEqual([
      "--bounce-sender",
      "--message-dsn.ExtensionFields[0].Name",
      "--bounced-recipient-info-list[1].BounceType",
      "--bounced-recipient-info-list[2].RecipientDsnFields.Status",
      "--bounced-recipient-info-list[2].RecipientDsnFields.LastAttemptDate",
    ]);
    expect(r.stderr).toContain("[invalid_enum]");
    expect(r.stderr).toContain("is not a valid mailbox");
  });

  test("missing required members say which flag gives them", async () => {
    const r = await run(["--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--original-message-id: required: give --original-message-id, or OriginalMessageId in --cli-input-json or --cli-input-yaml [required]");
    expect(r.stderr).toContain("--bounce-sender: required");
    expect(r.stderr).toContain("--bounced-recipient-info-list: required");
  });

  test("syntax errors in several flags are all reported, with a caret", async () => {
    const r = await run([
      ...BASE,
      "--bounced-recipient-info-list",
      "Recipient=a@example.com,Recipient=b@example.com",
      "Recipient=c@example.com,BounceType=DoesNotExist",
      "--message-dsn",
      '{"ReportingMta": "mx.example.com",}',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--bounced-recipient-info-list[0]: not valid shorthand: the key "Recipient" is given twice');
    expect(r.stderr).toContain("Recipient=a@example.com,Recipient=b@example.com\n                              ^");
    expect(r.stderr).toMatch(/--message-dsn:1:\d+: invalid JSON/);
  });

  test("mixing JSON and shorthand items is refused, naming the item", async () => {
    const r = await run([...BASE, "--bounced-recipient-info-list", '{"Recipient":"a@example.com","BounceType":"DoesNotExist"}', "Recipient=b@example.com,BounceType=DoesNotExist"]);
    expect(r.stderr).toContain("--bounced-recipient-info-list[1]: is not a JSON object, but --bounced-recipient-info-list[0] is");
  });

  test("null values are refused, as the AWS CLI refuses them", async () => {
    const r = await run([...BASE, ...ONE, "--message-dsn", '{"ReportingMta":"mx.example.com","ArrivalDate":null}', "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--message-dsn.ArrivalDate: ArrivalDate is null; leave the key out instead [invalid_type]");
  });
});

describe("JSON, file:// and --cli-input-*", () => {
  test("file:// values: a scalar's text, a structure's JSON, the list's JSON array", async () => {
    const explanation = file("expl.txt", "Line one\r\nLine two\n");
    const dsn = file("dsn.json", '{"ReportingMta": "dns; mx.example.com", "ArrivalDate": "2026-11-26T09:00:00Z"}');
    const list = file("list.json", '[{"Recipient": "a@example.com", "BounceType": "DoesNotExist"}]');
    const r = await run([
      ...BASE,
      "--explanation",
      `file://${explanation}`,
      "--message-dsn",
      `file://${dsn}`,
      "--bounced-recipient-info-list",
      `file://${list}`,
      "--dry-run",
      "--original-sender",
      "s@example.org",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Line one\r\nLine two\r\n");
    expect(r.stdout).toContain("Reporting-MTA: dns; mx.example.com");
    expect(r.stdout).toContain("Arrival-Date: Thu, 26 Nov 26 09:00:00 UTC");
  });

  test("a list file must hold a JSON array; a missing file is named", async () => {
    const one = file("one.json", '{"Recipient": "a@example.com", "BounceType": "DoesNotExist"}');
    expect((await run([...BASE, "--bounced-recipient-info-list", `file://${one}`])).stderr).toContain("it holds one JSON object: put it in [ ]");
    const r = await run([...BASE, ...ONE, "--message-dsn", `file://${join(dir, "missing.json")}`]);
    expect(r.stderr).toMatch(/--message-dsn: cannot read .*missing\.json: no such file/);
  });

  test("--cli-input-json supplies what the flags leave out; flags win key by key", async () => {
    const input = file(
      "in.json",
      JSON.stringify({
        OriginalMessageId: "from-json",
        BounceSender: "json@example.com",
        Explanation: "from json",
        BouncedRecipientInfoList: [{ Recipient: "j@example.com", BounceType: "ExceededQuota" }],
      }),
    );
    const r = await run(["--cli-input-json", `file://${input}`, "--bounce-sender", "flag@example.com", "--dry-run", "--original-sender", "s@example.org"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("From: flag@example.com");
    expect(r.stdout).toContain("from json");
    expect(r.stdout).toContain("Final-Recipient: rfc822; j@example.com");
  });

  test("issues in --cli-input-json are named by the flag and the path in the input", async () => {
    const r = await run(["--cli-input-json", '{"OriginalMessageId":"m","BounceSender":"a@example.com","Bogus":1,"BouncedRecipientInfoList":[{"Recipient":"x@example.com"}]}']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--cli-input-json: Bogus: unknown key "Bogus"');
    expect(r.stderr).toContain("--cli-input-json: BouncedRecipientInfoList[0]: each recipient needs a BounceType, RecipientDsnFields, or both [missing_bounce_type]");
  });

  test("--cli-input-yaml: timestamps as YAML reads them; an unquoted date alone is refused like the AWS CLI", async () => {
    const good = "OriginalMessageId: m1\nBounceSender: y@example.com\nMessageDsn:\n  ReportingMta: mx.example.com\n  ArrivalDate: 2026-11-26 09:30:00\nBouncedRecipientInfoList:\n- Recipient: r@example.com\n  BounceType: DoesNotExist\n";
    const ok = await run(["--cli-input-yaml", good, "--dry-run", "--original-sender", "s@example.org"]);
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toContain("Arrival-Date: Thu, 26 Nov 26 09:30:00 UTC");
    const bad = await run(["--cli-input-yaml", good.replace("2026-11-26 09:30:00", "2026-11-26").replace("m1", "12345")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--cli-input-yaml: MessageDsn.ArrivalDate: ArrivalDate 2026-11-26 is a YAML date without a time, which the AWS CLI refuses");
    expect(bad.stderr).toContain("--cli-input-yaml: OriginalMessageId: OriginalMessageId must be a string, not a number");
    const quoted = await run(["--cli-input-yaml", good.replace("2026-11-26 09:30:00", "'2026-11-26'"), "--dry-run", "--original-sender", "s@example.org"]);
    expect(quoted.stdout).toContain("Arrival-Date: Thu, 26 Nov 26 00:00:00 UTC");
  });

  test("both input flags at once, invalid YAML, a non-map input", async () => {
    expect((await run(["--cli-input-json", "{}", "--cli-input-yaml", "{}"])).stderr).toContain("give one of them, not both");
    expect((await run(["--cli-input-yaml", "a: [1, 2\n"])).stderr).toMatch(/--cli-input-yaml:\d+:\d+: invalid YAML/);
    expect((await run(["--cli-input-json", "[1]"])).stderr).toContain("--cli-input-json: the input must be a JSON object of SendBounce parameters, not a list");
    expect((await run(["--cli-input-yaml", "a: 1\na: 2\n"])).stderr).toMatch(/invalid YAML: Map keys must be unique/);
  });
});

describe("timestamps in each form", () => {
  test.each([
    ["2026-11-26T10:00:00Z", "Thu, 26 Nov 26 10:00:00 UTC"],
    ["2026-11-26T12:00:00+02:00", "Thu, 26 Nov 26 10:00:00 UTC"],
    ["2026-11-26", "Thu, 26 Nov 26 00:00:00 UTC"],
    ["1795687200", "Thu, 26 Nov 26 10:00:00 UTC"],
    ['"Thu, 26 Nov 2026 10:00:00 GMT"', "Thu, 26 Nov 26 10:00:00 UTC"],
  ])("ArrivalDate=%s", async (value, header) => {
    const r = await run([...BASE, ...ONE, "--message-dsn", `ReportingMta=mx.example.com,ArrivalDate=${value}`, "--dry-run", "--original-sender", "s@example.org"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`Arrival-Date: ${header}`);
  });

  test("out of range, not a date, or not a calendar day", async () => {
    for (const [value, message] of [
      ["2026-02-30", "day 30 is not in that month"],
      ["tomorrow", "is not a timestamp"],
      ["1800-01-01", "outside the years 1970 to 9999"],
    ]) {
      const r = await run([...BASE, ...ONE, "--message-dsn", `ReportingMta=mx.example.com,ArrivalDate=${value}`, "--dry-run"]);
      expect(r.code, value).toBe(2);
      expect(r.stderr).toContain("--message-dsn.ArrivalDate");
      expect(r.stderr).toContain(message);
    }
  });
});

describe("--generate-cli-skeleton", () => {
  test("input: every member, one item per list, parseable back by --cli-input-json", async () => {
    const r = await run(["--generate-cli-skeleton"]);
    expect(r.code).toBe(0);
    const skeleton = JSON.parse(r.stdout);
    expect(Object.keys(skeleton)).toEqual(["OriginalMessageId", "BounceSender", "Explanation", "MessageDsn", "BouncedRecipientInfoList", "BounceSenderArn"]);
    expect(skeleton.BouncedRecipientInfoList[0].RecipientDsnFields.ExtensionFields).toEqual([{ Name: "", Value: "" }]);
    expect(skeleton.MessageDsn.ArrivalDate).toBe("1970-01-01T00:00:00");
    expect(r.stdout.split("\n")[1]).toBe('    "OriginalMessageId": "",');
  });

  test("yaml-input: the same shape, with comments, readable by --cli-input-yaml", async () => {
    const r = await run(["--generate-cli-skeleton", "yaml-input"]);
    const json = JSON.parse((await run(["--generate-cli-skeleton", "input"])).stdout);
    const yaml = parseYaml(r.stdout);
    expect(Object.keys(yaml)).toEqual(Object.keys(json));
    expect(Object.keys(yaml.BouncedRecipientInfoList[0].RecipientDsnFields)).toEqual(Object.keys(json.BouncedRecipientInfoList[0].RecipientDsnFields));
    expect(r.stdout).toContain("BounceType: DoesNotExist # The reason, which sets the DSN fields left out. Valid values are: DoesNotExist, MessageTooLarge");
    expect(r.stdout).toContain("OriginalMessageId: '' # [REQUIRED]");
    // Fed back, it parses and fails validation only for the empty values.
    const back = await run(["--cli-input-yaml", r.stdout, "--dry-run"]);
    expect(back.code).toBe(2);
    expect(back.stderr).not.toContain("invalid YAML");
    expect(back.stderr).toContain("--cli-input-yaml: OriginalMessageId: OriginalMessageId must not be empty");
  });

  test("output: checks the arguments first, then prints the response shape", async () => {
    expect((await run([...BASE, ...ONE, "--generate-cli-skeleton", "output"])).stdout).toBe('{\n    "MessageId": "MessageId"\n}\n');
    expect((await run([...ONE, "--generate-cli-skeleton", "output"])).code).toBe(2);
    // input skeletons still check the syntax of what was given, as the AWS CLI does
    expect((await run(["--generate-cli-skeleton", "--message-dsn", "bad"])).stderr).toContain("--message-dsn: not valid shorthand");
  });
});

describe("--dry-run", () => {
  test("prints the DSN SES would send, to a placeholder sender when the original is unknown", async () => {
    const r = await run([...BASE, ...ONE, "--dry-run", "--region", "eu-west-1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`To: ${DRY_RUN_PLACEHOLDER_SENDER}`);
    expect(r.stdout).toContain("Reporting-MTA: dns; inbound-smtp.eu-west-1.amazonaws.com");
    expect(r.stdout).toContain("Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist");
    expect(r.stderr).toContain("--dry-run: SES sends the bounce to the original's sender");
  });

  test("--original gives the sender and the returned headers", async () => {
    const original = file("orig.eml", "Return-Path: <sender@example.org>\r\nFrom: Sender <sender@example.org>\r\nTo: nobody@example.com\r\nSubject: hello\r\nMessage-ID: <orig-1@example.org>\r\n\r\nbody\r\n");
    const r = await run([...BASE, ...ONE, "--dry-run", "--original", original]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("To: sender@example.org");
    expect(r.stdout).toContain("Content-Type: text/rfc822-headers\r\nContent-Transfer-Encoding: 7bit\r\nContent-Description: Undelivered Message\r\n");
    expect(r.stdout).toContain("Message-ID: <orig-1@example.org>");
  });

  test("in SES's own layout (the ses render profile), since it shows what SES will send", async () => {
    const r = await run([...BASE, ...ONE, "--dry-run", "--region", "eu-west-1", "--original-sender", "s@example.org"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Date: .*\r\nFrom: .*\r\nTo: s@example\.org\r\nMessage-ID: <[0-9a-f]+@eu-west-1\.amazonses\.com>\r\nSubject: /);
    expect(r.stdout).toContain("Content-Description: Notification\r\n\r\nThis message could not be delivered.\r\n");
    expect(r.stdout).toContain("Action: failed\r\nFinal-Recipient: rfc822; ");
    expect(r.stdout).not.toContain("Auto-Submitted:");
  });
});

describe("SES's 24-hour window: said, not enforced (aws ses send-bounce sends, SES decides)", () => {
  // 26 h 30 min before the test clock (TEST_NOW, 2026-11-26T12:00:00Z): the window closed 2 h 30 min ago.
  const LATE = ["--message-dsn", "ReportingMta=mx.example.com,ArrivalDate=2026-11-25T09:30:00Z"];
  const WARNING =
    "dsnkit: warning: MessageDsn.ArrivalDate: the original arrived at 2026-11-25T09:30:00Z, 26 h 30 min ago; SES accepts SendBounce " +
    "only within 24 h of receipt, and the window closed at 2026-11-26T09:30:00Z, 2 h 30 min ago";

  test("--dry-run warns, with by how much, and still prints the DSN (exit 0)", async () => {
    const r = await run([...BASE, ...ONE, ...LATE, "--dry-run", "--original-sender", "s@example.org"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`${WARNING}: SES will refuse this bounce (MessageRejected) if it is sent\n`);
    expect(r.stdout).toContain("Arrival-Date: Wed, 25 Nov 26 09:30:00 UTC");
    expect(r.stdout).toContain("Date: Thu, 26 Nov 2026 12:00:00 +0000");
  });

  test("inside the window (exactly 24 h) there is no warning", async () => {
    const r = await run([...BASE, ...ONE, "--message-dsn", "ReportingMta=mx.example.com,ArrivalDate=2026-11-25T12:00:00Z", "--dry-run", "--original-sender", "s@example.org"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  test("the window is judged by the command's clock, never the day the tests run", async () => {
    const later = await dsnkit(["send-bounce", ...BASE, ...ONE, "--message-dsn", "ReportingMta=mx.example.com,ArrivalDate=2026-11-26T09:00:00Z", "--dry-run", "--original-sender", "s@example.org"], "", { now: new Date(TEST_NOW.getTime() + 400 * 86_400_000) });
    expect(later.stderr).toContain("the window closed at 2026-11-27T09:00:00Z, 399 d 3 h ago");
    expect(later.code).toBe(0);
  });
});

describe("sending", () => {
  let server: Server;
  let url: string;
  let bodies: URLSearchParams[] = [];
  let reply: (res: import("node:http").ServerResponse) => void;
  const env = { ...process.env };

  beforeAll(async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDTEST", AWS_SECRET_ACCESS_KEY: "secret", AWS_REGION: "us-east-1" });
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        bodies.push(new URLSearchParams(body));
        reply(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const key of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"]) {
      if (env[key] === undefined) delete process.env[key];
      else process.env[key] = env[key];
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterEach(() => {
    bodies = [];
  });

  const ok = (res: import("node:http").ServerResponse) => {
    res.writeHead(200, { "content-type": "text/xml" });
    res.end("<SendBounceResponse><SendBounceResult><MessageId>0100-bounce-1</MessageId></SendBounceResult></SendBounceResponse>");
  };

  test("sends the request and prints the AWS CLI's JSON or text output", async () => {
    reply = ok;
    const r = await run([...BASE, ...ONE, "--endpoint-url", url, "--message-dsn", "ReportingMta=mx.example.com,ArrivalDate=2026-11-26T12:00:00+02:00"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{\n    "MessageId": "0100-bounce-1"\n}\n');
    const body = bodies[0]!;
    expect(body.get("Action")).toBe("SendBounce");
    expect(body.get("MessageDsn.ArrivalDate")).toBe("2026-11-26T10:00:00Z");
    expect(body.get("BouncedRecipientInfoList.member.1.BounceType")).toBe("DoesNotExist");
    const text = await run([...BASE, ...ONE, "--endpoint-url", url, "--output", "text"]);
    expect(text.stdout).toBe("0100-bounce-1\n");
  });

  test("past the window: a warning with by how much, and the request is still sent, as the AWS CLI sends it", async () => {
    reply = ok;
    const r = await run([...BASE, ...ONE, "--endpoint-url", url, "--message-dsn", "ReportingMta=mx.example.com,ArrivalDate=2026-11-24T12:00:00Z"]);
    expect(r.stderr).toBe(
      "dsnkit: warning: MessageDsn.ArrivalDate: the original arrived at 2026-11-24T12:00:00Z, 2 d ago; SES accepts SendBounce only within 24 h " +
        "of receipt, and the window closed at 2026-11-25T12:00:00Z, 24 h ago: sending anyway, as aws ses send-bounce does; SES decides\n",
    );
    expect(r.code).toBe(0);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]!.get("MessageDsn.ArrivalDate")).toBe("2026-11-24T12:00:00Z");
  });

  test("past the window, SES's MessageRejected decides the exit code (1)", async () => {
    reply = (res) => {
      res.writeHead(400, { "content-type": "text/xml" });
      res.end("<ErrorResponse><Error><Type>Sender</Type><Code>MessageRejected</Code><Message>Original message is too old.</Message></Error><RequestId>r2</RequestId></ErrorResponse>");
    };
    const r = await run([...BASE, ...ONE, "--endpoint-url", url, "--message-dsn", "ReportingMta=mx.example.com,ArrivalDate=2026-11-24T12:00:00Z"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("sending anyway, as aws ses send-bounce does; SES decides\n");
    expect(r.stderr).toContain("dsnkit: SES rejected the bounce (MessageRejected): Original message is too old.\n");
    expect(bodies).toHaveLength(1);
  });

  test("an invalid request is never sent", async () => {
    reply = ok;
    const r = await run([...BASE, "--bounced-recipient-info-list", "Recipient=nobody@example.com", "--endpoint-url", url]);
    expect(r.code).toBe(2);
    expect(bodies).toHaveLength(0);
  });

  test("SES's refusal is reported with its code; exit 1", async () => {
    reply = (res) => {
      res.writeHead(400, { "content-type": "text/xml" });
      res.end("<ErrorResponse><Error><Type>Sender</Type><Code>MessageRejected</Code><Message>Email address is not verified.</Message></Error><RequestId>r1</RequestId></ErrorResponse>");
    };
    const r = await run([...BASE, ...ONE, "--endpoint-url", url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("dsnkit: SES rejected the bounce (MessageRejected): Email address is not verified.\n");
  });

  test("a bad --endpoint-url and an unreachable one", async () => {
    expect((await run([...BASE, ...ONE, "--endpoint-url", "localhost:1"])).stderr).toContain("--endpoint-url");
    const r = await run([...BASE, ...ONE, "--endpoint-url", "http://127.0.0.1:1"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot reach SES at http:\/\/127\.0\.0\.1:1|the SendBounce call failed/);
  });
});
