/**
 * What one probe run of a scenario records: the submission, what the remote server was asked and
 * answered, and the messages the return server received. Plain data, checked by
 * {@link checkScenarioRun}.
 *
 * @module
 */
import type { MaterializedScenario, ProbeScenario, ReplySpec } from "./scenario.js";

/**
 * One line of an SMTP conversation: `C` what the client sent, `S` what the server answered.
 *
 * @example
 * const line: TranscriptLine = { dir: "S", text: "250 2.1.0 Ok" };
 */
export interface TranscriptLine {
  dir: "C" | "S";
  text: string;
}

/**
 * A reply the remote server gave for one recipient, at RCPT or at the end of DATA.
 *
 * @example
 * const e: RemoteReplyEvent = { address: "t1r0.ann@probe.test", stage: "rcpt", reply: { code: 550, lines: ["no"] } };
 */
export interface RemoteReplyEvent {
  address: string;
  stage: "rcpt" | "data";
  reply: ReplySpec;
}

/**
 * A message the return server received: its envelope, its octets, and the conversation.
 *
 * @example
 * const m: ReceivedMail = { mailFrom: "", rcptTo: ["t1.sender@return.probe.test"], raw: new Uint8Array(), transcript: [] };
 */
export interface ReceivedMail {
  /** The reverse path without angle brackets: `""` for `MAIL FROM:<>`. */
  mailFrom: string;
  rcptTo: string[];
  raw: Uint8Array;
  transcript: TranscriptLine[];
}

/**
 * Everything one run of a scenario recorded.
 *
 * @example
 * const run: ScenarioRun = { tag: "t1", scenario, sent, submission, remote: { transcript: [], replies: [] }, dsns: [], timedOut: false };
 */
export interface ScenarioRun {
  tag: string;
  scenario: ProbeScenario;
  sent: MaterializedScenario;
  submission: {
    transcript: TranscriptLine[];
    /** MAIL FROM was accepted. */
    mail: boolean;
    /** Each RCPT was accepted (in scenario order). */
    accepted: boolean[];
    /** The message was accepted at the end of DATA. */
    data: boolean;
    /** A connection error or a timeout of the submission, in words. */
    error?: string;
  };
  remote: {
    /** Every session of the MTA with the remote server for this run, one after the other. */
    transcript: TranscriptLine[];
    replies: RemoteReplyEvent[];
  };
  /** The messages the return server received for this run (DSNs, one hopes). */
  dsns: ReceivedMail[];
  /** The run ended at its timeout while a DSN it expected had not come. */
  timedOut: boolean;
}
