/**
 * The SES query API of ses-local, called with requests signed by @smithy/signature-v4: every
 * SendBounce rule and every authentication failure with its exact error code and HTTP status.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startSesLocal } from "@dsnkit/ses-local";
import type { SesLocal } from "@dsnkit/ses-local";
import { ACCESS_KEY_ID, SECRET, bounceParams, deliver, mail, rawHttp, signedCall, tempDir } from "./helpers.js";

let ses: SesLocal;
let remove: () => Promise<void>;
/** The emulator's clock; tests move it. */
let now = new Date("2026-11-26T10:00:00Z");

beforeAll(async () => {
  const t = await tempDir();
  remove = t.remove;
  ses = await startSesLocal({
    smtpPort: 0,
    httpPort: 0,
    dataDir: t.dir,
    rate: 0,
    domains: ["example.com"],
    identities: ["mailer-daemon@example.com"],
    credentials: [
      { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
      { accessKeyId: "AKIDSECOND", secretAccessKey: "second-secret" },
    ],
    clock: () => now,
  });
});

afterAll(async () => {
  await ses?.close();
  await remove?.();
});

async function received(extra: { at?: Date; to?: string[]; from?: string } = {}): Promise<string> {
  const before = now;
  if (extra.at) now = extra.at;
  try {
    return await deliver(ses.smtpPort, mail(), extra.from ?? "alice@example.org", extra.to ?? ["bob@example.com"]);
  } finally {
    now = before;
  }
}

describe("SendBounce", () => {
  test("accepts a bounce, answers its MessageId and writes the outbox file", async () => {
    const id = await received();
    const r = await signedCall(ses.httpPort, bounceParams(id));
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("text/xml");
    const bounceId = /<SendBounceResult><MessageId>([^<]+)<\/MessageId><\/SendBounceResult>/.exec(r.body)?.[1];
    expect(bounceId).toMatch(/^0100[0-9a-f]{12}-[0-9a-f-]{36}-000000$/);
    expect(r.body).toMatch(/<SendBounceResponse xmlns="http:\/\/ses.amazonaws.com\/doc\/2010-12-01\/">/);
    expect(r.body).toContain(`<RequestId>${r.headers["x-amzn-requestid"]}</RequestId>`);
    const eml = await readFile(ses.outboxPath(bounceId!), "utf8");
    expect(eml).toContain("To: alice@example.org\r\n");
    expect(eml).toContain("From: mailer-daemon@example.com\r\n");
    expect(eml).toContain("Status: 5.1.1\r\n");
    expect(eml).toContain("Final-Recipient: rfc822; bob@example.com\r\n");
    // The original arrived at the emulator's clock; its arrival is the Arrival-Date, in SES's form.
    expect(eml).toContain("Arrival-Date: Thu, 26 Nov 26 10:00:00 UTC\r\n");
    expect(eml).toContain("Reporting-MTA: dns; inbound-smtp.us-east-1.amazonaws.com\r\n");
    expect(eml).toContain(`Message-ID: <${bounceId}@us-east-1.amazonses.com>\r\n`);
    // SES's outbound fields end the header; SES writes no In-Reply-To.
    expect(eml).toMatch(/\r\nX-SES-Outgoing: 2026\.11\.26-127\.0\.0\.1\r\nFeedback-ID: 1\.us-east-1\.[A-Za-z0-9+/]{43}=:AmazonSES\r\n\r\n/);
    expect(eml).not.toContain("In-Reply-To:");
    // The original's headers come back as text/rfc822-headers, with SES's trace fields.
    expect(eml).toContain("Content-Type: text/rfc822-headers\r\n");
    expect(eml).toContain("Subject: Quarterly report\r\n");
    expect(eml).toContain(`by inbound-smtp.us-east-1.amazonaws.com with SMTP id ${id}`);
    expect(ses.bounce(bounceId!)?.originalMessageId).toBe(id);
  });

  test("renderProfile default: the outbox holds dsnkit's RFC-clean layout, without SES's outbound fields", async () => {
    const t = await tempDir();
    const plain = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir: t.dir, rate: 0, domains: ["example.com"], identities: ["mailer-daemon@example.com"], clock: () => now, renderProfile: "default" });
    try {
      const id = await deliver(plain.smtpPort, mail(), "alice@example.org", ["bob@example.com"]);
      const r = await signedCall(plain.httpPort, bounceParams(id));
      const bounceId = /<MessageId>([^<]+)</.exec(r.body)![1]!;
      const eml = await readFile(plain.outboxPath(bounceId), "utf8");
      expect(eml).toMatch(/^From: mailer-daemon@example\.com\r\nTo: alice@example\.org\r\n/);
      expect(eml).toContain("Auto-Submitted: auto-replied\r\n");
      expect(eml).toContain("Arrival-Date: Thu, 26 Nov 2026 10:00:00 +0000\r\n");
      expect(eml).toContain(`Message-ID: <${bounceId}@us-east-1.amazonses.com>\r\n`);
      expect(eml).not.toContain("X-SES-Outgoing");
    } finally {
      await plain.close();
      await t.remove();
    }
  });

  test("an unknown OriginalMessageId is MessageRejected (400)", async () => {
    const r = await signedCall(ses.httpPort, bounceParams("010001a2174c3500-1b4e28ba-2fa1-41d2-883f-0016d3cca427-000000"));
    expect([r.status, r.code]).toEqual([400, "MessageRejected"]);
    expect(r.body).toContain("<Type>Sender</Type>");
    expect(r.message).toMatch(/was not received by this account/);
  });

  test("an original older than 24 hours is MessageRejected (400); at exactly 24 hours it is accepted", async () => {
    const old = await received({ at: new Date(now.getTime() - 24 * 3600_000 - 1000) });
    const r = await signedCall(ses.httpPort, bounceParams(old));
    expect([r.status, r.code]).toEqual([400, "MessageRejected"]);
    expect(r.message).toMatch(/more than 24 hours ago/);
    const edge = await received({ at: new Date(now.getTime() - 24 * 3600_000) });
    expect((await signedCall(ses.httpPort, bounceParams(edge))).status).toBe(200);
  });

  test("an unverified BounceSender is MessageRejected (400), naming the address and the region", async () => {
    const id = await received();
    const r = await signedCall(ses.httpPort, bounceParams(id, { BounceSender: "postmaster@example.net" }), { region: "eu-west-1" });
    expect([r.status, r.code]).toEqual([400, "MessageRejected"]);
    expect(r.message).toBe("Email address is not verified. The following identities failed the check in region EU-WEST-1: postmaster@example.net");
  });

  test("a verified domain (or parent domain) verifies its addresses; a display name is allowed", async () => {
    const id = await received();
    // example.com is a receiving domain, hence verified.
    const r = await signedCall(ses.httpPort, bounceParams(id, { BounceSender: "Mail Delivery <bounces@mx.example.com>" }));
    expect(r.status).toBe(200);
  });

  test("a Recipient that was not an envelope recipient of the original is MessageRejected (400)", async () => {
    const id = await received({ to: ["bob@example.com", "carol@example.com"] });
    const r = await signedCall(
      ses.httpPort,
      bounceParams(id, { "BouncedRecipientInfoList.member.2.Recipient": "mallory@example.com", "BouncedRecipientInfoList.member.2.BounceType": "DoesNotExist" }),
    );
    expect([r.status, r.code]).toEqual([400, "MessageRejected"]);
    expect(r.message).toContain("mallory@example.com (BouncedRecipientInfoList.member.2.Recipient) was not a recipient of message");
    // Case does not matter.
    const ok = await signedCall(ses.httpPort, bounceParams(id, { "BouncedRecipientInfoList.member.1.Recipient": "Carol@Example.COM" }));
    expect(ok.status).toBe(200);
  });

  test("an original with the null reverse-path cannot be bounced: MessageRejected (400)", async () => {
    const id = await received({ from: "" });
    const r = await signedCall(ses.httpPort, bounceParams(id));
    expect([r.status, r.code]).toEqual([400, "MessageRejected"]);
    expect(r.message).toMatch(/null reverse-path/);
  });

  test("a missing parameter is ValidationError (400) naming it", async () => {
    const id = await received();
    const params = bounceParams(id);
    delete params.BounceSender;
    const r = await signedCall(ses.httpPort, params);
    expect([r.status, r.code]).toEqual([400, "ValidationError"]);
    expect(r.message).toBe("1 validation error detected: BounceSender: BounceSender is required");
  });

  test("a bad BounceType is ValidationError (400) naming the wire parameter", async () => {
    const id = await received();
    const r = await signedCall(ses.httpPort, bounceParams(id, { "BouncedRecipientInfoList.member.1.BounceType": "NoSuchType" }));
    expect([r.status, r.code]).toEqual([400, "ValidationError"]);
    expect(r.message).toContain("BouncedRecipientInfoList.member.1.BounceType: BounceType \"NoSuchType\" is not one of DoesNotExist");
  });

  test("a bad Status is InvalidParameterValue (400) naming the wire parameter", async () => {
    const id = await received();
    const r = await signedCall(
      ses.httpPort,
      bounceParams(id, {
        "BouncedRecipientInfoList.member.1.RecipientDsnFields.Action": "failed",
        "BouncedRecipientInfoList.member.1.RecipientDsnFields.Status": "5.01.1",
      }),
    );
    expect([r.status, r.code]).toEqual([400, "InvalidParameterValue"]);
    expect(r.message).toMatch(/^BouncedRecipientInfoList\.member\.1\.RecipientDsnFields\.Status: Status "5\.01\.1" is not an RFC 3463 status code/);
  });

  test("an unknown parameter and a gap in a list are ValidationError (400)", async () => {
    const id = await received();
    const r = await signedCall(ses.httpPort, bounceParams(id, { BounceSendr: "x@example.com", "BouncedRecipientInfoList.member.3.Recipient": "bob@example.com" }));
    expect([r.status, r.code]).toEqual([400, "ValidationError"]);
    expect(r.message).toContain("BounceSendr is not a parameter of this action; did you mean BounceSender?");
    expect(r.message).toContain("BouncedRecipientInfoList.member.2 is missing");
  });

  test("explicit DSN fields, extension fields and dates travel through the query protocol", async () => {
    const id = await received();
    const r = await signedCall(
      ses.httpPort,
      bounceParams(id, {
        Explanation: "Bob left the company.",
        "MessageDsn.ReportingMta": "dns; mx.example.com",
        "MessageDsn.ArrivalDate": "2026-11-26T09:59:58Z",
        "MessageDsn.ExtensionFields.member.1.Name": "Rule",
        "MessageDsn.ExtensionFields.member.1.Value": "departed-staff",
        "BouncedRecipientInfoList.member.1.RecipientDsnFields.Action": "failed",
        "BouncedRecipientInfoList.member.1.RecipientDsnFields.Status": "5.1.6",
        "BouncedRecipientInfoList.member.1.RecipientDsnFields.DiagnosticCode": "smtp; 550 5.1.6 Recipient has moved",
        "BouncedRecipientInfoList.member.1.RecipientDsnFields.LastAttemptDate": "2026-11-26T09:59:59Z",
        "BouncedRecipientInfoList.member.1.RecipientDsnFields.ExtensionFields": "",
      }),
    );
    expect(r.status).toBe(200);
    const bounceId = /<MessageId>([^<]+)</.exec(r.body)![1]!;
    const eml = ses.bounce(bounceId)!.raw.toString("utf8");
    expect(eml).toContain("Bob left the company.");
    expect(eml).toContain("Reporting-MTA: dns; mx.example.com\r\nArrival-Date: Thu, 26 Nov 26 09:59:58 UTC\r\nX-Rule: departed-staff\r\n");
    expect(eml).toContain(
      "Action: failed\r\nFinal-Recipient: rfc822; bob@example.com\r\nOriginal-Recipient: rfc822; bob@example.com\r\n" +
        "Diagnostic-Code: smtp; 550 5.1.6 Recipient has moved\r\nStatus: 5.1.6\r\nLast-Attempt-Date: Thu, 26 Nov 2026 09:59:59 +0000\r\n",
    );
  });
});

describe("authentication", () => {
  const call = (o: Parameters<typeof signedCall>[2]) => signedCall(ses.httpPort, { Action: "ListIdentities" }, o);

  test("a valid signature from either configured key is accepted", async () => {
    expect((await call({})).status).toBe(200);
    expect((await call({ accessKeyId: "AKIDSECOND", secret: "second-secret", service: "email", region: "ap-southeast-2" })).status).toBe(200);
  });

  test("no Authorization header is MissingAuthenticationToken (403)", async () => {
    const r = await rawHttp(ses.httpPort, "POST", "/", { "content-type": "application/x-www-form-urlencoded" }, "Action=ListIdentities&Version=2010-12-01");
    expect([r.status, r.code, r.message]).toEqual([403, "MissingAuthenticationToken", "Request is missing Authentication Token"]);
  });

  test("a wrong secret is SignatureDoesNotMatch (403)", async () => {
    const r = await call({ secret: "not-the-secret" });
    expect([r.status, r.code]).toEqual([403, "SignatureDoesNotMatch"]);
    expect(r.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
  });

  test("a body changed after signing is SignatureDoesNotMatch (403)", async () => {
    const r = await call({
      after: (h, b) => {
        b.text = b.text.replace("ListIdentities", "ListIdentitieX");
        delete h["x-amz-content-sha256"];
      },
    });
    expect([r.status, r.code]).toEqual([403, "SignatureDoesNotMatch"]);
    const r2 = await call({ after: (_h, b) => void (b.text += "&MaxItems=1") });
    expect([r2.status, r2.code, r2.message]).toEqual([403, "SignatureDoesNotMatch", "The provided 'x-amz-content-sha256' header does not match what was computed."]);
  });

  test("a signed header changed after signing is SignatureDoesNotMatch (403)", async () => {
    const r = await call({ headers: { "x-test": "a" }, after: (h) => void (h["x-test"] = "b") });
    expect([r.status, r.code]).toEqual([403, "SignatureDoesNotMatch"]);
  });

  test("an unknown access key is InvalidClientTokenId (403)", async () => {
    const r = await call({ accessKeyId: "AKIDUNKNOWN" });
    expect([r.status, r.code, r.message]).toEqual([403, "InvalidClientTokenId", "The security token included in the request is invalid."]);
  });

  test("a signature dated over 15 minutes away is SignatureDoesNotMatch (403): expired or not yet current", async () => {
    const old = await call({ date: new Date(Date.now() - 16 * 60_000) });
    expect([old.status, old.code]).toEqual([403, "SignatureDoesNotMatch"]);
    expect(old.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
    const future = await call({ date: new Date(Date.now() + 16 * 60_000) });
    expect([future.status, future.code]).toEqual([403, "SignatureDoesNotMatch"]);
    expect(future.message).toMatch(/^Signature not yet current: /);
  });

  test("a credential scope for another service is SignatureDoesNotMatch (403)", async () => {
    const r = await call({ service: "sqs" });
    expect([r.status, r.code, r.message]).toEqual([403, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'ses'."]);
  });

  test("a scope date that is not the X-Amz-Date's is SignatureDoesNotMatch (403)", async () => {
    const r = await call({ after: (h) => void (h.authorization = h.authorization!.replace(/Credential=([^/]+)\/\d{8}\//, "Credential=$1/20000101/")) });
    expect([r.status, r.code]).toEqual([403, "SignatureDoesNotMatch"]);
    expect(r.message).toMatch(/^Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20000101' != '\d{8}'/);
  });

  test("an Authorization header missing parts is IncompleteSignature (400) listing each", async () => {
    const r = await call({ after: (h) => void (h.authorization = h.authorization!.replace(/, Signature=[0-9a-f]+/, "").replace(/, SignedHeaders=[^,]+/, "")) });
    expect([r.status, r.code]).toEqual([400, "IncompleteSignature"]);
    expect(r.message).toMatch(/^Authorization header requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\. Authorization=AWS4-HMAC-SHA256 Credential=/);
  });

  test("a component without '=' is IncompleteSignature (400)", async () => {
    const r = await call({ after: (h) => void (h.authorization = h.authorization!.replace("Credential=", "Credential ")) });
    expect([r.status, r.code]).toEqual([400, "IncompleteSignature"]);
    expect(r.message).toMatch(/not a valid key=value pair \(missing equal-sign\) in Authorization header/);
  });

  test("no X-Amz-Date is IncompleteSignature (400); a malformed one too", async () => {
    const r = await call({ after: (h) => void delete h["x-amz-date"] });
    expect([r.status, r.code]).toEqual([400, "IncompleteSignature"]);
    expect(r.message).toMatch(/^Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\./);
    const bad = await call({ after: (h) => void (h["x-amz-date"] = "2026-11-26T10:00:00Z") });
    expect([bad.status, bad.code]).toEqual([400, "IncompleteSignature"]);
    expect(bad.message).toMatch(/^Date must be in ISO-8601 'basic format'\. Got '2026-11-26T10:00:00Z'/);
  });

  test("another algorithm is IncompleteSignature (400)", async () => {
    const r = await call({ after: (h) => void (h.authorization = h.authorization!.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1")) });
    expect([r.status, r.code, r.message]).toEqual([400, "IncompleteSignature", "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1'"]);
  });

  test("authentication comes before the action: an unsigned SendBounce is MissingAuthenticationToken", async () => {
    const r = await rawHttp(ses.httpPort, "POST", "/", { "content-type": "application/x-www-form-urlencoded" }, "Action=NoSuchThing");
    expect(r.code).toBe("MissingAuthenticationToken");
  });

  test("a request signed for another path does not verify; one signed for its path does", async () => {
    const ok = await signedCall(ses.httpPort, { Action: "ListIdentities" }, { path: "/ses/v1" });
    expect(ok.status).toBe(200);
  });
});

describe("protocol", () => {
  test("an action ses-local does not implement is InvalidAction (400), never a hang", async () => {
    const r = await signedCall(ses.httpPort, { Action: "SendEmail" });
    expect([r.status, r.code]).toEqual([400, "InvalidAction"]);
    expect(r.message).toMatch(/^ses-local does not implement SendEmail/);
    const unknown = await signedCall(ses.httpPort, { Action: "Frobnicate" });
    expect([unknown.status, unknown.code, unknown.message]).toEqual([400, "InvalidAction", "Could not find operation Frobnicate for version 2010-12-01"]);
  });

  test("no Action is MissingAction (400)", async () => {
    const r = await signedCall(ses.httpPort, {});
    expect([r.status, r.code]).toEqual([400, "MissingAction"]);
  });

  test("a JSON body is InvalidAction (400) saying which protocol ses-local speaks", async () => {
    const r = await rawHttp(ses.httpPort, "POST", "/", { "content-type": "application/json" }, "{}");
    expect([r.status, r.code]).toEqual([400, "InvalidAction"]);
    expect(r.message).toMatch(/SES v1 query protocol/);
  });

  test("a body over the size limit is RequestEntityTooLarge (413)", async () => {
    const t = await tempDir();
    const small = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir: t.dir, maxRequestSize: 1024 });
    try {
      const r = await signedCall(small.httpPort, { Action: "ListIdentities", NextToken: "x".repeat(2000) });
      expect([r.status, r.code]).toEqual([413, "RequestEntityTooLarge"]);
      // Still serving after that.
      expect((await signedCall(small.httpPort, { Action: "ListIdentities" })).status).toBe(200);
    } finally {
      await small.close();
      await t.remove();
    }
  });

  test("a parameter given twice is InvalidParameterValue (400)", async () => {
    const r = await signedCall(ses.httpPort, { Action: "ListIdentities" }, { bodySuffix: "&MaxItems=1&MaxItems=2" });
    expect([r.status, r.code, r.message]).toEqual([400, "InvalidParameterValue", "The parameter MaxItems is given more than once."]);
  });
});

describe("identities", () => {
  test("VerifyEmailIdentity verifies an address; VerifyDomainIdentity a domain; ListIdentities lists them by type", async () => {
    expect((await signedCall(ses.httpPort, { Action: "VerifyEmailIdentity", EmailAddress: "ops@example.org" })).status).toBe(200);
    const d = await signedCall(ses.httpPort, { Action: "VerifyDomainIdentity", Domain: "Example.NET" });
    expect(d.status).toBe(200);
    expect(d.body).toMatch(/<VerifyDomainIdentityResult><VerificationToken>[^<]+<\/VerificationToken><\/VerifyDomainIdentityResult>/);
    const all = await signedCall(ses.httpPort, { Action: "ListIdentities" });
    const members = [...all.body.matchAll(/<member>([^<]+)<\/member>/g)].map((m) => m[1]);
    expect(members).toEqual(expect.arrayContaining(["example.com", "mailer-daemon@example.com", "ops@example.org", "example.net"]));
    const domains = await signedCall(ses.httpPort, { Action: "ListIdentities", IdentityType: "Domain" });
    expect([...domains.body.matchAll(/<member>([^<]+)<\/member>/g)].map((m) => m[1])).toEqual(["example.com", "example.net"]);
  });

  test("VerifyEmailIdentity without EmailAddress is ValidationError; with a bad one InvalidParameterValue", async () => {
    const r = await signedCall(ses.httpPort, { Action: "VerifyEmailIdentity" });
    expect([r.status, r.code]).toEqual([400, "ValidationError"]);
    const bad = await signedCall(ses.httpPort, { Action: "VerifyEmailIdentity", EmailAddress: "not an address" });
    expect([bad.status, bad.code]).toEqual([400, "InvalidParameterValue"]);
  });

  test("ListIdentities pages with MaxItems and NextToken", async () => {
    const first = await signedCall(ses.httpPort, { Action: "ListIdentities", MaxItems: "1" });
    const token = /<NextToken>([^<]+)<\/NextToken>/.exec(first.body)?.[1];
    expect(token).toBeDefined();
    const second = await signedCall(ses.httpPort, { Action: "ListIdentities", MaxItems: "1", NextToken: token! });
    expect(second.status).toBe(200);
    expect(/<member>([^<]+)</.exec(second.body)?.[1]).not.toBe(/<member>([^<]+)</.exec(first.body)?.[1]);
    const bad = await signedCall(ses.httpPort, { Action: "ListIdentities", IdentityType: "Phone" });
    expect([bad.status, bad.code]).toEqual([400, "ValidationError"]);
  });

  test("a BounceSender verified through VerifyEmailIdentity may send bounces", async () => {
    const id = await received();
    expect((await signedCall(ses.httpPort, bounceParams(id, { BounceSender: "ops@example.org" }))).status).toBe(200);
  });
});

/**
 * Runs `fn` against an emulator with the default rate (1 SendBounce per second per key) and three
 * keys: the usual one, AKIDSECOND and AKIDTHIRD; stops it afterwards.
 */
async function withRateLimited(fn: (limited: SesLocal) => Promise<void>): Promise<void> {
  const t = await tempDir();
  const limited = await startSesLocal({
    smtpPort: 0,
    httpPort: 0,
    dataDir: t.dir,
    domains: ["example.com"],
    credentials: [
      { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
      { accessKeyId: "AKIDSECOND", secretAccessKey: "second-secret" },
      { accessKeyId: "AKIDTHIRD", secretAccessKey: "third-secret" },
    ],
  });
  try {
    await fn(limited);
  } finally {
    await limited.close();
    await t.remove();
  }
}

describe("the per-account rate", () => {
  test("a second SendBounce within the second is Throttling (400); another key is not; after a second it goes through", async () => {
    await withRateLimited(async (limited) => {
      const id = await deliver(limited.smtpPort, mail());
      const params = bounceParams(id, { BounceSender: "postmaster@example.com" });
      expect((await signedCall(limited.httpPort, params)).status).toBe(200);
      const throttled = await signedCall(limited.httpPort, params);
      expect([throttled.status, throttled.code, throttled.message]).toEqual([400, "Throttling", "Maximum sending rate exceeded."]);
      expect(throttled.body).toContain("<Type>Sender</Type>");
      // The rate is per access key.
      expect((await signedCall(limited.httpPort, params, { accessKeyId: "AKIDSECOND", secret: "second-secret" })).status).toBe(200);
      // Other actions are not counted.
      expect((await signedCall(limited.httpPort, { Action: "ListIdentities" })).status).toBe(200);
      // Pacing: one call per second. Waiting 1 s plus 100 ms of tolerance lets the next one through.
      await new Promise((r) => setTimeout(r, 1100));
      expect((await signedCall(limited.httpPort, params)).status).toBe(200);
    });
  });
});

describe("what takes a token of the per-account rate", () => {
  test("a SendBounce that fails validation or a rule takes one; a refused signature or a request refused before the action takes none", async () => {
    await withRateLimited(async (limited) => {
      const id = await deliver(limited.smtpPort, mail());
      const params = bounceParams(id, { BounceSender: "postmaster@example.com" });
      // Refused before SendBounce runs: a wrong secret, a parameter given twice, an unknown action.
      const forged = await signedCall(limited.httpPort, params, { secret: "wrong" });
      expect([forged.status, forged.code]).toEqual([403, "SignatureDoesNotMatch"]);
      const twice = await signedCall(limited.httpPort, params, { bodySuffix: "&BounceSender=postmaster%40example.com" });
      expect([twice.status, twice.code]).toEqual([400, "InvalidParameterValue"]);
      expect((await signedCall(limited.httpPort, { Action: "SendEmail" })).code).toBe("InvalidAction");
      // ... so the key's token is still there.
      expect((await signedCall(limited.httpPort, params)).status).toBe(200);
      // The next one within the second is over the rate.
      expect((await signedCall(limited.httpPort, params)).code).toBe("Throttling");

      // A SendBounce that does not validate takes the token.
      const { BounceSender: _dropped, ...noSender } = params;
      const invalid = await signedCall(limited.httpPort, noSender, { accessKeyId: "AKIDSECOND", secret: "second-secret" });
      expect([invalid.status, invalid.code]).toEqual([400, "ValidationError"]);
      expect((await signedCall(limited.httpPort, params, { accessKeyId: "AKIDSECOND", secret: "second-secret" })).code).toBe("Throttling");

      // So does one refused by a rule (MessageRejected: no such original).
      const unknown = await signedCall(limited.httpPort, bounceParams("010001a2174c3500-1b4e28ba-2fa1-41d2-883f-0016d3cca427-000000", { BounceSender: "postmaster@example.com" }), { accessKeyId: "AKIDTHIRD", secret: "third-secret" });
      expect([unknown.status, unknown.code]).toEqual([400, "MessageRejected"]);
      expect((await signedCall(limited.httpPort, params, { accessKeyId: "AKIDTHIRD", secret: "third-secret" })).code).toBe("Throttling");
    });
  });
});

describe("a fault of the emulator", () => {
  test("an outbox that cannot be written is InternalFailure (500, Type Receiver), and the bounce is not kept", async () => {
    const t = await tempDir();
    const warnings: string[] = [];
    const broken = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir: t.dir, domains: ["example.com"], rate: 0, warn: (l) => warnings.push(l) });
    try {
      const id = await deliver(broken.smtpPort, mail());
      const outbox = join(t.dir, "outbox");
      await rm(outbox, { recursive: true });
      await writeFile(outbox, "not a directory");
      const r = await signedCall(broken.httpPort, bounceParams(id, { BounceSender: "postmaster@example.com" }));
      expect([r.status, r.code]).toEqual([500, "InternalFailure"]);
      expect(r.body).toContain("<Type>Receiver</Type>");
      expect(r.message).toMatch(/^The bounce could not be written to the outbox/);
      expect(broken.bounces()).toEqual([]);
      expect(warnings.join("\n")).toMatch(/could not write bounce/);
      // Once the outbox is back, the same call succeeds.
      await rm(outbox);
      await mkdir(outbox);
      expect((await signedCall(broken.httpPort, bounceParams(id, { BounceSender: "postmaster@example.com" }))).status).toBe(200);
      expect(broken.bounces()).toHaveLength(1);
    } finally {
      await broken.close();
      await t.remove();
    }
  });
});
