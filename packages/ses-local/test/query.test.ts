/**
 * Decoding the query protocol: what the AWS SDK for JavaScript serializes for any SendBounce
 * request decodes back to that request; what no client would send is reported with its wire name.
 */
import { describe, expect, test } from "vitest";
import { fc, test as fcTest } from "@fast-check/vitest";
import { SESClient, SendBounceCommand } from "@aws-sdk/client-ses";
import type { SendBounceCommandInput } from "@aws-sdk/client-ses";
import { SEND_BOUNCE_SHAPE, decodeQuery, wireName } from "@dsnkit/ses-local";
import { parseTimestamp } from "@dsnkit/core";
import type { Timestamp } from "@dsnkit/core";
import { sendBounceRequest } from "@dsnkit/testing";

/** The form body the JS SDK sends for `input`, captured before it leaves. */
async function sdkBody(input: SendBounceCommandInput): Promise<string> {
  const client = new SESClient({ region: "us-east-1", endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
  let body = "";
  client.middlewareStack.add(
    () => async (args) => {
      body = String((args.request as { body: string }).body);
      throw new Error("captured");
    },
    { step: "finalizeRequest", priority: "low" },
  );
  await client.send(new SendBounceCommand(input)).catch((e: Error) => {
    if (e.message !== "captured") throw e;
  });
  return body;
}

function params(body: string): Map<string, string> {
  const map = new Map(new URLSearchParams(body));
  map.delete("Action");
  map.delete("Version");
  return map;
}

const text = fc.string({ unit: "binary", maxLength: 12 });
const ENUMS = new Set(["BounceType", "Action"]);
const TIMESTAMPS = new Set(["ArrivalDate", "LastAttemptDate"]);

/** The same request shape with every free-text value replaced by any text, timestamps as the SDK takes them. */
function withAnyText(value: unknown, texts: Iterator<string>, key?: string): unknown {
  if (key !== undefined && TIMESTAMPS.has(key)) return parseTimestamp(value as Timestamp);
  if (typeof value === "string") return key !== undefined && ENUMS.has(key) ? value : texts.next().value;
  if (Array.isArray(value)) return value.map((v) => withAnyText(v, texts));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withAnyText(v, texts, k)]));
  return value;
}

// The shapes (which optional parts appear, how many recipients and extension fields) come from
// @dsnkit/testing's generator; the text in them is anything at all, as the wire must carry it.
const request = fc
  .tuple(sendBounceRequest({ maxRecipients: 4 }), fc.infiniteStream(text))
  .map(([r, texts]) => withAnyText(r, texts) as SendBounceCommandInput);

/** The request as decoding gives it back: dates as the ISO-8601 text the SDK sends. */
function asDecoded(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace(".000Z", "Z");
  if (Array.isArray(value)) return value.map(asDecoded);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asDecoded(v)]));
  return value;
}

describe("decodeQuery", () => {
  fcTest.prop([request], { numRuns: 150 })("gives back any request the JS SDK serialized", async (input) => {
    const decoded = decodeQuery(params(await sdkBody(input)), SEND_BOUNCE_SHAPE);
    expect(decoded.problems).toEqual([]);
    expect(decoded.value).toEqual(asDecoded(input));
  });

  test("an empty list parameter is the empty list", () => {
    expect(decodeQuery(new Map([["BouncedRecipientInfoList", ""]]), SEND_BOUNCE_SHAPE)).toEqual({ value: { BouncedRecipientInfoList: [] }, problems: [] });
  });

  test("members are put in their numbered places whatever the parameter order", () => {
    const { value } = decodeQuery(
      new Map([
        ["BouncedRecipientInfoList.member.2.Recipient", "b@example.com"],
        ["BouncedRecipientInfoList.member.1.Recipient", "a@example.com"],
      ]),
      SEND_BOUNCE_SHAPE,
    );
    expect(value).toEqual({ BouncedRecipientInfoList: [{ Recipient: "a@example.com" }, { Recipient: "b@example.com" }] });
  });

  test.each([
    [["Bogus", "x"], "Bogus", "is not a parameter of this action"],
    [["BounceSendr", "x"], "BounceSendr", "is not a parameter of this action; did you mean BounceSender?"],
    [["MessageDsn.ReportingMTA", "x"], "MessageDsn.ReportingMTA", "is not a parameter of this action; did you mean MessageDsn.ReportingMta?"],
    [["BouncedRecipientInfoList.member.0.Recipient", "x"], "BouncedRecipientInfoList.member.0", "is not a parameter: list members are numbered 1, 2, 3, ..."],
    [["BouncedRecipientInfoList.member.01.Recipient", "x"], "BouncedRecipientInfoList.member.01", "is not a parameter: list members are numbered 1, 2, 3, ..."],
    [["BouncedRecipientInfoList.item.1.Recipient", "x"], "BouncedRecipientInfoList.item", "is not a parameter: list members are written BouncedRecipientInfoList.member.N"],
    [["BouncedRecipientInfoList.member.2.Recipient", "x"], "BouncedRecipientInfoList.member.1", "is missing: list members must be numbered 1, 2, 3, ... without gaps"],
    [["BouncedRecipientInfoList", "x"], "BouncedRecipientInfoList", "is a list: give its members as BouncedRecipientInfoList.member.1, BouncedRecipientInfoList.member.2, ..."],
    [["MessageDsn", "x"], "MessageDsn", "needs its members given as separate parameters, not one value"],
    [["BounceSender.Name", "x"], "BounceSender.Name", "is not a parameter: BounceSender is a single value"],
    [["A.B.C.D.E.F.G.H.I.J.K.L.M", "x"], "A.B.C.D.E.F.G.H.I.J.K.L.M", "is nested too deeply to be a parameter of this action"],
  ])("%j is reported at %s", ([name, value], parameter, message) => {
    expect(decodeQuery(new Map([[name!, value!]]), SEND_BOUNCE_SHAPE).problems).toEqual([{ parameter, message }]);
  });

  test("__proto__ and constructor are parameters like any other unknown name, never object keys", () => {
    const { value, problems } = decodeQuery(new Map([["__proto__.polluted", "x"], ["constructor", "y"]]), SEND_BOUNCE_SHAPE);
    expect(problems.map((p) => p.parameter)).toEqual(["__proto__", "constructor"]);
    expect(Object.keys(value)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("wireName", () => {
  test("list indexes become member.N counted from 1", () => {
    expect(wireName(["BouncedRecipientInfoList", 0, "RecipientDsnFields", "ExtensionFields", 1, "Name"])).toBe(
      "BouncedRecipientInfoList.member.1.RecipientDsnFields.ExtensionFields.member.2.Name",
    );
    expect(wireName([])).toBe("(the request)");
  });
});
