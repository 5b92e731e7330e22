/**
 * The SMTP side: accepts mail for the configured domains and stores each message with an SES
 * message id, which the final reply carries (`250 Ok <id>`, as SES answers).
 *
 * @module
 */
import { SMTPServer } from "smtp-server";
import type { SMTPServerAddress, SMTPServerDataStream, SMTPServerSession } from "smtp-server";
import { formatRfc5322Date } from "@dsnkit/core";
import type { SesLocalStore, StoredMessage } from "./store.js";

/**
 * Options of {@link createSmtpServer}.
 *
 * @example
 * const o: SmtpOptions = { store, clock: () => new Date(), newId: sesMessageIdSequence(), domains: ["*"], maxMessageSize: 41_943_040, region: "us-east-1", log: console.log, warn: console.error };
 */
export interface SmtpOptions {
  store: SesLocalStore;
  clock: () => Date;
  newId: (at: Date) => string;
  /** Domains mail is accepted for: `*` (any), `example.com` (that domain), `*.example.com` (its subdomains). */
  domains: readonly string[];
  /** The largest message accepted, in bytes (advertised with SIZE). */
  maxMessageSize: number;
  /** The region named in the Received field (`by inbound-smtp.<region>.amazonaws.com`). */
  region: string;
  log: (line: string) => void;
  /** Where problems go. */
  warn: (line: string) => void;
  /** Why a recipient of an accepted domain is refused (`550 5.1.1`), or `undefined` to take it: the active receipt rule set's say. */
  refuseRecipient?: (address: string) => string | undefined;
  /** Called with each message once it is stored and acknowledged: the receipt rules run here. */
  received?: (message: StoredMessage) => void;
}

/**
 * True when `domain` matches a pattern of {@link SmtpOptions.domains}.
 *
 * @example
 * domainAccepted("mail.example.com", ["*.example.com"]);
 * //=> true
 * domainAccepted("example.net", ["example.com"]);
 * //=> false
 */
export function domainAccepted(domain: string, patterns: readonly string[]): boolean {
  const d = domain.toLowerCase().replace(/\.$/, "");
  for (const raw of patterns) {
    const p = raw.toLowerCase();
    if (p === "*" || p === d) return true;
    if (p.startsWith("*.") && d.endsWith(p.slice(1)) && d.length > p.length - 1) return true;
  }
  return false;
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * The trace fields prepended to a stored message, as SES's inbound servers add them:
 * `Return-Path` with the envelope sender and `Received` naming the client and the message id.
 */
function traceFields(session: SMTPServerSession, mailFrom: string, rcptTo: readonly string[], id: string, arrival: Date, region: string): string {
  const helo = typeof session.hostNameAppearsAs === "string" && session.hostNameAppearsAs !== "" ? session.hostNameAppearsAs : "unknown";
  // Controls and spaces cannot appear in these tokens; UTF-8 can (SMTPUTF8, RFC 6532).
  const clean = (s: string) => s.replace(/[\u0000-\u0020\u007f]/g, "?");
  return (
    `Return-Path: <${clean(mailFrom)}>\r\n` +
    `Received: from ${clean(helo)} ([${clean(session.remoteAddress)}])\r\n` +
    ` by inbound-smtp.${region}.amazonaws.com with SMTP id ${id}` +
    // RFC 5321 §4.4: name the recipient only when there is one.
    (rcptTo.length === 1 ? `\r\n for <${clean(rcptTo[0]!)}>;` : ";") +
    `\r\n ${formatRfc5322Date(arrival)}\r\n`
  );
}

/**
 * Creates the SMTP server (not yet listening). No TLS (loopback development use); AUTH is offered
 * and accepts any credentials, so clients configured with a user and password work unchanged.
 *
 * @example
 * const server = createSmtpServer(options);
 * server.listen(2525, "127.0.0.1");
 */
export function createSmtpServer(o: SmtpOptions): SMTPServer {
  return new SMTPServer({
    name: "ses-local",
    banner: "ses-local (dsnkit) ESMTP",
    size: o.maxMessageSize,
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 3_000,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? "anonymous" });
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const at = address.address.lastIndexOf("@");
      const domain = at < 0 ? "" : address.address.slice(at + 1);
      if (at <= 0 || !domainAccepted(domain, o.domains)) {
        callback(smtpError(550, `<${address.address}>: ses-local does not receive mail for ${domain === "" ? "that address" : domain} (it receives for ${o.domains.join(", ")})`));
        return;
      }
      const refused = o.refuseRecipient?.(address.address);
      if (refused !== undefined) {
        callback(smtpError(550, `5.1.1 <${address.address}>: Recipient address rejected: ${refused}`));
        return;
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      let answered = false;
      stream.on("data", (chunk: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.once("error", (err: Error) => {
        if (answered) return;
        answered = true;
        callback(smtpError(451, `Requested action aborted: ${err.message}`));
      });
      stream.once("end", () => {
        if (answered) return;
        answered = true;
        if (stream.sizeExceeded) {
          callback(smtpError(552, `Message exceeds the fixed maximum message size of ${o.maxMessageSize} bytes`));
          return;
        }
        const envelope = session.envelope;
        const mailFrom = envelope.mailFrom === false ? "" : envelope.mailFrom.address;
        const rcptTo = envelope.rcptTo.map((r) => r.address);
        const arrival = o.clock();
        const messageId = o.newId(arrival);
        const raw = Buffer.concat([Buffer.from(traceFields(session, mailFrom, rcptTo, messageId, arrival, o.region), "utf8"), ...chunks]);
        const message: StoredMessage = { messageId, arrival, mailFrom, rcptTo, raw, remoteAddress: session.remoteAddress };
        if (typeof session.hostNameAppearsAs === "string" && session.hostNameAppearsAs !== "") message.helo = session.hostNameAppearsAs;
        o.store.addMessage(message).then(
          () => {
            o.log(`received ${messageId} from <${mailFrom}> for ${rcptTo.map((r) => `<${r}>`).join(", ")} (${raw.length} bytes)`);
            callback(null, `Ok ${messageId}`);
            // As SES: the rules run after the message is accepted, not during the SMTP conversation.
            o.received?.(message);
          },
          (err: Error) => {
            o.warn(`could not store a message from <${mailFrom}>: ${err.message}`);
            callback(smtpError(451, "Requested action aborted: local error in processing (the message was not stored)"));
          },
        );
      });
    },
  });
}
