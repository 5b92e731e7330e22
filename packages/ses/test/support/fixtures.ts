/**
 * Shared pieces of the @dsnkit/ses tests: a real SESClient pointed at the fake, requests, and a
 * sleep that does not wait.
 */
import { SESClient } from "@aws-sdk/client-ses";
import type { SESClientConfig } from "@aws-sdk/client-ses";
import type { SendBounceRequest } from "@dsnkit/core";
import type { SesQueryFake } from "./ses-query-fake.js";

/**
 * A real AWS SDK client for the fake, with static credentials. `maxAttempts` is left at the SDK's
 * default (3) unless given: dsnkit must make one attempt per call whatever the client says.
 */
export function clientFor(fake: SesQueryFake, config: SESClientConfig = {}): SESClient {
  return new SESClient({
    endpoint: fake.endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
    ...config,
  });
}

/** A small valid request. */
export function bounce(id = "0100019abc-0000", recipients: string[] = ["nobody@example.com"]): SendBounceRequest {
  return {
    OriginalMessageId: id,
    BounceSender: "mailer-daemon@example.com",
    BouncedRecipientInfoList: recipients.map((Recipient) => ({ Recipient, BounceType: "DoesNotExist" as const })),
  };
}

/** The OriginalMessageId of a recorded request. */
export function originalId(form: [string, string][]): string | undefined {
  return form.find(([k]) => k === "OriginalMessageId")?.[1];
}

/**
 * A sleep that returns at once (rejecting if aborted) and records what it was asked for: backoff
 * waits (the queue passes a signal) in `log`, pacing waits (no signal) in `pacing`.
 */
export function instantSleep(): { sleep: (ms: number, signal?: AbortSignal) => Promise<void>; log: number[]; pacing: number[] } {
  const log: number[] = [];
  const pacing: number[] = [];
  return {
    log,
    pacing,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      (signal === undefined ? pacing : log).push(ms);
      // Let other work run, as a real timer would.
      await new Promise<void>((r) => setImmediate(r));
      signal?.throwIfAborted();
    },
  };
}

/** Encodes form pairs the way the AWS query protocol does (RFC 3986: also ! ' ( ) *). */
export function queryEncode(pairs: readonly (readonly [string, string])[]): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join("&");
}
