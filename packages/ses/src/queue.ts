/**
 * Many bounces: {@link BounceQueue} paces calls to SES's rate, retries what may be retried, and
 * sends each bounce at most once.
 *
 * @module
 */
import type { SESClient, SendBounceCommandInput } from "@aws-sdk/client-ses";
import type { SendBounceRequest, Timestamp } from "@dsnkit/core";
import { attemptSendBounce } from "./attempt.js";
import type { AttemptFailure } from "./attempt.js";
import { assertValidRequest, bounceKey, toSendBounceInput } from "./convert.js";
import { BounceValidationError } from "./errors.js";
import { functionOption, numberOption } from "./options.js";
import { DEFAULT_TIMEOUT_MS, failureError } from "./send.js";
import type { SendBounceResult } from "./send.js";
import { SES_BOUNCE_WINDOW_MS, checkBounceWindow } from "./window.js";

/**
 * Settings of a {@link BounceQueue}. Every one has a default that suits SES.
 *
 * @example
 * const options: BounceQueueOptions = {
 *   rate: 14,            // an account whose SES sending rate is 14 per second
 *   maxAttempts: 6,
 *   onProgress: (e) => console.log(e.type, e.counts),
 * };
 */
export interface BounceQueueOptions {
  /** Calls per second, shared by everything queued (default 1, SES's SendBounce limit). */
  rate?: number;
  /** Most requests per bounce, the first included (default 5). */
  maxAttempts?: number;
  /** The first retry waits up to this many milliseconds; each further one up to twice as long (default 1,000). */
  baseDelayMs?: number;
  /**
   * The longest wait between attempts (default 20,000). A Retry-After asking for longer ends the
   * retries at once.
   */
  maxDelayMs?: number;
  /** Gives up waiting for an answer after this many milliseconds (default 30,000; `Infinity`: never). */
  timeoutMs?: number;
  /** The 24-hour window, in milliseconds (default 24 hours). */
  maxAgeMs?: number;
  /** The wall clock, for the 24-hour check and Retry-After dates (default `() => new Date()`). */
  now?: () => Date;
  /** A number in [0, 1) for the backoff jitter (default `Math.random`). */
  random?: () => number;
  /**
   * Waits `ms` milliseconds; must reject with `signal.reason` when `signal` aborts. Used for
   * backoff and pacing (default: a timer). Tests pass one that does not wait.
   */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called with every {@link BounceQueueEvent}, like a listener added with `on("*", …)`. */
  onProgress?: (event: BounceQueueEvent) => void;
}

/**
 * Options of {@link BounceQueue.enqueue}.
 *
 * @example
 * const options: EnqueueOptions = { arrivalDate: record.ses.mail.timestamp, signal: AbortSignal.timeout(60_000) };
 */
export interface EnqueueOptions {
  /**
   * Stops waiting for this bounce: the promise rejects with the signal's `reason`. A bounce nobody
   * waits for any more is taken out of the queue unless its request is already in flight (then it
   * completes, and its outcome is kept for the next `enqueue` of the same bounce).
   */
  signal?: AbortSignal;
  /** When SES received the original, if `MessageDsn.ArrivalDate` does not say (see {@link BounceWindowOptions}). */
  arrivalDate?: Timestamp;
  /** Send again a bounce whose earlier attempt failed, instead of returning that failure. */
  retry?: boolean;
  /**
   * Sends even when the original's arrival says SES's 24-hour window has closed (at enqueue or by
   * the bounce's turn), and lets SES judge. Default `false`: such a bounce is refused with a
   * {@link BounceWindowExpiredError}.
   */
  ignoreWindow?: boolean;
}

/**
 * The queue's counters, in every event and from {@link BounceQueue.counts}.
 *
 * @example
 * queue.counts;
 * //=> { waiting: 3, inFlight: 1, sent: 16, failed: 0, cancelled: 0, retries: 2 }
 */
export interface BounceQueueCounts {
  /** Bounces waiting for their turn or for a retry. */
  waiting: number;
  /** Requests sent and not yet answered. */
  inFlight: number;
  /** Bounces SES accepted. */
  sent: number;
  /** Bounces that failed for good. */
  failed: number;
  /** Bounces taken out of the queue because every caller aborted. */
  cancelled: number;
  /** Retries scheduled so far. */
  retries: number;
}

/**
 * What every event carries: the bounce's key, original and recipients, and the counters after the
 * event.
 *
 * @example
 * const base: BounceEventBase = { key: '["m1",["a@example.com"]]', originalMessageId: "m1", recipients: ["a@example.com"], counts: queue.counts };
 */
export interface BounceEventBase {
  /** {@link bounceKey} of the request. */
  key: string;
  originalMessageId: string;
  recipients: string[];
  counts: BounceQueueCounts;
}

/**
 * A bounce entered the queue.
 *
 * @example
 * queue.on("queued", (e) => e.counts.waiting);
 */
export interface BounceQueuedEvent extends BounceEventBase {
  type: "queued";
}

/**
 * SES accepted a bounce.
 *
 * @example
 * queue.on("sent", (e) => console.log(`${e.originalMessageId}: ${e.messageId} after ${e.attempts} attempt(s)`));
 */
export interface BounceSentEvent extends BounceEventBase {
  type: "sent";
  messageId: string;
  attempts: number;
}

/**
 * An attempt failed in a way worth retrying; the next one waits `delayMs` (then its turn).
 *
 * @example
 * queue.on("retry", (e) => console.warn(`${e.key}: ${e.reason}, retrying in ${e.delayMs} ms`));
 */
export interface BounceRetryEvent extends BounceEventBase {
  type: "retry";
  /** The number of the attempt that failed (1 for the first). */
  attempt: number;
  delayMs: number;
  /** `throttled` (Throttling or HTTP 429), `server-error` (HTTP 5xx) or `no-connection`. */
  reason: "throttled" | "server-error" | "no-connection";
  /** The SDK's error. */
  error: unknown;
}

/**
 * A bounce failed for good; `error` is what its callers receive.
 *
 * @example
 * queue.on("failed", (e) => console.error(`${e.key}: ${e.error.message}`));
 */
export interface BounceFailedEvent extends BounceEventBase {
  type: "failed";
  attempts: number;
  error: Error;
}

/**
 * A waiting bounce was taken out of the queue because every caller aborted.
 *
 * @example
 * queue.on("cancelled", (e) => e.reason);
 */
export interface BounceCancelledEvent extends BounceEventBase {
  type: "cancelled";
  /** The abort reason of the last caller. */
  reason: unknown;
}

/**
 * Every event a {@link BounceQueue} emits, told apart by `type`.
 *
 * @example
 * function log(e: BounceQueueEvent): void {
 *   if (e.type === "sent") console.log(e.messageId);
 * }
 */
export type BounceQueueEvent = BounceQueuedEvent | BounceSentEvent | BounceRetryEvent | BounceFailedEvent | BounceCancelledEvent;

/**
 * The `type` of a {@link BounceQueueEvent}.
 *
 * @example
 * const type: BounceQueueEventType = "retry";
 */
export type BounceQueueEventType = BounceQueueEvent["type"];

type State = "waiting" | "backoff" | "in-flight" | "sent" | "failed" | "cancelled";

interface Entry {
  key: string;
  originalMessageId: string;
  recipients: string[];
  state: State;
  attempts: number;
  /** Callers still waiting; when it falls to 0 a waiting entry is cancelled. */
  followers: number;
  promise: Promise<SendBounceResult>;
  resolve: (result: SendBounceResult) => void;
  reject: (error: unknown) => void;
  /** Dropped once the entry settles. */
  request: SendBounceRequest | undefined;
  input: SendBounceCommandInput | undefined;
  arrivalDate: Timestamp | undefined;
  /** Sent even past the 24-hour window ({@link EnqueueOptions.ignoreWindow}). */
  ignoreWindow: boolean;
  backoff: AbortController | undefined;
  /** The abort reason of the last caller who gave up. */
  lastAbortReason: unknown;
  result: SendBounceResult | undefined;
  error: unknown;
}

/** Node's setTimeout fires at once for delays of 2^31 ms or more. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Waits at least `ms` milliseconds by `performance.now()`: Node's timers count from the event
 * loop's cached time and may fire up to a few milliseconds early, which pacing cannot allow.
 */
function timerSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const until = performance.now() + Math.max(0, ms);
    let timer: ReturnType<typeof setTimeout>;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const wait = (delay: number) => {
      timer = setTimeout(() => {
        const left = until - performance.now();
        if (left > 0) return wait(left);
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.min(Math.ceil(delay), MAX_TIMER_MS));
    };
    wait(Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Exponential backoff with full jitter: a random wait in [0, min(maxDelayMs, baseDelayMs × 2^(retry−1))).
 *
 * @param retry - 1 for the first retry.
 * @example
 * backoffDelay(3, { baseDelayMs: 1000, maxDelayMs: 20_000, random: () => 0.5 });
 * //=> 2000
 */
export function backoffDelay(retry: number, options: { baseDelayMs: number; maxDelayMs: number; random: () => number }): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(retry - 1, 52));
  const r = options.random();
  return Math.floor((r >= 0 && r < 1 ? r : 0) * ceiling);
}

/**
 * A queue for many bounces, sharing one `SESClient` (yours: its configuration is never read or
 * changed) and SES's call rate.
 *
 * - **Pacing**: requests start no closer together than `1 / rate` seconds, across every caller
 *   of the queue (default 1 per second, SES's SendBounce limit). Retries take turns too, ahead of
 *   fresh bounces. A Throttling answer with Retry-After pauses the whole queue for that long.
 * - **Retries**: Throttling, HTTP 429, HTTP 5xx and refused connections are retried with
 *   exponential backoff and full jitter, waiting at least what Retry-After asks (seconds or an
 *   HTTP date), up to `maxAttempts` requests; then the bounce fails with
 *   {@link BounceThrottledError} or {@link BounceServiceError}. MessageRejected, validation
 *   failures and "Daily message quota exceeded" are never retried.
 * - **At most once**: each request makes one HTTP attempt (the SDK's own retries are switched off
 *   for these calls, on the command, not the client), a request that went out without an answer
 *   is never retried ({@link BounceOutcomeUnknownError}), and bounces are keyed by
 *   {@link bounceKey} (OriginalMessageId and recipients): enqueueing a bounce that is already
 *   waiting, in flight or sent returns the first call's result without calling SES again. One that
 *   failed returns that failure, unless you pass `{ retry: true }`. The queue remembers settled
 *   bounces until {@link BounceQueue.forget}.
 * - **The 24-hour rule** is checked when a bounce is enqueued and again before each attempt.
 * - **Cancellation**: each `enqueue` takes an AbortSignal; **progress**: events and
 *   {@link BounceQueue.counts}; {@link BounceQueue.drain} waits for everything queued to settle.
 *
 * @example
 * import { SESClient } from "@aws-sdk/client-ses";
 * import { BounceQueue } from "@dsnkit/ses";
 *
 * const queue = new BounceQueue(new SESClient({}), { rate: 1 });
 * queue.on("failed", (e) => console.error(e.key, e.error.message));
 * const results = await Promise.allSettled(requests.map((r) => queue.enqueue(r)));
 * await queue.drain();
 * queue.counts.sent;
 * //=> 20
 */
export class BounceQueue {
  readonly #client: SESClient;
  readonly #intervalMs: number;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #timeoutMs: number;
  readonly #maxAgeMs: number;
  readonly #now: () => Date;
  readonly #random: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Map<BounceQueueEventType | "*", Set<(event: BounceQueueEvent) => void>>();
  #ready: Entry[] = [];
  #nextSlotAt = 0;
  #pumping = false;
  #idle: (() => void)[] = [];
  readonly #counts: BounceQueueCounts = { waiting: 0, inFlight: 0, sent: 0, failed: 0, cancelled: 0, retries: 0 };

  /**
   * Creates a queue that sends with `client`.
   *
   * @throws {BounceValidationError} when an option is out of range.
   * @example
   * const queue = new BounceQueue(new SESClient({ region: "eu-west-1" }), { rate: 1, maxAttempts: 5 });
   */
  constructor(client: SESClient, options: BounceQueueOptions = {}) {
    if (typeof client !== "object" || client === null || typeof (client as { send?: unknown }).send !== "function")
      throw new BounceValidationError([{ code: "invalid_option", path: ["client"], message: "client must be an SESClient from @aws-sdk/client-ses" }]);
    this.#client = client;
    const rate = numberOption(options.rate, "rate", { fallback: 1, min: 0, exclusive: true });
    this.#intervalMs = 1000 / rate;
    this.#maxAttempts = numberOption(options.maxAttempts, "maxAttempts", { fallback: 5, min: 1, integer: true });
    this.#baseDelayMs = numberOption(options.baseDelayMs, "baseDelayMs", { fallback: 1000, min: 0 });
    this.#maxDelayMs = numberOption(options.maxDelayMs, "maxDelayMs", { fallback: 20_000, min: 0 });
    this.#timeoutMs = numberOption(options.timeoutMs, "timeoutMs", { fallback: DEFAULT_TIMEOUT_MS, min: 0, exclusive: true, infinity: true });
    this.#maxAgeMs = numberOption(options.maxAgeMs, "maxAgeMs", { fallback: SES_BOUNCE_WINDOW_MS, min: 0, exclusive: true });
    this.#now = functionOption(options.now, "now", () => new Date());
    this.#random = functionOption(options.random, "random", Math.random);
    this.#sleep = functionOption(options.sleep, "sleep", timerSleep);
    const onProgress = functionOption(options.onProgress, "onProgress", undefined);
    if (onProgress !== undefined) this.on("*", onProgress);
  }

  /**
   * A snapshot of the counters.
   *
   * @example
   * queue.counts;
   * //=> { waiting: 0, inFlight: 0, sent: 20, failed: 0, cancelled: 0, retries: 3 }
   */
  get counts(): BounceQueueCounts {
    return { ...this.#counts };
  }

  /**
   * Queues a bounce and resolves with SES's answer once it is sent. The request is validated and
   * the 24-hour rule checked at once, before anything is queued.
   *
   * A bounce with the same {@link bounceKey} as one already waiting, in flight or sent is not sent
   * again: the call returns the first one's result (the same object). One that failed returns the
   * same failure, unless `options.retry` is true.
   *
   * @returns SES's message id and the number of requests made.
   * @throws {BounceValidationError} when the request or an option is invalid (nothing queued).
   * @throws {BounceWindowExpiredError} when the original arrived too long ago, now or by the time its turn came.
   * @throws {BounceRejectedError} when SES answers MessageRejected.
   * @throws {BounceThrottledError} when throttling outlasted the retries, or the daily quota is spent.
   * @throws {BounceServiceError} on other SES or HTTP errors, after retries where they apply.
   * @throws {BounceOutcomeUnknownError} when a request went out and no answer came.
   * @example
   * const { messageId } = await queue.enqueue(request, { arrivalDate: mail.timestamp });
   * const again = await queue.enqueue(request); // no second call: the same result
   * again.messageId === messageId;
   * //=> true
   */
  async enqueue(request: SendBounceRequest, options: EnqueueOptions = {}): Promise<SendBounceResult> {
    const valid = assertValidRequest(request);
    if (typeof options !== "object" || options === null)
      throw new BounceValidationError([{ code: "invalid_option", path: ["options"], message: "options must be an object" }]);
    const signal = options.signal;
    const key = bounceKey(valid);
    let entry = this.#entries.get(key);
    if (entry !== undefined && entry.state === "failed" && options.retry === true) {
      this.#entries.delete(key);
      entry = undefined;
    }
    if (entry !== undefined) return this.#follow(entry, signal);

    const ignoreWindow = options.ignoreWindow === true;
    if (!ignoreWindow) checkBounceWindow(valid, { ...options, now: this.#now, maxAgeMs: this.#maxAgeMs });
    const input = toSendBounceInput(valid);
    signal?.throwIfAborted();
    let resolve!: (result: SendBounceResult) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<SendBounceResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Callers get their own promise from #follow; this one must never count as unhandled.
    promise.catch(() => undefined);
    entry = {
      key,
      originalMessageId: valid.OriginalMessageId,
      recipients: valid.BouncedRecipientInfoList.map((r) => r.Recipient),
      state: "waiting",
      attempts: 0,
      followers: 0,
      promise,
      resolve,
      reject,
      request: valid,
      input,
      arrivalDate: options.arrivalDate,
      ignoreWindow,
      backoff: undefined,
      lastAbortReason: undefined,
      result: undefined,
      error: undefined,
    };
    this.#entries.set(key, entry);
    this.#ready.push(entry);
    this.#counts.waiting++;
    this.#emit({ type: "queued", ...this.#base(entry) });
    void this.#pump();
    return this.#follow(entry, signal);
  }

  /**
   * Resolves once nothing is waiting or in flight (at once when the queue is idle). Never rejects:
   * each bounce's outcome goes to its own `enqueue` promise and to the events.
   *
   * @example
   * for (const r of requests) queue.enqueue(r).catch(() => {}); // outcomes via events
   * await queue.drain();
   * queue.counts;
   * //=> { waiting: 0, inFlight: 0, sent: 98, failed: 2, cancelled: 0, retries: 7 }
   */
  drain(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Forgets a settled bounce (sent or failed), so that enqueueing it again sends it again. Takes
   * the request or its {@link bounceKey}. Returns `false` when the queue holds no settled bounce
   * with that key (a waiting or in-flight one cannot be forgotten).
   *
   * @example
   * await queue.enqueue(request);
   * queue.forget(request);
   * //=> true
   */
  forget(requestOrKey: SendBounceRequest | string): boolean {
    const key = typeof requestOrKey === "string" ? requestOrKey : bounceKey(requestOrKey);
    const entry = this.#entries.get(key);
    if (entry === undefined || (entry.state !== "sent" && entry.state !== "failed")) return false;
    return this.#entries.delete(key);
  }

  /**
   * Listens to one type of event, or to all with `"*"`. Returns a function that removes the
   * listener. A listener that throws does not disturb the queue; its error is rethrown in a
   * microtask.
   *
   * @example
   * const off = queue.on("retry", (e) => console.warn(`${e.originalMessageId}: ${e.reason}, next try in ${e.delayMs} ms`));
   * off();
   */
  on<T extends BounceQueueEventType>(type: T, listener: (event: Extract<BounceQueueEvent, { type: T }>) => void): () => void;
  on(type: "*", listener: (event: BounceQueueEvent) => void): () => void;
  on(type: BounceQueueEventType | "*", listener: (event: never) => void): () => void {
    const set = this.#listeners.get(type) ?? new Set();
    this.#listeners.set(type, set);
    const l = listener as (event: BounceQueueEvent) => void;
    set.add(l);
    return () => {
      set.delete(l);
    };
  }

  #base(entry: Entry): BounceEventBase {
    return { key: entry.key, originalMessageId: entry.originalMessageId, recipients: entry.recipients, counts: this.counts };
  }

  #emit(event: BounceQueueEvent): void {
    for (const type of [event.type, "*"] as const) {
      const set = this.#listeners.get(type);
      if (set === undefined) continue;
      for (const listener of [...set]) {
        try {
          listener(event);
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    }
  }

  #isIdle(): boolean {
    return this.#counts.waiting === 0 && this.#counts.inFlight === 0;
  }

  #checkIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idle;
    this.#idle = [];
    for (const w of waiters) w();
  }

  /** A caller's view of an entry: its outcome, or the caller's abort. */
  #follow(entry: Entry, signal: AbortSignal | undefined): Promise<SendBounceResult> {
    if (entry.state === "sent") return Promise.resolve(entry.result!);
    if (entry.state === "failed") return Promise.reject(entry.error);
    if (signal?.aborted) return Promise.reject(signal.reason);
    entry.followers++;
    if (signal === undefined) return entry.promise;
    return new Promise<SendBounceResult>((resolve, reject) => {
      const onAbort = () => {
        reject(signal.reason);
        this.#abandon(entry, signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      entry.promise.then(
        (result) => {
          signal.removeEventListener("abort", onAbort);
          resolve(result);
        },
        (error: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }

  #abandon(entry: Entry, reason: unknown): void {
    entry.followers--;
    entry.lastAbortReason = reason;
    if (entry.followers > 0 || (entry.state !== "waiting" && entry.state !== "backoff")) return;
    this.#cancel(entry, reason);
  }

  /** Takes a waiting bounce out: nothing of it is on the wire, so a later enqueue starts afresh. */
  #cancel(entry: Entry, reason: unknown): void {
    const wasInFlight = entry.state === "in-flight";
    entry.state = "cancelled";
    this.#ready = this.#ready.filter((e) => e !== entry);
    entry.backoff?.abort(reason);
    this.#entries.delete(entry.key);
    if (wasInFlight) this.#counts.inFlight--;
    else this.#counts.waiting--;
    this.#counts.cancelled++;
    entry.request = undefined;
    entry.input = undefined;
    entry.reject(reason);
    this.#emit({ type: "cancelled", ...this.#base(entry), reason });
    this.#checkIdle();
  }

  /** Starts the head of the queue whenever a slot is free; one pump runs at a time. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#ready.length > 0) {
        const now = performance.now();
        const slot = Math.max(now, this.#nextSlotAt);
        if (slot > now) {
          try {
            await this.#sleep(slot - now);
          } catch {
            // A sleep that fails without a signal: treat the slot as reached.
          }
          // Paused meanwhile (Retry-After): wait for the new slot.
          if (this.#nextSlotAt > slot) continue;
        }
        const entry = this.#ready.shift();
        if (entry === undefined) break;
        // Measured from when the request really starts, so a late timer cannot shorten the gap.
        this.#nextSlotAt = Math.max(slot, performance.now()) + this.#intervalMs;
        void this.#attempt(entry);
      }
    } finally {
      this.#pumping = false;
    }
  }

  async #attempt(entry: Entry): Promise<void> {
    entry.state = "in-flight";
    this.#counts.waiting--;
    this.#counts.inFlight++;
    if (!entry.ignoreWindow)
      try {
        checkBounceWindow(entry.request!, { ...(entry.arrivalDate !== undefined ? { arrivalDate: entry.arrivalDate } : {}), now: this.#now, maxAgeMs: this.#maxAgeMs });
      } catch (error) {
        this.#fail(entry, error);
        return;
      }
    entry.attempts++;
    const outcome = await attemptSendBounce(this.#client, entry.input!, { timeoutMs: this.#timeoutMs, now: this.#now });
    if (outcome.ok) {
      this.#succeed(entry, { messageId: outcome.messageId, attempts: entry.attempts });
      return;
    }
    const failure = outcome.failure;
    const reason = retryReason(failure);
    if (reason === undefined) {
      this.#fail(entry, failureError(failure, entry.attempts));
      return;
    }
    if (entry.attempts >= this.#maxAttempts) {
      this.#fail(entry, failureError(failure, entry.attempts, "retries-spent"));
      return;
    }
    const retryAfterMs = failure.kind === "throttled" || failure.kind === "server" ? failure.retryAfterMs : undefined;
    if (retryAfterMs !== undefined && retryAfterMs > this.#maxDelayMs) {
      this.#fail(entry, failureError(failure, entry.attempts, "retry-after-too-long"));
      return;
    }
    if (entry.followers <= 0) {
      // Every caller aborted while the request was in flight, and SES did not send it: nobody
      // wants the retry.
      this.#cancel(entry, entry.lastAbortReason);
      return;
    }
    let delayMs = backoffDelay(entry.attempts, { baseDelayMs: this.#baseDelayMs, maxDelayMs: this.#maxDelayMs, random: this.#random });
    if (retryAfterMs !== undefined) {
      delayMs = Math.max(delayMs, retryAfterMs);
      // SES's rate is the account's: when SES says when to come back, nobody in the queue goes sooner.
      if (failure.kind === "throttled") this.#nextSlotAt = Math.max(this.#nextSlotAt, performance.now() + retryAfterMs);
    }
    entry.state = "backoff";
    this.#counts.inFlight--;
    this.#counts.waiting++;
    this.#counts.retries++;
    this.#emit({ type: "retry", ...this.#base(entry), attempt: entry.attempts, delayMs, reason, error: failure.error });
    const backoff = new AbortController();
    entry.backoff = backoff;
    try {
      await this.#sleep(delayMs, backoff.signal);
    } catch {
      // Cancelled: #abandon has done the rest.
    }
    entry.backoff = undefined;
    if (entry.state !== "backoff") return;
    entry.state = "waiting";
    this.#ready.unshift(entry);
    void this.#pump();
  }

  #succeed(entry: Entry, result: SendBounceResult): void {
    // Every caller of this bounce gets this object: freeze it so none can change it for the others.
    Object.freeze(result);
    entry.state = "sent";
    entry.result = result;
    entry.request = undefined;
    entry.input = undefined;
    this.#counts.inFlight--;
    this.#counts.sent++;
    entry.resolve(result);
    this.#emit({ type: "sent", ...this.#base(entry), messageId: result.messageId, attempts: result.attempts });
    this.#checkIdle();
  }

  #fail(entry: Entry, error: unknown): void {
    entry.state = "failed";
    entry.error = error;
    entry.request = undefined;
    entry.input = undefined;
    this.#counts.inFlight--;
    this.#counts.failed++;
    entry.reject(error);
    this.#emit({
      type: "failed",
      ...this.#base(entry),
      attempts: entry.attempts,
      error: error instanceof Error ? error : new Error(String(error)),
    });
    this.#checkIdle();
  }
}

function retryReason(failure: AttemptFailure): BounceRetryEvent["reason"] | undefined {
  switch (failure.kind) {
    case "throttled":
      return failure.daily ? undefined : "throttled";
    case "server":
      return "server-error";
    case "unsent":
      return "no-connection";
    default:
      return undefined;
  }
}
