/**
 * Probe targets as data: for each MTA, the few configuration lines that route the probe's two
 * domains to its remote and return servers, the lines that make 4xx replies bounce at once (test
 * instances only), the values that change from run to run in its replies and DSNs, and its known
 * findings with a verdict. One probe reads them all; a new MTA is a new entry, not new code.
 *
 * @module
 */

/**
 * Where the probe's servers listen and which domains they stand for: the values filled into a
 * target's configuration lines.
 *
 * @example
 * const r: ProbeRouting = { domain: "probe.test", returnDomain: "return.probe.test", remoteHost: "127.0.0.1", remotePort: 2601, returnHost: "127.0.0.1", returnPort: 2602 };
 */
export interface ProbeRouting {
  domain: string;
  returnDomain: string;
  remoteHost: string;
  remotePort: number;
  returnHost: string;
  returnPort: number;
}

/**
 * Lines for one configuration file of an MTA, with `{domain}`, `{returnDomain}`, `{remoteHost}`,
 * `{remotePort}`, `{returnHost}` and `{returnPort}` where the routing goes.
 *
 * @example
 * const c: TargetConfig = { file: "main.cf", note: "route the probe's domains", text: "transport_maps = inline:{ {domain}=smtp:[{remoteHost}]:{remotePort} }\n" };
 */
export interface TargetConfig {
  file: string;
  note: string;
  text: string;
}

/**
 * A finding the project has looked at for a target, with its verdict: a `bug`, or a
 * `documented choice` of the MTA's authors.
 *
 * @example
 * const k: KnownFinding = { property: "probe.original-recipient", verdict: "documented choice", note: "Postfix writes the pre-alias address on purpose." };
 */
export interface KnownFinding {
  property: string;
  /** checkDsn's rule, for `probe.dsn-conforms`. */
  rule?: string;
  verdict: "bug" | "documented choice";
  note: string;
}

/**
 * One MTA the probe knows how to route.
 *
 * @example
 * PROBE_TARGETS.postfix.title;
 * //=> "Postfix"
 */
export interface ProbeTarget {
  name: string;
  title: string;
  /** The lines that route the two domains. */
  config: TargetConfig[];
  /** Lines that make the MTA bounce at the first 4xx reply; for test instances only. */
  tempFailures?: TargetConfig[];
  /** Regular expressions (source text) for values that differ between runs: masked in reports. */
  volatile: string[];
  known: KnownFinding[];
}

/**
 * The targets `dsnkit probe --print-config` and `--target` know: `postfix`, `haraka`, `exim`,
 * and `generic` (no lines: route the two domains yourself).
 *
 * @example
 * Object.keys(PROBE_TARGETS);
 * //=> ["postfix", "haraka", "exim", "generic"]
 */
export const PROBE_TARGETS: Readonly<Record<string, ProbeTarget>> = Object.freeze({
  postfix: {
    name: "postfix",
    title: "Postfix",
    config: [
      {
        file: "main.cf",
        note: "route the probe's two domains to its servers (Postfix 3.0 or later; with a transport_maps of your own, add the two entries to it)",
        text: "transport_maps = inline:{ {domain}=smtp:[{remoteHost}]:{remotePort}, {returnDomain}=smtp:[{returnHost}]:{returnPort} }\n",
      },
    ],
    tempFailures: [
      {
        file: "main.cf",
        note: "bounce at the first 4xx instead of retrying for days (affects all mail: test instances only)",
        text: "maximal_queue_lifetime = 0\nbounce_queue_lifetime = 0\n",
      },
    ],
    // Queue ids (the short form; enable_long_queue_ids = no, the default).
    volatile: ["\\b[0-9A-F]{9,12}\\b"],
    known: [
      {
        property: "probe.dsn-conforms",
        rule: "dsnkit.unicode-line-break",
        verdict: "bug",
        note: "A sender with a UTF-8 local part (SMTPUTF8) comes back quoted with a backslash before each of its 8-bit octets (the returned Return-Path, X-Postfix-Sender): the UTF-8 is broken apart, and an octet 0x85 left on its own reads as NEL, a line break to Unicode-aware readers.",
      },
      {
        property: "probe.dsn-conforms",
        rule: "rfc6533.non-ascii-address-type",
        verdict: "bug",
        note: "Original-Recipient of a UTF-8 address is written with the rfc822 type; RFC 6533 §3 asks for utf-8 (Final-Recipient gets it right).",
      },
      {
        property: "probe.original-recipient",
        verdict: "documented choice",
        note: "Postfix writes Original-Recipient for every recipient: the ORCPT when given, otherwise the address as it was before aliasing and rewriting (enable_original_recipient, on by default).",
      },
      {
        property: "probe.diagnostic-code",
        verdict: "bug",
        note: "A TAB in the remote server's reply (allowed by RFC 5321 §4.2) becomes '?' in Diagnostic-Code: Postfix's SMTP client replaces every non-printable character of a reply, TAB included.",
      },
    ],
  },
  haraka: {
    name: "haraka",
    title: "Haraka",
    config: [
      { file: "config/plugins", note: "add this line to load the routing plugin (the probe submits from its own host: let it relay, e.g. the relay plugin with its address in config/relay_acl_allow)", text: "dsnkit_probe_route\n" },
      { file: "config/outbound.ini", note: "the probe's servers listen on a local address, which Haraka does not deliver to by default", text: "local_mx_ok=true\n" },
      {
        file: "plugins/dsnkit_probe_route.js",
        note: "route the probe's two domains to its servers",
        text:
          "'use strict'\n" +
          "// Routes the dsnkit probe's domains to its remote and return servers.\n" +
          "const routes = {\n" +
          "    '{domain}': { exchange: '{remoteHost}', port: {remotePort}, priority: 0 },\n" +
          "    '{returnDomain}': { exchange: '{returnHost}', port: {returnPort}, priority: 0 },\n" +
          "}\n" +
          "exports.hook_get_mx = function (next, hmail, domain) {\n" +
          "    const mx = routes[String(domain).toLowerCase()]\n" +
          "    if (mx) return next(OK, mx)\n" +
          "    next()\n" +
          "}\n",
      },
    ],
    tempFailures: [{ file: "config/outbound.ini", note: "bounce at the first 4xx instead of retrying (test instances only)", text: "temp_fail_intervals=none\n" }],
    // Queue and connection UUIDs, the banner's short UUID, the pid in "Haraka 123 invoked for bounce".
    volatile: ["\\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?:\\.\\d+)*\\b", "(?<=\\()[0-9A-F]{6}(?=\\))", "(?<=Haraka )\\d+(?= invoked)"],
    known: [
      { property: "probe.dsn-conforms", rule: "rfc2045.8bit-undeclared", verdict: "bug", note: "A DSN with 8-bit text (a UTF-8 address, an 8-bit original) declares no Content-Transfer-Encoding: 8bit on the message or its parts." },
      { property: "probe.dsn-conforms", rule: "rfc2045.mime-version-missing", verdict: "bug", note: "The DSN has no MIME-Version field, so it is not MIME at all to a strict reader." },
      { property: "probe.dsn-conforms", rule: "rfc2046.charset", verdict: "bug", note: "Parts declared us-ascii (or with no charset) carry UTF-8 text: the recipient's address and the returned headers." },
      { property: "probe.dsn-conforms", rule: "rfc3464.mta-name-type", verdict: "bug", note: "Remote-MTA is written as a bare address (127.0.0.1), without the mta-name-type (dns;)." },
      { property: "probe.dsn-conforms", rule: "rfc3464.required-field", verdict: "bug", note: "Recipient blocks without Status: after \"552 a\" (no enhanced code) it writes Action and Diagnostic-Code but no Status; after \"450 4.2.2 a\" it writes Action alone." },
      { property: "probe.dsn-conforms", rule: "rfc5322.folding", verdict: "bug", note: "A reply with a code and no text (\"451\", allowed by RFC 5321 §4.2) leaves a line of the delivery-status part that is neither a field nor a continuation." },
      { property: "probe.dsn-conforms", rule: "rfc6533.non-ascii-address-type", verdict: "bug", note: "A UTF-8 recipient is written Final-Recipient: rfc822; ... instead of the utf-8 type (RFC 6533 §3)." },
      { property: "probe.dsn-conforms", rule: "rfc6533.non-ascii-in-classic", verdict: "bug", note: "UTF-8 text in message/delivery-status: only message/global-delivery-status may carry it (RFC 6533 §6)." },
      { property: "probe.final-recipient", verdict: "bug", note: "After a bare \"451\" for one recipient, a recipient the remote server accepted is reported failed too." },
      { property: "probe.original-envelope-id", verdict: "bug", note: "Original-Envelope-Id is the original's Message-ID, though no ENVID was given (Haraka does not offer DSN): RFC 3464 §2.2.1 has it only for an ENVID, and a Message-ID is not one." },
      { property: "probe.status", verdict: "bug", note: "Status does not carry the remote server's enhanced code: after \"450 4.2.2 a\" the block has no Status at all (a reader falls back to 5.0.0)." },
      { property: "probe.diagnostic-code", verdict: "bug", note: "No Diagnostic-Code for many failures (a multi-line 550, a 450 with an enhanced code): the remote server's reply is only in the human-readable part." },
    ],
  },
  exim: {
    name: "exim",
    title: "Exim",
    config: [
      {
        file: "exim4.conf (main section)",
        note: "offer the DSN extension to the probe",
        text: "dsn_advertise_hosts = {remoteHost}\n",
      },
      {
        file: "exim4.conf (begin routers, before dnslookup)",
        note: "route the probe's two domains to its servers",
        text:
          "dsnkit_probe_remote:\n  driver = manualroute\n  domains = {domain}\n  route_list = * {remoteHost}\n  transport = dsnkit_probe_remote_smtp\n  self = send\n" +
          "dsnkit_probe_return:\n  driver = manualroute\n  domains = {returnDomain}\n  route_list = * {returnHost}\n  transport = dsnkit_probe_return_smtp\n  self = send\n",
      },
      {
        file: "exim4.conf (begin transports)",
        note: "the two transports, with the probe's ports",
        text:
          "dsnkit_probe_remote_smtp:\n  driver = smtp\n  port = {remotePort}\n  allow_localhost\n  hosts_avoid_tls = *\n" +
          "dsnkit_probe_return_smtp:\n  driver = smtp\n  port = {returnPort}\n  allow_localhost\n  hosts_avoid_tls = *\n",
      },
    ],
    // Exim treats a temporary error as permanent when no retry rule matches it: there is no line
    // to add, only the catch-all to leave out.
    tempFailures: [
      {
        file: "exim4.conf (begin retry)",
        note: "no rule may match {domain}: leave out the `* * F,2h,...` catch-all, and a 4xx bounces at the next queue run (run the daemon with -q2s; test instances only)",
        text: "# (no retry rule for {domain})\n",
      },
    ],
    // Message ids (1a2B3c-000Abc-1x, old and new forms).
    volatile: ["\\b[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}\\b"],
    known: [
      { property: "probe.dsn-conforms", rule: "rfc2045.8bit-undeclared", verdict: "bug", note: "A DSN that returns an 8-bit message (message/rfc822 with 8-bit text) declares no Content-Transfer-Encoding: 8bit." },
      { property: "probe.dsn-conforms", rule: "rfc2046.charset", verdict: "bug", note: "UTF-8 text (a UTF-8 recipient in the human-readable part) in a part declared us-ascii." },
      { property: "probe.dsn-conforms", rule: "rfc6533.non-ascii-address-type", verdict: "bug", note: "A UTF-8 recipient is written Final-Recipient: rfc822; ... instead of the utf-8 type (RFC 6533 §3)." },
      { property: "probe.dsn-conforms", rule: "rfc6533.non-ascii-in-classic", verdict: "bug", note: "UTF-8 in message/delivery-status and in returned headers, which only the message/global-* types may carry (RFC 6533 §6)." },
      { property: "probe.final-recipient", verdict: "bug", note: "A quoted local part with an escaped quote and a space (\"a \\\"a\") is relayed as \"a=\\\"a\": the remote server is asked for another address, and the DSN reports that one." },
      { property: "probe.original-recipient", verdict: "bug", note: "RCPT had ORCPT, yet the failed block has no Original-Recipient: seen when Exim gives up on a 4xx at a queue run." },
      { property: "probe.original-envelope-id", verdict: "bug", note: "Original-Envelope-Id is the ENVID as sent, still xtext (a+20a), not the decoded envelope id (a a)." },
      { property: "probe.notify-never", verdict: "bug", note: "NOTIFY=NEVER is not honoured when Exim gives up on a 4xx at a queue run (\"retry timeout exceeded\"): the recipient is in the failure DSN." },
      { property: "probe.notify-failure", verdict: "bug", note: "NOTIFY without FAILURE is not honoured on the same path: a failure DSN for a recipient that asked for SUCCESS or DELAY only." },
      { property: "probe.status", verdict: "bug", note: "Status is 5.0.0 for every failure, whatever enhanced code the remote server gave (5.2.2, 5.7.1, ...)." },
      { property: "probe.dsn-missing", verdict: "bug", note: "The recipient whose quoted local part Exim rewrote (see probe.final-recipient) gets no DSN under its own address." },
    ],
  },
  generic: {
    name: "generic",
    title: "an MTA",
    config: [],
    volatile: [],
    known: [],
  },
});

/**
 * The configuration lines of a target with the routing filled in, as text an operator can read:
 * each file's name and what the lines do, then the lines.
 *
 * @param target - The target.
 * @param routing - The domains, hosts and ports.
 * @param options - `tempFailures: true` adds the lines that bounce 4xx replies at once.
 * @returns the text.
 * @example
 * renderTargetConfig(PROBE_TARGETS.postfix, { domain: "probe.test", returnDomain: "return.probe.test", remoteHost: "127.0.0.1", remotePort: 2601, returnHost: "127.0.0.1", returnPort: 2602 }).split("\n")[1];
 * //=> "transport_maps = inline:{ probe.test=smtp:[127.0.0.1]:2601, return.probe.test=smtp:[127.0.0.1]:2602 }"
 */
export function renderTargetConfig(target: ProbeTarget, routing: ProbeRouting, options: { tempFailures?: boolean } = {}): string {
  const parts = [...target.config, ...(options.tempFailures === true ? (target.tempFailures ?? []) : [])];
  if (parts.length === 0) return `# ${target.title}: route ${routing.domain} to ${routing.remoteHost}:${routing.remotePort} and ${routing.returnDomain} to ${routing.returnHost}:${routing.returnPort}\n`;
  return parts.map((p) => `# ${p.file}: ${fillRouting(p.note, routing)}\n${fillRouting(p.text, routing)}`).join("\n");
}

/**
 * Fills `{domain}`, `{returnDomain}`, `{remoteHost}`, `{remotePort}`, `{returnHost}` and
 * `{returnPort}` in a configuration text.
 *
 * @param text - The text with placeholders.
 * @param routing - The values.
 * @returns the text with the values.
 * @example
 * fillRouting("{domain} -> {remoteHost}:{remotePort}", routing);
 * //=> "probe.test -> 127.0.0.1:2601"
 */
export function fillRouting(text: string, routing: ProbeRouting): string {
  return text.replace(/\{(domain|returnDomain|remoteHost|remotePort|returnHost|returnPort)\}/g, (_, k: keyof ProbeRouting) => String(routing[k]));
}
