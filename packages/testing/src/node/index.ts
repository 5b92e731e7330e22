/**
 * `@dsnkit/testing/probe`: property-based conformance testing of a running mail server's bounces
 * over SMTP. Node only (it listens on sockets); the scenarios, properties, targets and report it
 * uses are in `@dsnkit/testing`, which stays isomorphic.
 *
 * ```ts
 * import { probeMta } from "@dsnkit/testing/probe";
 * import { formatProbeReport } from "@dsnkit/testing";
 *
 * const report = await probeMta({ submit: "smtp://127.0.0.1:25", target: "postfix", remotePort: 2601, returnPort: 2602 });
 * console.log(formatProbeReport(report));
 * ```
 *
 * @module @dsnkit/testing/probe
 */
export type { Probe, ProbeOptions, ProbeProgress } from "./probe.js";
export { probeMta, startProbe } from "./probe.js";
export { SmtpClientError } from "./smtp.js";
