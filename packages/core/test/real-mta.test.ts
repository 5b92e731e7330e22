/**
 * DSNs that real MTAs wrote (made on loopback by scripts/fixtures/make-mta-dsns.sh; each fixture
 * folder's README says how), and SES-shaped ones written from the facts of SES's layout: what
 * parseDsn reads from each, and every finding of checkDsn. The tables were checked by eye against
 * the files. No error finding on a real MTA's DSN is a false one: each error rule that remains is
 * a requirement the message breaks, named in TRUE_ERRORS.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { checkDsn, parseDsn, ruleById } from "@dsnkit/core";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

/** The fixture folders of real MTAs (Postfix's are the samples made for the project before). */
const REAL_MTAS = ["postfix", "exim", "opensmtpd", "sendmail", "courier", "chasquid", "haraka"];

/**
 * The error rules real MTAs' DSNs break, each with the requirement and who breaks it. Any other
 * error finding on a real MTA's DSN fails the test below: it would be a false one.
 */
const TRUE_ERRORS: Record<string, string> = {
  "rfc6522.not-multipart-report": "OpenSMTPD writes multipart/mixed: a DSN is a multipart/report (RFC 3461 §6.2, RFC 3464 §2, RFC 6522 §3)",
  "rfc5322.obsolete-date": "Sendmail writes its Date field in GMT: obsolete syntax MUST NOT be generated (RFC 5322 §4, §4.3)",
  "rfc2045.mime-version-missing": "Haraka writes no MIME-Version: a MIME message MUST have one (RFC 2045 §4)",
  "rfc3464.mta-name-type": "Haraka writes Remote-MTA: 127.0.0.1: the field is mta-name-type \";\" mta-name (RFC 3464 §2.3.5)",
  "rfc5322.from-missing": "Haraka without its templates writes no From: From is required (RFC 5322 §3.6)",
};

type Recipient = [address: string, action: string | null, status: string | null];
interface Expected {
  recipients: Recipient[];
  /** Every finding of checkDsn, as [rule, line], in order. */
  findings: [string, number][];
}

const EXPECTED: Record<string, Expected> = {
  "exim/exim-local-userunknown.eml": {
    recipients: [["nosuchuser@exim.test", "failed", "5.0.0"]],
    findings: [["rfc5322.line-over-78", 10]],
  },
  "exim/exim-remote-delayed-expired.eml": {
    recipients: [["later@remote.test", "failed", "5.0.0"]],
    findings: [["rfc5322.line-over-78", 10], ["rfc5322.line-over-78", 39]],
  },
  "exim/exim-remote-delayed-warning.eml": {
    recipients: [["later@remote.test", "delayed", "4.0.0"]],
    findings: [["rfc5322.line-over-78", 9], ["rfc5322.line-over-78", 29]],
  },
  "exim/exim-remote-mailboxfull.eml": {
    recipients: [["full@remote.test", "failed", "5.0.0"]],
    findings: [["rfc5322.line-over-78", 10], ["rfc5322.line-over-78", 38]],
  },
  "exim/exim-remote-multi.eml": {
    recipients: [["unknown2@remote.test", "failed", "5.0.0"], ["policy@remote.test", "failed", "5.0.0"]],
    findings: [["rfc5322.line-over-78", 11], ["rfc5322.line-over-78", 44], ["rfc5322.line-over-78", 50]],
  },
  "exim/exim-remote-toobig.eml": {
    recipients: [["big@remote.test", "failed", "5.0.0"]],
    findings: [["rfc5322.line-over-78", 10]],
  },
  "exim/exim-remote-userunknown.eml": {
    recipients: [["unknown@remote.test", "failed", "5.0.0"]],
    findings: [["rfc5322.line-over-78", 10], ["rfc5322.line-over-78", 39]],
  },
  "opensmtpd/opensmtpd-remote-delayed-expired.eml": {
    recipients: [["later@remote.test", "delayed", "4.4.7"]],
    findings: [["rfc6522.not-multipart-report", 10], ["rfc3834.auto-submitted-missing", 12]],
  },
  "opensmtpd/opensmtpd-remote-delayed-warning.eml": {
    recipients: [["later@remote.test", "delayed", "4.0.0"]],
    findings: [["rfc6522.not-multipart-report", 10], ["rfc3834.auto-submitted-missing", 12], ["rfc5322.line-over-78", 26]],
  },
  "opensmtpd/opensmtpd-remote-mailboxfull.eml": {
    recipients: [["full@remote.test", "failed", "5.0.0"]],
    findings: [["rfc6522.not-multipart-report", 10], ["rfc3834.auto-submitted-missing", 12]],
  },
  "opensmtpd/opensmtpd-remote-multi.eml": {
    recipients: [["policy@remote.test", "failed", "5.0.0"], ["unknown2@remote.test", "failed", "5.0.0"]],
    findings: [["rfc6522.not-multipart-report", 10], ["rfc3834.auto-submitted-missing", 12], ["rfc5322.line-over-78", 26], ["rfc5322.line-over-78", 27]],
  },
  "opensmtpd/opensmtpd-remote-toobig.eml": {
    recipients: [["big@remote.test", "failed", "5.0.0"]],
    findings: [["rfc6522.not-multipart-report", 10], ["rfc3834.auto-submitted-missing", 12]],
  },
  "opensmtpd/opensmtpd-remote-userunknown.eml": {
    recipients: [["unknown@remote.test", "failed", "5.0.0"]],
    findings: [["rfc6522.not-multipart-report", 10], ["rfc3834.auto-submitted-missing", 12], ["rfc5322.line-over-78", 26]],
  },
  "sendmail/sendmail-local-userunknown.eml": {
    recipients: [["nosuchuser@sendmail.test", "failed", "5.1.1"]],
    findings: [["rfc5322.obsolete-date", 4]],
  },
  "sendmail/sendmail-remote-delayed-expired.eml": {
    recipients: [["later@remote.test", "failed", "4.4.7"]],
    findings: [["rfc5322.obsolete-date", 4], ["rfc5322.line-over-78", 23], ["rfc5322.line-over-78", 29], ["rfc5322.line-over-78", 45]],
  },
  "sendmail/sendmail-remote-delayed-warning.eml": {
    recipients: [["later@remote.test", "delayed", "4.3.0"]],
    findings: [["rfc5322.obsolete-date", 4], ["rfc5322.line-over-78", 30], ["rfc5322.line-over-78", 46]],
  },
  "sendmail/sendmail-remote-mailboxfull.eml": {
    recipients: [["full@remote.test", "failed", "5.2.2"]],
    findings: [["rfc5322.obsolete-date", 4], ["rfc5322.line-over-78", 43]],
  },
  "sendmail/sendmail-remote-multi.eml": {
    recipients: [["policy@remote.test", "failed", "5.7.1"], ["unknown2@remote.test", "failed", "5.1.1"]],
    findings: [["rfc5322.obsolete-date", 4], ["rfc5322.line-over-78", 25], ["rfc5322.line-over-78", 30], ["rfc5322.line-over-78", 46], ["rfc5322.line-over-78", 54]],
  },
  "sendmail/sendmail-remote-toobig.eml": {
    recipients: [["big@remote.test", "failed", "5.3.4"]],
    findings: [["rfc5322.obsolete-date", 4]],
  },
  "sendmail/sendmail-remote-userunknown.eml": {
    recipients: [["unknown@remote.test", "failed", "5.1.1"]],
    findings: [["rfc5322.obsolete-date", 4], ["rfc5322.line-over-78", 23], ["rfc5322.line-over-78", 28], ["rfc5322.line-over-78", 43]],
  },
  "haraka/haraka-notemplate-remote-multi.eml": {
    recipients: [["unknown2@remote.test", "failed", "5.1.1"], ["policy@remote.test", "failed", "5.7.1"]],
    findings: [["rfc5322.from-missing", 7], ["rfc2045.mime-version-missing", 7], ["rfc3834.auto-submitted-missing", 7], ["rfc3464.mta-name-type", 24], ["rfc5322.line-over-78", 25], ["rfc3464.mta-name-type", 30], ["rfc5322.line-over-78", 31], ["rfc5322.line-over-78", 39]],
  },
  "haraka/haraka-remote-delayed-expired.eml": {
    recipients: [["later@remote.test", "failed", "5.3.0"]],
    findings: [["rfc2045.mime-version-missing", 12], ["rfc5322.line-over-78", 16], ["rfc5322.line-over-78", 19], ["rfc5322.line-over-78", 31], ["rfc5322.line-over-78", 33], ["rfc5322.line-over-78", 47], ["rfc5322.line-over-78", 50], ["rfc5322.line-over-78", 51], ["rfc5322.line-over-78", 56], ["rfc5322.line-over-78", 57], ["rfc5322.line-over-78", 67], ["rfc3464.mta-name-type", 195], ["rfc5322.line-over-78", 196], ["rfc5322.line-over-78", 204]],
  },
  "haraka/haraka-remote-mailboxfull.eml": {
    recipients: [["full@remote.test", "failed", "5.2.2"]],
    findings: [["rfc2045.mime-version-missing", 12], ["rfc5322.line-over-78", 16], ["rfc5322.line-over-78", 19], ["rfc5322.line-over-78", 47], ["rfc5322.line-over-78", 50], ["rfc5322.line-over-78", 51], ["rfc5322.line-over-78", 56], ["rfc5322.line-over-78", 57], ["rfc3464.mta-name-type", 195], ["rfc5322.line-over-78", 196], ["rfc5322.line-over-78", 204]],
  },
  "haraka/haraka-remote-multi.eml": {
    recipients: [["unknown2@remote.test", "failed", "5.1.1"], ["policy@remote.test", "failed", "5.7.1"]],
    findings: [["rfc2045.mime-version-missing", 12], ["rfc5322.line-over-78", 16], ["rfc5322.line-over-78", 19], ["rfc5322.line-over-78", 31], ["rfc5322.line-over-78", 33], ["rfc5322.line-over-78", 34], ["rfc5322.line-over-78", 48], ["rfc5322.line-over-78", 51], ["rfc5322.line-over-78", 52], ["rfc5322.line-over-78", 57], ["rfc5322.line-over-78", 58], ["rfc5322.line-over-78", 68], ["rfc3464.mta-name-type", 196], ["rfc5322.line-over-78", 197], ["rfc3464.mta-name-type", 202], ["rfc5322.line-over-78", 203], ["rfc5322.line-over-78", 211]],
  },
  "haraka/haraka-remote-toobig.eml": {
    recipients: [["big@remote.test", "failed", "5.3.4"]],
    findings: [["rfc2045.mime-version-missing", 12], ["rfc5322.line-over-78", 16], ["rfc5322.line-over-78", 19], ["rfc5322.line-over-78", 47], ["rfc5322.line-over-78", 50], ["rfc5322.line-over-78", 51], ["rfc5322.line-over-78", 56], ["rfc5322.line-over-78", 57], ["rfc3464.mta-name-type", 195], ["rfc5322.line-over-78", 204]],
  },
  "haraka/haraka-remote-userunknown.eml": {
    recipients: [["unknown@remote.test", "failed", "5.1.1"]],
    findings: [["rfc2045.mime-version-missing", 12], ["rfc5322.line-over-78", 16], ["rfc5322.line-over-78", 19], ["rfc5322.line-over-78", 33], ["rfc5322.line-over-78", 47], ["rfc5322.line-over-78", 50], ["rfc5322.line-over-78", 51], ["rfc5322.line-over-78", 56], ["rfc5322.line-over-78", 57], ["rfc3464.mta-name-type", 195], ["rfc5322.line-over-78", 196], ["rfc5322.line-over-78", 204]],
  },
  "chasquid/chasquid-remote-mailboxfull.eml": {
    recipients: [["full@remote.test", "failed", "5.0.0"]],
    findings: [["rfc6533.global-type-unneeded", 32], ["rfc5322.line-over-78", 42]],
  },
  "chasquid/chasquid-remote-multi.eml": {
    recipients: [["unknown2@remote.test", "failed", "5.0.0"], ["policy@remote.test", "failed", "5.0.0"]],
    findings: [["rfc5322.line-over-78", 28], ["rfc6533.global-type-unneeded", 34], ["rfc5322.line-over-78", 44], ["rfc5322.line-over-78", 50]],
  },
  "chasquid/chasquid-remote-toobig.eml": {
    recipients: [["big@remote.test", "failed", "5.0.0"]],
    findings: [["rfc6533.global-type-unneeded", 32]],
  },
  "chasquid/chasquid-remote-userunknown.eml": {
    recipients: [["unknown@remote.test", "failed", "5.0.0"]],
    findings: [["rfc5322.line-over-78", 28], ["rfc6533.global-type-unneeded", 32], ["rfc5322.line-over-78", 42]],
  },
  "courier/courier-remote-delayed-expired.eml": {
    recipients: [["later@remote.test", "failed", "5.0.0"]],
    findings: [["rfc5322.line-over-78", 4], ["rfc3834.auto-submitted-missing", 14], ["rfc3464.dns-name", 55], ["rfc3464.dns-name", 60], ["rfc5322.line-over-78", 61], ["rfc5322.line-over-78", 70]],
  },
  "courier/courier-remote-delayed-warning.eml": {
    recipients: [["later@remote.test", "delayed", "4.0.0"]],
    findings: [["rfc5322.line-over-78", 4], ["rfc3834.auto-submitted-missing", 14], ["rfc3464.dns-name", 68], ["rfc5322.line-over-78", 82]],
  },
  "courier/courier-remote-mailboxfull.eml": {
    recipients: [["full@remote.test", "failed", "5.0.0"]],
    findings: [["rfc5322.line-over-78", 4], ["rfc3834.auto-submitted-missing", 14], ["rfc3464.dns-name", 55], ["rfc3464.dns-name", 60], ["rfc5322.line-over-78", 61], ["rfc5322.line-over-78", 70]],
  },
  "courier/courier-remote-multi.eml": {
    recipients: [["unknown2@remote.test", "failed", "5.0.0"], ["policy@remote.test", "failed", "5.0.0"]],
    findings: [["rfc5322.line-over-78", 4], ["rfc3834.auto-submitted-missing", 14], ["rfc5322.line-over-78", 38], ["rfc3464.dns-name", 60], ["rfc3464.dns-name", 65], ["rfc5322.line-over-78", 66], ["rfc3464.dns-name", 71], ["rfc5322.line-over-78", 72], ["rfc5322.line-over-78", 81]],
  },
  "courier/courier-remote-toobig.eml": {
    recipients: [["big@remote.test", "failed", "5.0.0"]],
    findings: [["rfc5322.line-over-78", 4], ["rfc3834.auto-submitted-missing", 14], ["rfc3464.dns-name", 55], ["rfc3464.dns-name", 60], ["rfc5322.line-over-78", 70]],
  },
  "courier/courier-remote-userunknown.eml": {
    recipients: [["unknown@remote.test", "failed", "5.0.0"]],
    findings: [["rfc5322.line-over-78", 4], ["rfc3834.auto-submitted-missing", 14], ["rfc5322.line-over-78", 38], ["rfc3464.dns-name", 55], ["rfc3464.dns-name", 60], ["rfc5322.line-over-78", 61], ["rfc5322.line-over-78", 70]],
  },
  "postfix/postfix-local-mailboxfull.eml": {
    recipients: [["smallbox@localhost", "failed", "5.2.2"]],
    findings: [["rfc5322.lf-line-ends", 1]],
  },
  "postfix/postfix-local-userunknown.eml": {
    recipients: [["nosuchuser@localhost", "failed", "5.1.1"]],
    findings: [["rfc5322.lf-line-ends", 1]],
  },
  "postfix/postfix-remote-contentrejected.eml": {
    recipients: [["blocked@remote.test", "failed", "5.7.1"]],
    findings: [["rfc5322.lf-line-ends", 1], ["rfc5322.line-over-78", 37]],
  },
  "postfix/postfix-remote-delayed-expired.eml": {
    recipients: [["quota@remote.test", "failed", "4.2.2"]],
    findings: [["rfc5322.lf-line-ends", 1]],
  },
  "postfix/postfix-remote-delayed-warning.eml": {
    recipients: [["quota@remote.test", "delayed", "4.2.2"]],
    findings: [["rfc5322.lf-line-ends", 1]],
  },
  "postfix/postfix-remote-multi.eml": {
    recipients: [["blocked@remote.test", "failed", "5.7.1"], ["nobody@remote.test", "failed", "5.1.1"]],
    findings: [["rfc5322.lf-line-ends", 1], ["rfc5322.line-over-78", 37]],
  },
  "postfix/postfix-remote-toobig-data.eml": {
    recipients: [["big@remote2.test", "failed", "5.3.4"]],
    findings: [["rfc5322.lf-line-ends", 1]],
  },
  "postfix/postfix-remote-toobig.eml": {
    recipients: [["big@remote.test", "failed", "5.3.4"]],
    findings: [["rfc5322.lf-line-ends", 1]],
  },
  "postfix/postfix-remote-userunknown.eml": {
    recipients: [["nobody@remote.test", "failed", "5.1.1"]],
    findings: [["rfc5322.lf-line-ends", 1]],
  },
  "postfix/postfix-smtputf8-userunknown.eml": {
    recipients: [["nobody@remote.test", "failed", "5.1.1"]],
    findings: [["rfc5322.lf-line-ends", 1], ["rfc6533.global-type-unneeded", 41]],
  },
};

const SES_SHAPED: Record<string, Expected> = {
  "ses-shaped/ses-contentrejected.eml": {
    recipients: [["picky@example.com", "failed", "5.6.1"]],
    findings: [["rfc5322.line-over-78", 4], ["rfc5322.line-over-78", 11], ["rfc3834.auto-submitted-missing", 12], ["rfc5322.obsolete-date", 25]],
  },
  "ses-shaped/ses-doesnotexist.eml": {
    recipients: [["nobody@example.com", "failed", "5.1.1"]],
    findings: [["rfc5322.line-over-78", 4], ["rfc5322.line-over-78", 11], ["rfc3834.auto-submitted-missing", 12], ["rfc5322.obsolete-date", 25]],
  },
  "ses-shaped/ses-exceededquota.eml": {
    recipients: [["full@example.com", "failed", "5.2.2"]],
    findings: [["rfc5322.line-over-78", 4], ["rfc5322.line-over-78", 11], ["rfc3834.auto-submitted-missing", 12], ["rfc5322.obsolete-date", 25]],
  },
  "ses-shaped/ses-messagetoolarge.eml": {
    recipients: [["big@example.com", "failed", "5.3.4"]],
    findings: [["rfc5322.line-over-78", 4], ["rfc5322.line-over-78", 11], ["rfc3834.auto-submitted-missing", 12], ["rfc5322.obsolete-date", 25]],
  },
  "ses-shaped/ses-multi.eml": {
    recipients: [["nobody@example.com", "failed", "5.1.1"], ["later@example.com", "failed", "4.0.0"], ["full@example.com", "failed", "5.2.2"]],
    findings: [["rfc5322.line-over-78", 4], ["rfc5322.line-over-78", 11], ["rfc3834.auto-submitted-missing", 12], ["rfc5322.obsolete-date", 25], ["rfc3464.empty-block", 33], ["rfc3464.empty-block", 40]],
  },
  "ses-shaped/ses-temporaryfailure.eml": {
    recipients: [["later@example.com", "failed", "4.0.0"]],
    findings: [["rfc5322.line-over-78", 4], ["rfc5322.line-over-78", 11], ["rfc3834.auto-submitted-missing", 12], ["rfc5322.obsolete-date", 25]],
  },
};

function read(file: string): { raw: Buffer; recipients: Recipient[] } {
  const raw = readFileSync(join(fixtures, file));
  const dsn = parseDsn(raw);
  return { raw, recipients: dsn.deliveryStatus.recipients.map((r) => [r.finalRecipient.address, r.action ?? null, r.status ?? null]) };
}

/** How many Final-Recipient fields the file has: the recipient count, read without the parser. */
const finalRecipients = (raw: Buffer) => (raw.toString("latin1").match(/^Final-Recipient:/gim) ?? []).length;

describe("DSNs written by real MTAs", () => {
  const files = REAL_MTAS.flatMap((d) => {
    let names: string[] = [];
    try {
      names = readdirSync(join(fixtures, d));
    } catch {
      // a folder not made (yet)
    }
    return names.filter((f) => f.endsWith(".eml")).map((f) => `${d}/${f}`);
  });

  test("every fixture has its expectations, and every expectation its fixture", () => {
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(new Set(files.map((f) => f.split("/")[0])).size).toBeGreaterThanOrEqual(6);
  });

  test.each(Object.keys(EXPECTED))("%s", (file) => {
    const want = EXPECTED[file]!;
    const { raw, recipients } = read(file);
    expect(recipients).toEqual(want.recipients);
    expect(recipients).toHaveLength(finalRecipients(raw));
    const findings = checkDsn(raw);
    expect(findings.map((f) => [f.rule, f.line])).toEqual(want.findings);
    for (const f of findings) {
      const rule = ruleById(f.rule);
      expect(f).toMatchObject({ rfc: rule.rfc, severity: rule.severity });
      if (f.severity === "error") expect(Object.keys(TRUE_ERRORS), `${file}:${f.line}: ${f.rule}: ${f.message}`).toContain(f.rule);
    }
  });
});

describe("SES-shaped DSNs (Action first, two empty lines after each block) read one recipient per block, as written", () => {
  test.each(Object.keys(SES_SHAPED))("%s", (file) => {
    const want = SES_SHAPED[file]!;
    const { raw, recipients } = read(file);
    expect(recipients).toEqual(want.recipients);
    expect(recipients).toHaveLength(finalRecipients(raw));
    // The written Action and Status of every block, in order, read without the parser.
    const text = raw.toString("latin1");
    const written = [...text.matchAll(/^Action: (.*)\r\nFinal-Recipient: rfc822; (.*)\r\n(?:.*\r\n)*?Status: (.*)\r\n/gm)].map((m) => [m[2], m[1], m[3]]);
    expect(recipients).toEqual(written);
    const dsn = parseDsn(raw);
    expect(dsn.tolerances.map((t) => t.code)).not.toContain("ds-block-separator-missing");
    expect(checkDsn(raw).map((f) => [f.rule, f.line])).toEqual(want.findings);
  });

  test("a TemporaryFailure bounce stays failed with 4.0.0, as SES writes it", () => {
    expect(read("ses-shaped/ses-temporaryfailure.eml").recipients).toEqual([["later@example.com", "failed", "4.0.0"]]);
  });
});
