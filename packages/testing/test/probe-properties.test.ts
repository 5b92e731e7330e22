/**
 * The probe's properties on hand-made runs: a DSN written right breaks none, and each departure
 * breaks the property that names it (and no other).
 */
import { describe, expect, test } from "vitest";
import { renderDsn } from "@dsnkit/core";
import type { Bounce } from "@dsnkit/core";
import { checkScenarioRun, createMasker, exercisedProperties, expectedFailures, materializeScenario, reportedFailures } from "../src/index.js";
import type { ProbeScenario, ScenarioRun } from "../src/index.js";

const scenario: ProbeScenario = {
  sender: { local: "sender", form: "atom" },
  envid: "QQ 1+2",
  smtputf8: false,
  recipients: [
    { local: "ann", form: "atom", notify: ["FAILURE"], orcpt: { type: "rfc822", address: "list+ann@origin.example" }, reply: { code: 550, enhanced: "5.1.1", lines: ["no such user", "Status: 2.0.0 (injected)"] } },
    { local: "bob", form: "atom", reply: { code: 250, lines: ["ok"] } },
    { local: "cy", form: "atom", notify: "NEVER", reply: { code: 554, lines: ["refused"] } },
  ],
  dataReply: { code: 250, lines: ["queued"] },
  message: { subject: "hello", extraHeaders: 0, body: "plain", bodyLines: 2, sizePercent: 90 },
};

const sent = materializeScenario(scenario, "t1", { domain: "probe.test", returnDomain: "return.probe.test" });

/** A DSN for recipient 0 as a conforming MTA writes it, with `edit` applied to its text. */
function dsn(edit: (text: string) => string = (t) => t): Uint8Array {
  const bounce: Bounce = {
    from: { address: "mailer-daemon@mta.test" },
    to: sent.sender,
    subject: "Undelivered Mail Returned to Sender",
    date: new Date("2026-02-02T10:00:00Z"),
    messageId: "<b1@mta.test>",
    explanation: "The remote server refused it.\n",
    deliveryStatus: {
      perMessage: { originalEnvelopeId: "QQ 1+2", reportingMta: { type: "dns", name: "mta.test" }, extensionFields: [] },
      recipients: [
        {
          originalRecipient: { type: "rfc822", address: "list+ann@origin.example" },
          finalRecipient: { type: "rfc822", address: sent.recipients[0]!.address },
          action: "failed",
          status: "5.1.1",
          diagnosticCode: { type: "smtp", text: "550 5.1.1 no such user Status: 2.0.0 (injected)" },
          extensionFields: [],
        },
      ],
    },
    original: sent.message,
  };
  return new TextEncoder().encode(edit(renderDsn(bounce, { boundary: "b0undary" }).raw));
}

function run(dsns: Uint8Array[], over: Partial<ScenarioRun> = {}): ScenarioRun {
  return {
    tag: "t1",
    scenario,
    sent,
    submission: { transcript: [], mail: true, accepted: [true, true, true], data: true },
    remote: {
      transcript: [],
      replies: sent.recipients.map((r) => ({ address: r.address, stage: "rcpt" as const, reply: r.reply })),
    },
    dsns: dsns.map((raw) => ({ mailFrom: "", rcptTo: [sent.sender], raw, transcript: [] })),
    timedOut: false,
    ...over,
  };
}

const errors = (r: ScenarioRun) => checkScenarioRun(r).filter((f) => f.severity === "error").map((f) => f.property);

describe("checkScenarioRun", () => {
  test("a DSN written right breaks no property", () => {
    expect(errors(run([dsn()]))).toEqual([]);
    expect(expectedFailures(run([dsn()]))).toEqual([0]);
    expect(reportedFailures(run([dsn()]))).toEqual([0]);
    expect(exercisedProperties(run([dsn()]))).toEqual(expect.arrayContaining(["probe.status", "probe.original-envelope-id", "probe.no-injection", "probe.notify-never"]));
  });

  test.each([
    [["probe.original-envelope-id"], (t: string) => t.replace("Original-Envelope-Id: QQ 1+2\r\n", "")],
    [["probe.original-envelope-id"], (t: string) => t.replace("Original-Envelope-Id: QQ 1+2", "Original-Envelope-Id: QQ+201+2B2")],
    [["probe.original-recipient"], (t: string) => t.replace("Original-Recipient: rfc822; list+ann@origin.example\r\n", "")],
    [["probe.original-recipient"], (t: string) => t.replace("list+ann@origin.example", "list+2Bann@origin.example")],
    [["probe.status"], (t: string) => t.replace("Status: 5.1.1", "Status: 5.0.0")],
    [["probe.diagnostic-code"], (t: string) => t.replace("550 5.1.1 no such user Status: 2.0.0 (injected)", "550 no such user")],
    [["probe.auto-submitted"], (t: string) => t.replace("Auto-Submitted: auto-replied\r\n", "")],
    // Matched on Original-Recipient? No: that is ORCPT's address, not a RCPT address. So: a block about nobody, and no DSN for ann.
    [["probe.final-recipient", "probe.dsn-missing"], (t: string) => t.replace("Final-Recipient: rfc822; t1r0.ann@probe.test", "Final-Recipient: rfc822; someone@probe.test")],
  ])("%j: broken by a DSN that gets it wrong (%#)", (properties, edit) => {
    expect(errors(run([dsn(edit)])).filter((p) => p !== "probe.dsn-conforms")).toEqual(properties);
  });

  test("a reply line written as a line of its own is an injection", () => {
    const injected = dsn((t) => t.replace(/Diagnostic-Code: smtp; 550 5\.1\.1 no such user\s+Status: 2\.0\.0 \(injected\)/, "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\nStatus: 2.0.0 (injected)"));
    expect(errors(run([injected]))).toContain("probe.no-injection");
  });

  test("the envelope of a DSN: MAIL FROM:<> to the envelope sender", () => {
    const r = run([dsn()]);
    r.dsns[0]!.mailFrom = "mailer-daemon@mta.test";
    r.dsns[0]!.rcptTo = [sent.sender, "postmaster@mta.test"];
    expect(errors(r)).toEqual(["probe.null-reverse-path", "probe.dsn-recipient"]);
  });

  test("no DSN for a failed recipient is dsn-missing; a DSN for NOTIFY=NEVER is notify-never", () => {
    expect(errors(run([]))).toEqual(["probe.dsn-missing"]);
    const never = dsn((t) => t.replace(/t1r0\.ann@probe\.test/g, sent.recipients[2]!.address).replace("Original-Recipient: rfc822; list+ann@origin.example\r\n", "").replace("550 5.1.1 no such user Status: 2.0.0 (injected)", "554 refused").replace("Status: 5.1.1", "Status: 5.0.0"));
    expect(errors(run([dsn(), never]))).toEqual(["probe.notify-never"]);
  });

  test("RET=HDRS: the body must not come back", () => {
    const r = run([dsn((t) => t.replace("text/rfc822-headers", "message/rfc822"))], { scenario: { ...scenario, ret: "HDRS" } });
    expect(errors(r)).toContain("probe.ret-hdrs");
  });

  test("a recipient the MTA refused at RCPT, or that the remote server took, must not be reported failed", () => {
    expect(errors(run([dsn()], { submission: { transcript: [], mail: true, accepted: [false, true, true], data: true } }))).toContain("probe.final-recipient");
  });
});

describe("createMasker", () => {
  test("dates, the target's ids and the probe's ports", () => {
    const mask = createMasker({ volatile: ["\\b[0-9A-F]{10}\\b"], ports: { 40123: "remote-port" } });
    expect(mask("Arrival-Date: Thu, 26 Nov 2026 08:01:05 +0000 (UTC)")).toBe("Arrival-Date: <date>");
    expect(mask("id F1DE217009E; 2026-11-26T08:01:05.123Z")).toBe("id F1DE217009E; <date>");
    expect(mask("queued as 4F1A2B3C4D")).toBe("queued as <id>");
    expect(mask("via 127.0.0.1[127.0.0.1]:40123: 250")).toBe("via 127.0.0.1[127.0.0.1]:<remote-port>: 250");
    expect(mask("5.1.1 user 401234 ok")).toBe("5.1.1 user 401234 ok");
  });
});
