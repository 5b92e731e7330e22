/**
 * Local Lambda functions for receipt rules' Lambda actions. A function ARN is mapped to a
 * JavaScript module exporting `handler` (run in a worker thread with the function's own
 * environment, as a Lambda container runs it) or to an HTTP URL that receives the event as JSON
 * in a POST and answers with the result.
 *
 * A module's containers are worker threads: each loads the module once and runs one invocation
 * at a time, and is reused while it is warm, so module-level state (a client, a queue) lives
 * across invocations as in Lambda. An invocation that throws ends with that error; one that runs
 * past the timeout has its container stopped (a fresh one serves the next invocation).
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/**
 * How an invocation ended: `result` is what the function returned (`null` for nothing); `error`
 * says why it did not return (`timedOut` when it ran out of time).
 *
 * @example
 * const outcome: InvokeOutcome = { ok: true, result: { disposition: "STOP_RULE" }, ms: 42 };
 */
export type InvokeOutcome = { ok: true; result: unknown; ms: number } | { ok: false; error: string; timedOut: boolean; ms: number };

/**
 * Options of {@link LambdaRunner}.
 *
 * @example
 * const o: LambdaRunnerOptions = { functions: new Map([[arn, "/abs/handler.mjs"]]), timeoutMs: 30_000, env: () => ({}), log: console.log, warn: console.error };
 */
export interface LambdaRunnerOptions {
  /** Function ARN → an absolute path of a JavaScript module, or an `http://`/`https://` URL. */
  functions: ReadonlyMap<string, string>;
  /** How long an invocation may run. */
  timeoutMs: number;
  /** The environment of a function's containers (asked for when a container starts). */
  env: (functionArn: string) => Record<string, string>;
  /** Where the functions' output goes, line by line. */
  log: (line: string) => void;
  warn: (line: string) => void;
  /** Containers per function at most; further invocations wait for one. Default 4. */
  maxContainers?: number;
}

/** The code of a container: loads the module once, then runs each invocation it is sent. */
const CONTAINER_SOURCE = `
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
let loaded;
function load() {
  return (loaded ??= import(workerData.url).then((mod) => {
    const handler = typeof mod.handler === "function" ? mod.handler : mod.default !== null && typeof mod.default === "object" && typeof mod.default.handler === "function" ? mod.default.handler : undefined;
    if (handler === undefined) throw new Error(workerData.file + " exports no function named handler");
    return handler;
  }));
}
function describe(e) {
  if (e instanceof Error) return { type: e.name || "Error", message: e.message };
  return { type: "Error", message: typeof e === "string" ? e : JSON.stringify(e) ?? String(e) };
}
// The init phase: the module is loaded when the container starts, before any invocation.
load().then(
  () => parentPort.postMessage({ ready: true }),
  (e) => parentPort.postMessage({ ready: true, error: describe(e) }),
);
parentPort.on("message", async ({ id, event, context }) => {
  const deadline = Date.now() + context.timeoutMs;
  const ctx = { ...context.fields, callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
  try {
    const handler = await load();
    const result = await new Promise((resolve, reject) => {
      let settled = false;
      const callback = (err, value) => {
        if (settled) return;
        settled = true;
        if (err !== null && err !== undefined) reject(err);
        else resolve(value);
      };
      let returned;
      try {
        returned = handler(event, ctx, callback);
      } catch (e) {
        callback(e);
        return;
      }
      if (returned !== null && typeof returned === "object" && typeof returned.then === "function") returned.then((v) => callback(null, v), (e) => callback(e ?? new Error("the handler's promise was rejected")));
      else if (handler.length < 3) callback(null, returned);
    });
    parentPort.postMessage({ id, ok: true, result: result === undefined ? null : JSON.parse(JSON.stringify(result)) });
  } catch (e) {
    parentPort.postMessage({ id, ok: false, error: describe(e) });
  }
});
`;

interface Pending {
  id: string;
  resolve: (outcome: InvokeOutcome) => void;
  started: number;
  timer: NodeJS.Timeout;
}

/** How long a container may take to load its module (Lambda's limit on the init phase). */
const INIT_TIMEOUT_MS = 10_000;

/** One warm container of a module function. */
class Container {
  readonly worker: Worker;
  pending: Pending | undefined;
  dead = false;
  /** Resolves when the module has loaded (`undefined`) or could not be (why). */
  private readonly ready: Promise<string | undefined>;
  private settleReady: (error: string | undefined) => void = () => undefined;

  constructor(
    readonly pool: Pool,
    file: string,
    env: Record<string, string>,
    log: (line: string) => void,
    warn: (line: string) => void,
  ) {
    this.ready = new Promise((resolve) => {
      const timer = setTimeout(() => resolve(`the module did not load within ${INIT_TIMEOUT_MS / 1000} s (Lambda's limit on a function's init)`), INIT_TIMEOUT_MS);
      this.settleReady = (error) => {
        clearTimeout(timer);
        resolve(error);
      };
    });
    this.worker = new Worker(CONTAINER_SOURCE, { eval: true, workerData: { url: pathToFileURL(file).href, file }, env, stdout: true, stderr: true });
    const name = pool.name;
    createInterface({ input: this.worker.stdout }).on("line", (line) => log(`lambda ${name}: ${line}`));
    createInterface({ input: this.worker.stderr }).on("line", (line) => warn(`lambda ${name}: ${line}`));
    this.worker.on("message", (m: { ready?: true; id: string; ok: boolean; result?: unknown; error?: { type: string; message: string } }) => {
      if (m.ready) return this.settleReady(m.error === undefined ? undefined : `${m.error.type}: ${m.error.message}`);
      if (this.pending?.id !== m.id) return;
      this.finish(m.ok ? { ok: true, result: m.result ?? null, ms: 0 } : { ok: false, error: `${m.error!.type}: ${m.error!.message}`, timedOut: false, ms: 0 });
    });
    // An exception thrown outside the invocation's promise (in a timer, say) ends the container.
    this.worker.on("error", (e) => this.die(`${e.name}: ${e.message} (thrown outside the handler's promise; the container was stopped)`));
    this.worker.on("exit", (code) => this.die(`the container exited with code ${code} (process.exit in the function?)`));
  }

  /**
   * Runs one invocation once the module has loaded; the timeout counts from then, as Lambda's
   * counts from the end of the init phase. A module that cannot load fails the invocation and
   * the container (the next one loads the module afresh).
   */
  async run(event: unknown, fields: Record<string, string>, timeoutMs: number, requestId: string): Promise<InvokeOutcome> {
    const started = Date.now();
    const initError = await this.ready;
    if (initError !== undefined) {
      void this.stop();
      return { ok: false, error: initError, timedOut: false, ms: Date.now() - started };
    }
    return new Promise((resolve) => {
      const id = requestId;
      const timer = setTimeout(() => {
        // Marked dead first, so that the container is not handed to another invocation.
        this.dead = true;
        this.finish({ ok: false, error: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`, timedOut: true, ms: 0 });
        void this.stop();
      }, timeoutMs);
      this.pending = { id, resolve, started: Date.now(), timer };
      this.worker.postMessage({ id, event, context: { timeoutMs, fields: { ...fields, awsRequestId: id } } });
    });
  }

  private finish(outcome: InvokeOutcome): void {
    const p = this.pending;
    if (p === undefined) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    p.resolve({ ...outcome, ms: Date.now() - p.started });
    if (!this.dead) this.pool.release(this);
  }

  private die(why: string): void {
    if (this.dead) return;
    this.dead = true;
    this.pool.forget(this);
    this.settleReady(why);
    this.finish({ ok: false, error: why, timedOut: false, ms: 0 });
  }

  stop(): Promise<number> {
    this.dead = true;
    this.pool.forget(this);
    this.settleReady("the container was stopped (ses-local is stopping)");
    // An invocation still running ends now, not at its timeout.
    this.finish({ ok: false, error: "the container was stopped (ses-local is stopping)", timedOut: false, ms: 0 });
    return this.worker.terminate();
  }
}

/** The containers of one module function. */
class Pool {
  readonly idle: Container[] = [];
  readonly all = new Set<Container>();
  readonly waiting: ((c: Container | undefined) => void)[] = [];
  closed = false;

  constructor(
    readonly arn: string,
    readonly name: string,
    private readonly make: (pool: Pool) => Container,
    private readonly max: number,
  ) {}

  /** A warm container, a new one, or the next one freed when `max` run; `undefined` once closed. */
  acquire(): Promise<Container | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const warm = this.idle.pop();
    if (warm !== undefined) return Promise.resolve(warm);
    if (this.all.size < this.max) {
      const c = this.make(this);
      this.all.add(c);
      return Promise.resolve(c);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(c: Container): void {
    if (this.closed) return;
    const next = this.waiting.shift();
    if (next !== undefined) next(c);
    else this.idle.push(c);
  }

  forget(c: Container): void {
    this.all.delete(c);
    const i = this.idle.indexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
    // A waiting invocation gets a fresh container in place of the dead one.
    const next = this.closed ? undefined : this.waiting.shift();
    if (next !== undefined) {
      const fresh = this.make(this);
      this.all.add(fresh);
      next(fresh);
    }
  }

  /** Stops every container; invocations still waiting for one get none. */
  close(): Promise<number[]> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w(undefined);
    return Promise.all([...this.all].map((c) => c.stop()));
  }
}

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z]{2}(?:-[a-z0-9]+)+-\d{1,2}:\d{12}:function:[A-Za-z0-9_-]{1,64}(?::[A-Za-z0-9_$-]{1,128})?$/;

/**
 * True when `arn` is the ARN of a Lambda function (optionally with a version or alias).
 *
 * @example
 * isLambdaArn("arn:aws:lambda:us-east-1:123456789012:function:bouncer");
 * //=> true
 * isLambdaArn("bouncer");
 * //=> false
 */
export function isLambdaArn(arn: string): boolean {
  return LAMBDA_ARN.test(arn);
}

/**
 * The name of a Lambda function from its ARN (`arn:aws:lambda:us-east-1:123456789012:function:bouncer` → `bouncer`).
 *
 * @example
 * functionName("arn:aws:lambda:us-east-1:123456789012:function:bouncer:live");
 * //=> "bouncer"
 */
export function functionName(arn: string): string {
  return arn.split(":")[6] ?? arn;
}

/**
 * The region of a Lambda function's ARN.
 *
 * @example
 * functionRegion("arn:aws:lambda:eu-west-1:123456789012:function:bouncer");
 * //=> "eu-west-1"
 */
export function functionRegion(arn: string): string {
  return arn.split(":")[3] ?? "";
}

/**
 * Runs the mapped functions. `invoke` never rejects: an error, a timeout or a function that is
 * not mapped is an outcome with `ok: false`.
 *
 * @example
 * const lambdas = new LambdaRunner({ functions: new Map([[arn, "/abs/handler.mjs"]]), timeoutMs: 30_000, env: () => ({}), log, warn });
 * const outcome = await lambdas.invoke(arn, event);
 * await lambdas.close();
 */
export class LambdaRunner {
  private readonly pools = new Map<string, Pool>();
  private readonly http = new Set<AbortController>();
  private closed = false;

  constructor(private readonly options: LambdaRunnerOptions) {}

  /**
   * The handler an ARN is mapped to: the ARN itself, or, for a qualified ARN (`...:function:name:alias`), the unqualified one.
   *
   * @example
   * lambdas.targetOf("arn:aws:lambda:us-east-1:123456789012:function:bouncer:live");
   * //=> "/abs/handler.mjs"
   */
  targetOf(arn: string): string | undefined {
    return this.options.functions.get(arn) ?? this.options.functions.get(arn.split(":").slice(0, 7).join(":"));
  }

  /**
   * True when `arn` is mapped to a handler.
   *
   * @example
   * lambdas.has("arn:aws:lambda:us-east-1:123456789012:function:nope");
   * //=> false
   */
  has(arn: string): boolean {
    return this.targetOf(arn) !== undefined;
  }

  /**
   * Invokes a function with an event and waits for its result. `requestId` is the function's
   * `context.awsRequestId` (a new one by default; a retry of an asynchronous invocation keeps it,
   * as Lambda's does).
   *
   * @example
   * const outcome = await lambdas.invoke(arn, event);
   * if (outcome.ok) console.log(outcome.result);
   */
  async invoke(arn: string, event: unknown, requestId: string = randomUUID()): Promise<InvokeOutcome> {
    const target = this.targetOf(arn);
    if (target === undefined) return { ok: false, error: `no local handler is mapped to ${arn}`, timedOut: false, ms: 0 };
    if (this.closed) return { ok: false, error: "ses-local is stopping", timedOut: false, ms: 0 };
    if (/^https?:\/\//i.test(target)) return this.post(target, event);
    let pool = this.pools.get(arn);
    if (pool === undefined) {
      const file = target;
      pool = new Pool(arn, functionName(arn), (p) => new Container(p, file, this.options.env(arn), this.options.log, this.options.warn), this.options.maxContainers ?? 4);
      this.pools.set(arn, pool);
    }
    const container = await pool.acquire();
    if (container === undefined) return { ok: false, error: "ses-local is stopping", timedOut: false, ms: 0 };
    const fields = {
      functionName: functionName(arn),
      functionVersion: "$LATEST",
      invokedFunctionArn: arn,
      memoryLimitInMB: "128",
      logGroupName: `/aws/lambda/${functionName(arn)}`,
      logStreamName: "ses-local",
    };
    return container.run(event, fields, this.options.timeoutMs, requestId);
  }

  private async post(url: string, event: unknown): Promise<InvokeOutcome> {
    const started = Date.now();
    const abort = new AbortController();
    this.http.add(abort);
    const timer = setTimeout(() => abort.abort(new Error("timeout")), this.options.timeoutMs);
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(event), signal: abort.signal });
      const text = await res.text();
      if (!res.ok) return { ok: false, error: `${url} answered HTTP ${res.status}${text.trim() === "" ? "" : `: ${text.trim().slice(0, 200)}`}`, timedOut: false, ms: Date.now() - started };
      if (text.trim() === "") return { ok: true, result: null, ms: Date.now() - started };
      try {
        return { ok: true, result: JSON.parse(text) as unknown, ms: Date.now() - started };
      } catch {
        return { ok: false, error: `${url} answered with a body that is not JSON: ${text.trim().slice(0, 200)}`, timedOut: false, ms: Date.now() - started };
      }
    } catch (e) {
      const timedOut = abort.signal.aborted && !this.closed;
      const why = timedOut ? `Task timed out after ${(this.options.timeoutMs / 1000).toFixed(2)} seconds` : `${url}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`;
      return { ok: false, error: why, timedOut, ms: Date.now() - started };
    } finally {
      clearTimeout(timer);
      this.http.delete(abort);
    }
  }

  /**
   * Stops every container and cancels requests in progress; later invocations fail at once.
   *
   * @example
   * await lambdas.close();
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const a of this.http) a.abort(new Error("ses-local is stopping"));
    await Promise.all([...this.pools.values()].map((p) => p.close()));
  }
}
