import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { MessageRejected } from "@aws-sdk/client-ses";
import type { SESClient } from "@aws-sdk/client-ses";
import {
  BounceOutcomeUnknownError,
  BounceQueue,
  BounceRejectedError,
  BounceServiceError,
  BounceThrottledError,
  BounceValidationError,
  BounceWindowExpiredError,
  sendBounce,
} from "@dsnkit/ses";
import type { BounceQueueEvent, SendBounceRequest } from "@dsnkit/ses";
import { startSesQueryFake } from "./support/ses-query-fake.js";
import type { Reply, SesQueryFake } from "./support/ses-query-fake.js";
import { bounce, clientFor, instantSleep, originalId } from "./support/fixtures.js";

let fake: SesQueryFake;
let client: SESClient;

beforeEach(async () => {
  fake = await startSesQueryFake();
  client = clientFor(fake);
});
afterEach(async () => {
  client.destroy();
  await fake.close();
});

const THROTTLED: Reply = { kind: "error", code: "Throttling", message: "Maximum sending rate exceeded." };

/** A sleep that waits until the test releases it (or its signal aborts). */
function gatedSleep() {
  const pending: { ms: number; resolve: () => void }[] = [];
  return {
    pending,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const item = { ms, resolve };
        pending.push(item);
        signal?.addEventListener(
          "abort",
          () => {
            pending.splice(pending.indexOf(item), 1);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    },
    releaseAll(): void {
      for (const item of pending.splice(0)) item.resolve();
    },
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function requestsFor(id: string): number {
  return fake.requests.filter((r) => originalId(r.form) === id).length;
}

describe("pacing", () => {
  test("20 bounces queued at once by concurrent callers, at rate 10/s, reach the server no faster than 10/s; all are sent once", async () => {
    await sendBounce(client, bounce("warm-up")); // connection and credentials ready before measuring
    const queue = new BounceQueue(client, { rate: 10 });
    const ids = Array.from({ length: 20 }, (_, i) => `paced-${i}`);
    // Four callers, each enqueueing five bounces on its own schedule.
    const callers = [0, 1, 2, 3].map(async (c) => {
      await new Promise((r) => setTimeout(r, c * 7));
      return Promise.all(ids.filter((_, i) => i % 4 === c).map((id) => queue.enqueue(bounce(id))));
    });
    const results = (await Promise.all(callers)).flat();
    expect(results).toHaveLength(20);
    expect(new Set(results.map((r) => r.messageId)).size).toBe(20);
    const arrivals = fake.requests.slice(1);
    expect(arrivals).toHaveLength(20);
    for (const id of ids) expect(requestsFor(id)).toBe(1);
    expect(queue.counts).toEqual({ waiting: 0, inFlight: 0, sent: 20, failed: 0, cancelled: 0, retries: 0 });

    // Server-side arrival times include each request's trip through the SDK and the socket on a
    // shared event loop; on a loaded machine one request can be held up for tens of milliseconds,
    // shortening the gap after it. So the rate is judged by statistics that one delayed request
    // cannot sway, with these tolerances:
    // - the median gap between consecutive arrivals is at least 100 ms - 15 ms (a burst of two
    //   requests at a time would put it near 0);
    // - the least-squares interval over the 20 arrivals is at least 100 ms - 5 ms, a measured rate
    //   of at most 10.5 per second (one request held up 100 ms moves it by under 1.5 ms).
    const times = arrivals.map((r) => r.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!).sort((a, b) => a - b);
    const median = (gaps[9]! + gaps[10]!) / 2;
    const mean = (times.reduce((a, b) => a + b) / times.length);
    const slope =
      times.reduce((acc, t, k) => acc + (k - 9.5) * (t - mean), 0) / times.reduce((acc, _t, k) => acc + (k - 9.5) ** 2, 0);
    expect(median).toBeGreaterThanOrEqual(100 - 15);
    expect(slope).toBeGreaterThanOrEqual(100 - 5);
  });

  test("the server throttles every third request: every bounce still succeeds exactly once", async () => {
    const succeeded = new Map<string, number>();
    fake.setScript((req, i) => {
      if (i % 3 === 2) return THROTTLED;
      const id = originalId(req.form)!;
      succeeded.set(id, (succeeded.get(id) ?? 0) + 1);
      return { kind: "success", messageId: `ses-${id}` };
    });
    const events: BounceQueueEvent[] = [];
    const queue = new BounceQueue(client, { rate: 50, baseDelayMs: 20, onProgress: (e) => events.push(e) });
    const ids = Array.from({ length: 20 }, (_, i) => `every-third-${i}`);
    const results = await Promise.all(ids.map((id) => queue.enqueue(bounce(id))));

    expect(results.map((r) => r.messageId)).toEqual(ids.map((id) => `ses-${id}`));
    expect([...succeeded.values()].every((n) => n === 1)).toBe(true);
    expect(succeeded.size).toBe(20);
    const throttled = fake.requests.length - 20;
    expect(throttled).toBe(Math.floor(fake.requests.length / 3));
    expect(events.filter((e) => e.type === "retry")).toHaveLength(throttled);
    expect(queue.counts).toMatchObject({ sent: 20, failed: 0, retries: throttled });
  });

  test("Throttling with Retry-After: 1 — the retry reaches the server at least 1 s - 15 ms after the throttled request", async () => {
    fake.setScript([{ ...THROTTLED, headers: { "Retry-After": "1" } } as Reply]);
    const queue = new BounceQueue(client, { rate: 100, baseDelayMs: 1 });
    const result = await queue.enqueue(bounce("retry-after"));
    expect(result.attempts).toBe(2);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.at - fake.requests[0]!.at).toBeGreaterThanOrEqual(1000 - 15);
  });
});

describe("retries", () => {
  test("Retry-After in seconds is honoured: the queue waits what SES asked, however small the backoff", async () => {
    fake.setScript([{ ...THROTTLED, headers: { "Retry-After": "2" } } as Reply]);
    const { sleep, log } = instantSleep();
    const events: BounceQueueEvent[] = [];
    const queue = new BounceQueue(client, { sleep, random: () => 0, onProgress: (e) => events.push(e) });
    await expect(queue.enqueue(bounce())).resolves.toEqual({ messageId: "fake-2", attempts: 2 });
    expect(log[0]).toBe(2000);
    expect(events.map((e) => e.type)).toEqual(["queued", "retry", "sent"]);
    expect(events[1]).toMatchObject({ type: "retry", attempt: 1, delayMs: 2000, reason: "throttled" });
    expect(fake.requests).toHaveLength(2);
  });

  test("Retry-After as an HTTP date is read against the queue's clock", async () => {
    fake.setScript([{ ...THROTTLED, headers: { "Retry-After": "Thu, 26 Nov 2026 10:00:05 GMT" } } as Reply]);
    const { sleep, log } = instantSleep();
    const queue = new BounceQueue(client, { sleep, random: () => 0, now: () => new Date("2026-11-26T10:00:00Z") });
    await queue.enqueue(bounce());
    expect(log[0]).toBe(5000);
    expect(fake.requests).toHaveLength(2);
  });

  test("500 then success: one retry, two requests", async () => {
    fake.setScript([{ kind: "error", code: "InternalFailure", message: "Internal failure.", type: "Receiver", status: 500 }]);
    const { sleep } = instantSleep();
    const retries: BounceQueueEvent[] = [];
    const queue = new BounceQueue(client, { sleep });
    queue.on("retry", (e) => retries.push(e));
    await expect(queue.enqueue(bounce())).resolves.toEqual({ messageId: "fake-2", attempts: 2 });
    expect(retries).toMatchObject([{ reason: "server-error", attempt: 1 }]);
    expect(fake.requests).toHaveLength(2);
  });

  test("HTTP 429 without an SES body counts as throttling", async () => {
    fake.setScript([{ kind: "raw", status: 429, body: "" }]);
    const { sleep } = instantSleep();
    const queue = new BounceQueue(client, { sleep });
    const reasons: string[] = [];
    queue.on("retry", (e) => reasons.push(e.reason));
    await expect(queue.enqueue(bounce())).resolves.toMatchObject({ attempts: 2 });
    expect(reasons).toEqual(["throttled"]);
    expect(fake.requests).toHaveLength(2);
  });

  test("exponential backoff with full jitter, then BounceThrottledError when the attempts are spent", async () => {
    fake.setScript(() => THROTTLED);
    const { sleep, log } = instantSleep();
    const queue = new BounceQueue(client, { sleep, random: () => 0.9999, maxAttempts: 4, baseDelayMs: 1000 });
    const error = await queue.enqueue(bounce()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BounceThrottledError);
    expect(error).toMatchObject({ name: "BounceThrottledError", reason: "retries-spent", attempts: 4 });
    expect((error as Error).message).toBe("SES throttled the bounce (Maximum sending rate exceeded.): gave up after 4 attempts");
    expect((error as Error).cause).toMatchObject({ name: "Throttling" });
    // With random ≈ 1 the waits sit just under their ceilings: 1 s, 2 s, 4 s.
    expect(log).toEqual([999, 1999, 3999]);
    expect(fake.requests).toHaveLength(4);
  });

  test("MessageRejected is never retried", async () => {
    fake.setScript(() => ({ kind: "error", code: "MessageRejected", message: "Email address is not verified." }));
    const { sleep } = instantSleep();
    const events: BounceQueueEvent[] = [];
    const queue = new BounceQueue(client, { sleep, onProgress: (e) => events.push(e) });
    const error = await queue.enqueue(bounce()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BounceRejectedError);
    expect((error as BounceRejectedError).sesMessage).toBe("Email address is not verified.");
    expect((error as Error).cause).toBeInstanceOf(MessageRejected);
    expect(events.map((e) => e.type)).toEqual(["queued", "failed"]);
    expect(fake.requests).toHaveLength(1);
  });

  test("a daily-quota Throttling is not retried", async () => {
    fake.setScript(() => ({ kind: "error", code: "Throttling", message: "Daily message quota exceeded." }));
    const { sleep } = instantSleep();
    const queue = new BounceQueue(client, { sleep });
    await expect(queue.enqueue(bounce())).rejects.toMatchObject({ name: "BounceThrottledError", reason: "daily-quota", attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  test("a Retry-After longer than maxDelayMs ends the retries at once", async () => {
    fake.setScript(() => ({ ...THROTTLED, headers: { "Retry-After": "60" } }) as Reply);
    const { sleep } = instantSleep();
    const queue = new BounceQueue(client, { sleep, maxDelayMs: 20_000 });
    await expect(queue.enqueue(bounce())).rejects.toMatchObject({
      name: "BounceThrottledError",
      reason: "retry-after-too-long",
      retryAfterMs: 60_000,
    });
    expect(fake.requests).toHaveLength(1);
  });

  test("queue retries do not multiply with the SDK's: a client set to 5 attempts, 5xx forever, maxAttempts 2 → 2 requests", async () => {
    const eager = clientFor(fake, { maxAttempts: 5 });
    try {
      fake.setScript(() => ({ kind: "raw", status: 502, body: "" }));
      const { sleep } = instantSleep();
      const queue = new BounceQueue(eager, { sleep, maxAttempts: 2 });
      const error = await queue.enqueue(bounce()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BounceServiceError);
      expect(error).toMatchObject({ statusCode: 502, attempts: 2 });
      expect(fake.requests).toHaveLength(2);
    } finally {
      eager.destroy();
    }
  });

  test("a refused connection (nothing was sent) is retried, then a BounceServiceError", async () => {
    const endpoint = fake.endpoint;
    await fake.close();
    const orphan = clientFor({ endpoint } as SesQueryFake);
    try {
      const { sleep } = instantSleep();
      const reasons: string[] = [];
      const queue = new BounceQueue(orphan, { sleep, maxAttempts: 2 });
      queue.on("retry", (e) => reasons.push(e.reason));
      await expect(queue.enqueue(bounce())).rejects.toMatchObject({ name: "BounceServiceError", code: "ECONNREFUSED", attempts: 2 });
      expect(reasons).toEqual(["no-connection"]);
    } finally {
      orphan.destroy();
      fake = await startSesQueryFake();
    }
  });
});

describe("at most once", () => {
  test("a server that never answers: BounceOutcomeUnknownError, one request, no retry; enqueueing it again does not resend; retry: true does", async () => {
    fake.setScript(() => ({ kind: "hang" }));
    const { sleep } = instantSleep();
    const queue = new BounceQueue(client, { sleep, timeoutMs: 200 });
    const first = await queue.enqueue(bounce()).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(BounceOutcomeUnknownError);
    expect(first).toMatchObject({ reason: "timeout", attempts: 1 });
    expect(fake.requests).toHaveLength(1);

    await expect(queue.enqueue(bounce())).rejects.toBe(first);
    expect(fake.requests).toHaveLength(1);

    fake.setScript(() => ({ kind: "success", messageId: "after-check" }));
    await expect(queue.enqueue(bounce(), { retry: true })).resolves.toEqual({ messageId: "after-check", attempts: 1 });
    expect(fake.requests).toHaveLength(2);
  });

  test("the same bounce enqueued while pending, recipients in another order and domain case: one request, the same result", async () => {
    fake.setScript([{ kind: "success", messageId: "only-once", delayMs: 100 }]);
    const queue = new BounceQueue(client);
    const a = queue.enqueue(bounce("m1", ["a@example.com", "b@example.com"]));
    const b = queue.enqueue(bounce("m1", ["b@EXAMPLE.com", "a@example.com"]));
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra).toBe(rb);
    expect(ra).toEqual({ messageId: "only-once", attempts: 1 });
    // After success too, without calling SES.
    await expect(queue.enqueue(bounce("m1", ["a@example.com", "b@example.com"]))).resolves.toBe(ra);
    expect(fake.requests).toHaveLength(1);
    // Other recipients of the same message are another bounce.
    await queue.enqueue(bounce("m1", ["a@example.com"]));
    expect(fake.requests).toHaveLength(2);
  });

  test("a caller that gives up on a slow answer and tries again gets the first result; SES is called once", async () => {
    fake.setScript([{ kind: "success", messageId: "slow-but-sent", delayMs: 300 }]);
    const queue = new BounceQueue(client);
    const impatient = queue.enqueue(bounce(), { signal: AbortSignal.timeout(50) });
    await expect(impatient).rejects.toMatchObject({ name: "TimeoutError" });
    // The request was in flight: it completes, and its outcome is kept.
    await expect(queue.enqueue(bounce())).resolves.toEqual({ messageId: "slow-but-sent", attempts: 1 });
    expect(fake.requests).toHaveLength(1);
    expect(queue.counts).toMatchObject({ sent: 1, cancelled: 0 });
  });

  test("a failed bounce returns its failure when enqueued again; { retry: true } sends it again; forget() does too", async () => {
    fake.setScript([{ kind: "error", code: "MessageRejected", message: "Email address is not verified." }]);
    const queue = new BounceQueue(client);
    const first = await queue.enqueue(bounce()).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(BounceRejectedError);
    await expect(queue.enqueue(bounce())).rejects.toBe(first);
    expect(fake.requests).toHaveLength(1);
    const second = await queue.enqueue(bounce(), { retry: true });
    expect(second.messageId).toBe("fake-2");
    expect(fake.requests).toHaveLength(2);
    expect(queue.forget(bounce())).toBe(true);
    expect(queue.forget(bounce())).toBe(false);
    await queue.enqueue(bounce());
    expect(fake.requests).toHaveLength(3);
  });
});

describe("refusals before any request", () => {
  test("an invalid request or options: BounceValidationError, nothing queued", async () => {
    const queue = new BounceQueue(client);
    const bad = { ...bounce(), BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", BounceType: "Gone" }] } as unknown as SendBounceRequest;
    await expect(queue.enqueue(bad)).rejects.toMatchObject({
      name: "BounceValidationError",
      issues: [{ code: "invalid_enum", path: ["BouncedRecipientInfoList", 0, "BounceType"] }],
    });
    await expect(queue.enqueue(bounce(), { arrivalDate: "soon" })).rejects.toBeInstanceOf(BounceValidationError);
    expect(() => new BounceQueue(client, { rate: 0 })).toThrow(/rate must be a number greater than 0, not 0/);
    expect(() => new BounceQueue(client, { maxAttempts: 1.5 })).toThrow(BounceValidationError);
    expect(queue.counts).toEqual({ waiting: 0, inFlight: 0, sent: 0, failed: 0, cancelled: 0, retries: 0 });
    await queue.drain();
    expect(fake.requests).toHaveLength(0);
  });

  test("an expired window at enqueue: BounceWindowExpiredError, no request", async () => {
    const queue = new BounceQueue(client, { now: () => new Date("2026-11-26T10:00:00Z") });
    const error = await queue.enqueue(bounce(), { arrivalDate: "2026-11-25T09:00:00Z" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BounceWindowExpiredError);
    expect((error as BounceWindowExpiredError).expiredByMs).toBe(3600_000);
    expect(fake.requests).toHaveLength(0);
  });

  test("ignoreWindow: true queues and sends a bounce past the window, at enqueue and at its turn", async () => {
    let clock = new Date("2026-11-26T10:00:00Z").getTime();
    const gate = gatedSleep();
    const queue = new BounceQueue(client, { sleep: gate.sleep, now: () => new Date(clock) });
    const first = queue.enqueue(bounce("first"));
    const old = queue.enqueue(bounce("old"), { arrivalDate: "2026-11-24T10:00:00Z", ignoreWindow: true });
    const closing = queue.enqueue(bounce("closing"), { arrivalDate: "2026-11-25T10:00:01Z", ignoreWindow: true });
    await first;
    await until(() => gate.pending.length === 1, "the queue waits for the next slot");
    clock += 2000;
    gate.releaseAll();
    await until(() => gate.pending.length === 1, "the queue waits for the slot after");
    gate.releaseAll();
    await expect(old).resolves.toMatchObject({ attempts: 1 });
    await expect(closing).resolves.toMatchObject({ attempts: 1 });
    expect(fake.requests.map((r) => originalId(r.form))).toEqual(["first", "old", "closing"]);
  });

  test("a window that closes while the bounce waits for its turn: refused at its turn, no request", async () => {
    let clock = new Date("2026-11-26T10:00:00Z").getTime();
    const gate = gatedSleep();
    const queue = new BounceQueue(client, { sleep: gate.sleep, now: () => new Date(clock) });
    const first = queue.enqueue(bounce("first"));
    const late = queue.enqueue(bounce("late"), { arrivalDate: "2026-11-25T10:00:01Z" }).catch((e: unknown) => e);
    await first;
    await until(() => gate.pending.length === 1, "the queue waits for the next slot");
    clock += 2000;
    gate.releaseAll();
    const error = await late;
    expect(error).toBeInstanceOf(BounceWindowExpiredError);
    expect((error as BounceWindowExpiredError).expiredByMs).toBe(1000);
    expect(fake.requests.map((r) => originalId(r.form))).toEqual(["first"]);
  });
});

describe("cancellation, events and drain", () => {
  test("aborting a bounce that waits for its turn: rejected with the reason, taken out, never sent", async () => {
    const gate = gatedSleep();
    const events: BounceQueueEvent[] = [];
    const queue = new BounceQueue(client, { sleep: gate.sleep, onProgress: (e) => events.push(e) });
    const first = queue.enqueue(bounce("first"));
    const controller = new AbortController();
    const second = queue.enqueue(bounce("second"), { signal: controller.signal });
    await first;
    await until(() => gate.pending.length === 1, "the second waits for its slot");
    const reason = new Error("no longer needed");
    controller.abort(reason);
    await expect(second).rejects.toBe(reason);
    gate.releaseAll();
    await queue.drain();
    expect(queue.counts).toEqual({ waiting: 0, inFlight: 0, sent: 1, failed: 0, cancelled: 1, retries: 0 });
    expect(events.filter((e) => e.type === "cancelled")).toMatchObject([{ originalMessageId: "second", reason }]);
    expect(fake.requests.map((r) => originalId(r.form))).toEqual(["first"]);
    // Cancelled bounces are forgotten: enqueueing it again sends it.
    gate.releaseAll();
    const again = queue.enqueue(bounce("second"));
    await until(() => gate.pending.length === 1, "the slot wait");
    gate.releaseAll();
    await again;
    expect(fake.requests.map((r) => originalId(r.form))).toEqual(["first", "second"]);
  });

  test("aborting during backoff: no further request", async () => {
    fake.setScript([THROTTLED]);
    const gate = gatedSleep();
    const queue = new BounceQueue(client, { sleep: gate.sleep });
    const controller = new AbortController();
    const pending = queue.enqueue(bounce(), { signal: controller.signal });
    await until(() => gate.pending.length === 1, "the backoff");
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await queue.drain();
    expect(queue.counts).toMatchObject({ cancelled: 1, retries: 1, waiting: 0 });
    expect(fake.requests).toHaveLength(1);
  });

  test("one of two callers aborting does not cancel the bounce for the other", async () => {
    const gate = gatedSleep();
    const queue = new BounceQueue(client, { sleep: gate.sleep });
    await queue.enqueue(bounce("first"));
    const controller = new AbortController();
    const a = queue.enqueue(bounce("shared"), { signal: controller.signal });
    const b = queue.enqueue(bounce("shared"));
    await until(() => gate.pending.length === 1, "the slot wait");
    controller.abort();
    await expect(a).rejects.toMatchObject({ name: "AbortError" });
    gate.releaseAll();
    await expect(b).resolves.toMatchObject({ attempts: 1 });
    expect(requestsFor("shared")).toBe(1);
  });

  test("an already aborted signal: rejected at once, nothing queued", async () => {
    const queue = new BounceQueue(client);
    await expect(queue.enqueue(bounce(), { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: "AbortError" });
    expect(queue.counts.waiting).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });

  test("events carry the counts; drain() resolves once everything queued has settled", async () => {
    fake.setScript((req) => (originalId(req.form) === "rejected" ? { kind: "error", code: "MessageRejected", message: "no" } : { kind: "success" }));
    const { sleep } = instantSleep();
    const queue = new BounceQueue(client, { sleep });
    const seen: string[] = [];
    const off = queue.on("*", (e) => seen.push(`${e.type}:${e.originalMessageId}:${e.counts.waiting}/${e.counts.inFlight}/${e.counts.sent}/${e.counts.failed}`));
    const settled: string[] = [];
    for (const id of ["a", "rejected", "b"]) queue.enqueue(bounce(id)).then(() => settled.push(id), () => settled.push(id));
    await queue.drain();
    await Promise.resolve();
    expect(settled.sort()).toEqual(["a", "b", "rejected"]);
    // Each bounce is queued, then sent or failed; the counters move with the events.
    expect(seen.slice(0, 3)).toEqual(["queued:a:1/0/0/0", "queued:rejected:1/1/0/0", "queued:b:2/1/0/0"]);
    expect(seen.slice(3).sort()).toEqual([expect.stringMatching(/^failed:rejected:/), expect.stringMatching(/^sent:a:/), expect.stringMatching(/^sent:b:/)]);
    expect(seen.at(-1)).toMatch(/:0\/0\/\d\/\d$/);
    expect(seen.at(-1)!.split(":")[2]!.split("/").slice(2).map(Number).reduce((x, y) => x + y)).toBe(3);
    expect(queue.counts).toEqual({ waiting: 0, inFlight: 0, sent: 2, failed: 1, cancelled: 0, retries: 0 });
    off();
    await queue.enqueue(bounce("c"));
    expect(seen.some((s) => s.includes(":c:"))).toBe(false);
    await expect(queue.drain()).resolves.toBeUndefined();
  });
});
