/**
 * One SendBounce request on the wire, never more, and what its failure means.
 *
 * The AWS SDK retries by itself (3 attempts by default): Throttling, 5xx and network errors such
 * as a reset connection or a timeout. A retry after a lost answer can make SES send the bounce
 * twice, and SDK retries multiply with the queue's. So every call dsnkit makes carries two
 * middleware on the *command's* own stack (the client, its configuration and its middleware are
 * left alone):
 *
 * - `dsnkitSingleAttempt` (finalizeRequest step, low priority: inside the SDK's retry loop, just
 *   before the request is handed to the HTTP handler) lets one attempt through. A failure leaves
 *   it wrapped in an error the SDK classifies as not retryable, and a second attempt, should any
 *   retry layer try one, is refused before it reaches the network.
 * - `dsnkitSingleAttemptUnwrap` (build step: outside the retry loop) unwraps that error, so the
 *   caller and every middleware outside the retry loop see the SDK's own exception.
 *
 * @module
 */
import { SendBounceCommand } from "@aws-sdk/client-ses";
import type { SESClient, SendBounceCommandInput, SendBounceCommandOutput } from "@aws-sdk/client-ses";
import type { BuildMiddleware, FinalizeRequestMiddleware } from "@smithy/types";

/** Carries an attempt's error through the SDK's retry middleware, which will not retry it. */
class SingleAttemptError extends Error {
  // No `cause`, `code`, `$metadata` or `$retryable`: the SDK's error classification looks at those
  // (and follows `cause`), and must find nothing retryable here.
  override readonly name = "DsnkitSingleAttempt";
  readonly original: unknown;
  constructor(original: unknown) {
    super("dsnkit makes one HTTP attempt per SendBounce call");
    this.original = original;
  }
}

interface AttemptState {
  calls: number;
  onWire: boolean;
  firstError: unknown;
}

function singleAttempt(state: AttemptState): FinalizeRequestMiddleware<SendBounceCommandInput, SendBounceCommandOutput> {
  return (next) => async (args) => {
    if (state.calls++ > 0) throw new SingleAttemptError(state.firstError);
    state.onWire = true;
    try {
      return await next(args);
    } catch (e) {
      state.firstError = e;
      throw new SingleAttemptError(e);
    }
  };
}

const unwrap: BuildMiddleware<SendBounceCommandInput, SendBounceCommandOutput> = (next) => async (args) => {
  try {
    return await next(args);
  } catch (e) {
    if (!(e instanceof SingleAttemptError)) throw e;
    const original = e.original as { $metadata?: { attempts?: number } } | undefined;
    if (typeof original === "object" && original !== null && typeof original.$metadata === "object" && original.$metadata !== null)
      original.$metadata.attempts ??= 1;
    throw e.original;
  }
};

/**
 * A `SendBounceCommand` that makes exactly one HTTP attempt, whatever the client's retry
 * strategy or `maxAttempts`. Send it with the caller's client.
 *
 * @example
 * const { command, state } = singleAttemptCommand(input);
 * await client.send(command);
 */
export function singleAttemptCommand(input: SendBounceCommandInput): { command: SendBounceCommand; state: AttemptState } {
  const command = new SendBounceCommand(input);
  const state: AttemptState = { calls: 0, onWire: false, firstError: undefined };
  command.middlewareStack.add(unwrap, { step: "build", priority: "low", name: "dsnkitSingleAttemptUnwrap", override: true });
  command.middlewareStack.add(singleAttempt(state), {
    step: "finalizeRequest",
    priority: "low",
    name: "dsnkitSingleAttempt",
    override: true,
  });
  return { command, state };
}

/**
 * What a failed attempt means for the bounce.
 *
 * | kind | SES sent the bounce? | retried by the queue |
 * |---|---|---|
 * | `rejected` | no (MessageRejected) | never |
 * | `throttled` | no | yes, unless `daily` |
 * | `server` | no (HTTP 5xx) | yes |
 * | `unsent` | no (no connection was made) | yes |
 * | `fatal` | no (another SES error, or the SDK failed before sending) | never |
 * | `unknown` | maybe (sent, no answer) | never |
 * | `aborted` | maybe (the caller's signal) | never |
 */
export type AttemptFailure =
  | { kind: "rejected"; message: string; error: unknown }
  | { kind: "throttled"; daily: boolean; message: string; statusCode: number | undefined; retryAfterMs: number | undefined; error: unknown }
  | { kind: "server"; code: string; message: string; statusCode: number; retryAfterMs: number | undefined; error: unknown }
  | { kind: "unsent"; code: string; message: string; error: unknown }
  | { kind: "fatal"; code: string; message: string; statusCode: number | undefined; error: unknown }
  | { kind: "unknown"; reason: "timeout" | "network"; message: string; error: unknown }
  | { kind: "aborted"; reason: unknown; error: unknown };

/** The outcome of one attempt. */
export type AttemptOutcome = { ok: true; messageId: string } | { ok: false; failure: AttemptFailure };

/** Options of {@link attemptSendBounce}. */
export interface AttemptOptions {
  /** The caller's signal: aborts the attempt (and the HTTP request, if it is in flight). */
  signal?: AbortSignal | undefined;
  /** Gives up on an answer after this many milliseconds (`Infinity`: never). */
  timeoutMs: number;
  /** The wall clock, for Retry-After dates. */
  now: () => Date;
}

/** Node's codes for failures to connect: the request never left. */
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);
/** SES's throttling codes; HTTP 429 counts too. */
const THROTTLING = new Set(["Throttling", "ThrottlingException", "TooManyRequestsException"]);
const DAILY_QUOTA = /daily message quota exceeded/i;

/**
 * Reads a Retry-After value, delta-seconds (`"2"`, `"1.5"`) or an HTTP date, as milliseconds to
 * wait from `now`. Returns `undefined` when it is neither.
 *
 * @example
 * parseRetryAfter("2", new Date());
 * //=> 2000
 * parseRetryAfter("Thu, 26 Nov 2026 10:00:05 GMT", new Date("2026-11-26T10:00:00Z"));
 * //=> 5000
 */
export function parseRetryAfter(value: string, now: Date): number | undefined {
  const v = value.trim();
  if (/^\d{1,9}(?:\.\d{1,6})?$/.test(v)) return Math.round(Number(v) * 1000);
  if (v.length > 64 || !/^[A-Za-z]{3},/.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function retryAfterOf(error: unknown, now: Date): number | undefined {
  const response = (error as { $response?: { headers?: Record<string, string | undefined> } } | undefined)?.$response;
  const headers = response?.headers;
  if (typeof headers !== "object" || headers === null) return undefined;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (name.toLowerCase() === "retry-after" && typeof value === "string") return parseRetryAfter(value, now);
  }
  return undefined;
}

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: { code?: unknown };
  $metadata?: { httpStatusCode?: unknown };
}

/** Classifies the error of one attempt. */
export function classifyFailure(
  error: unknown,
  context: { onWire: boolean; timedOut: boolean; callerSignal?: AbortSignal | undefined; now: Date },
): AttemptFailure {
  const e = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof e.name === "string" ? e.name : "Error";
  const message = typeof e.message === "string" && e.message !== "" ? e.message : String(error);
  const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
  const code = typeof e.code === "string" ? e.code : typeof e.cause?.code === "string" ? e.cause.code : undefined;

  if (context.callerSignal?.aborted === true) return { kind: "aborted", reason: context.callerSignal.reason, error };
  if (context.timedOut)
    return context.onWire
      ? { kind: "unknown", reason: "timeout", message: "no answer within timeoutMs", error }
      : { kind: "unsent", code: "TimeoutError", message: "the SDK did not get the request ready within timeoutMs", error };
  if (name === "MessageRejected") return { kind: "rejected", message, error };
  if (status === 429 || THROTTLING.has(name))
    return { kind: "throttled", daily: DAILY_QUOTA.test(message), message, statusCode: status, retryAfterMs: retryAfterOf(error, context.now), error };
  if (status !== undefined && status >= 500)
    return { kind: "server", code: name, message, statusCode: status, retryAfterMs: retryAfterOf(error, context.now), error };
  if (status !== undefined) return { kind: "fatal", code: name, message, statusCode: status, error };
  // No HTTP answer. Before the request reached the HTTP handler nothing was sent (credentials,
  // endpoint or serialization failed); a refused connection sent nothing either. Anything else
  // (reset, timeout, hang-up) may have happened after SES read the request.
  if (!context.onWire) return { kind: "fatal", code: name, message, statusCode: undefined, error };
  if (code !== undefined && NOT_CONNECTED.has(code)) return { kind: "unsent", code, message, error };
  if (name === "TimeoutError" && /without establishing a connection/i.test(message))
    return { kind: "unsent", code: name, message, error };
  return { kind: "unknown", reason: name === "TimeoutError" || code === "ETIMEDOUT" ? "timeout" : "network", message, error };
}

/**
 * Sends one SendBounce request with the caller's client and reports what happened, without
 * throwing: the message id, or a classified failure.
 *
 * @example
 * const outcome = await attemptSendBounce(client, input, { timeoutMs: 30_000, now: () => new Date() });
 * if (outcome.ok) outcome.messageId;
 */
export async function attemptSendBounce(client: SESClient, input: SendBounceCommandInput, options: AttemptOptions): Promise<AttemptOutcome> {
  const { command, state } = singleAttemptCommand(input);
  const controller = new AbortController();
  const caller = options.signal;
  let timedOut = false;
  const onCallerAbort = () => controller.abort(caller?.reason);
  if (caller !== undefined) {
    if (caller.aborted) controller.abort(caller.reason);
    else caller.addEventListener("abort", onCallerAbort, { once: true });
  }
  // setTimeout fires at once for 2^31 ms or more: treat such a timeout as none.
  const timer =
    options.timeoutMs < 2 ** 31 && !controller.signal.aborted
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new Error(`no answer within ${options.timeoutMs} ms`));
        }, options.timeoutMs)
      : undefined;
  try {
    const output = await client.send(command, { abortSignal: controller.signal });
    if (typeof output.MessageId !== "string" || output.MessageId === "")
      return {
        ok: false,
        failure: { kind: "unknown", reason: "network", message: "SES answered without a MessageId", error: output },
      };
    return { ok: true, messageId: output.MessageId };
  } catch (error) {
    return { ok: false, failure: classifyFailure(error, { onWire: state.onWire, timedOut, callerSignal: caller, now: options.now() }) };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    caller?.removeEventListener("abort", onCallerAbort);
  }
}
