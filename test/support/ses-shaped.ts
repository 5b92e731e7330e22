/**
 * The SES-shaped bounces in packages/core/test/fixtures/ses-shaped/ (written by
 * scripts/fixtures/ses-shaped.mjs from the layout facts of issue 15): each file's name, and the
 * recipients and BounceTypes of the SendBounce request it answers. The original was sent by
 * sender@sender.example.org; its header has the fields ses-local stores (Return-Path, Received,
 * From, To, Subject, Date, Message-ID, MIME-Version, Content-Type).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { BounceType } from "@dsnkit/core";

/** The Status SES writes for each BounceType (SPEC's defaults table), as the readers should find it. */
export const SES_STATUS: Record<BounceType, string> = {
  DoesNotExist: "5.1.1",
  ExceededQuota: "5.2.2",
  MessageTooLarge: "5.3.4",
  ContentRejected: "5.6.1",
  Undefined: "5.0.0",
  TemporaryFailure: "4.0.0",
};

export const SES_SHAPED_DIR = resolve(import.meta.dirname, "../../packages/core/test/fixtures/ses-shaped");
export const SES_SHAPED_SENDER = "sender@sender.example.org";

export const SES_SHAPED: { file: string; region: string; recipients: [string, BounceType][] }[] = [
  { file: "ses-doesnotexist.eml", region: "us-east-1", recipients: [["nobody@example.com", "DoesNotExist"]] },
  { file: "ses-messagetoolarge.eml", region: "us-west-2", recipients: [["big@example.com", "MessageTooLarge"]] },
  { file: "ses-exceededquota.eml", region: "eu-west-1", recipients: [["full@example.com", "ExceededQuota"]] },
  { file: "ses-contentrejected.eml", region: "us-east-1", recipients: [["picky@example.com", "ContentRejected"]] },
  { file: "ses-temporaryfailure.eml", region: "us-east-1", recipients: [["later@example.com", "TemporaryFailure"]] },
  {
    file: "ses-multi.eml",
    region: "eu-west-1",
    recipients: [
      ["nobody@example.com", "DoesNotExist"],
      ["later@example.com", "TemporaryFailure"],
      ["full@example.com", "ExceededQuota"],
    ],
  },
];

/** A fixture's text. */
export function sesShaped(file: string): string {
  return readFileSync(join(SES_SHAPED_DIR, file), "utf8");
}
