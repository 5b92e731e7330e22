/**
 * A private Postfix instance for the probe's tests: Debian's postfix package, run with its own
 * configuration directory, queue and data directories under a temporary directory (never
 * /etc/postfix), listening on 127.0.0.1 only, set to bounce at once and quietly:
 * `maximal_queue_lifetime = 0` (a 4xx is final at the first attempt), no delay warnings, no
 * copies to postmaster, no DNS. The routing lines are the probe's own data for Postfix
 * (`PROBE_TARGETS.postfix`), the lines `dsnkit probe --print-config postfix` prints.
 *
 * Stopping it stops every process it started: `postfix stop`, then `abort`, then the master's
 * pid, and it checks that no process with this instance's MAIL_CONFIG is left.
 */
import { execFile } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PROBE_TARGETS, renderTargetConfig } from "@dsnkit/testing";
import type { ProbeRouting } from "@dsnkit/testing";
import { waitForGreeting } from "./greeting.js";

const run = promisify(execFile);

export interface PostfixInstance {
  port: number;
  dir: string;
  /** Process ids of this instance still running (by their MAIL_CONFIG). */
  processes(): number[];
  stop(): Promise<void>;
}

/** The fixed port of the probe tests' Postfix (the range 2700-2799 is the probe's). */
export const POSTFIX_PORT = 2725;

const MASTER_CF = `# The dsnkit probe's Postfix: only what relaying and bouncing need; no chroot.
127.0.0.1:{port} inet n - n - - smtpd
pickup     unix  n - n 60 1 pickup
cleanup    unix  n - n -  0 cleanup
qmgr       unix  n - n 300 1 qmgr
rewrite    unix  - - n -  - trivial-rewrite
bounce     unix  - - n -  0 bounce
defer      unix  - - n -  0 bounce
trace      unix  - - n -  0 bounce
verify     unix  - - n -  1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -  - proxymap
proxywrite unix  - - n -  1 proxymap
smtp       unix  - - n -  - smtp
relay      unix  - - n -  - smtp
showq      unix  n - n -  - showq
error      unix  - - n -  - error
retry      unix  - - n -  - error
discard    unix  - - n -  - discard
anvil      unix  - - n -  1 anvil
scache     unix  - - n -  1 scache
postlog    unix-dgram n - n - 1 postlogd
`;

function mainCf(dir: string): string {
  return `# The dsnkit probe's Postfix (written by test/probe/mta/postfix.ts).
compatibility_level = 3.6
queue_directory = ${dir}/queue
data_directory = ${dir}/data
myhostname = mta.probe.test
mydomain = mta.probe.test
myorigin = $myhostname
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
relay_domains =
default_transport = error:5.1.2 the dsnkit probe's Postfix routes only the probe's domains
smtputf8_enable = yes
smtp_dns_support_level = disabled
smtpd_banner = $myhostname ESMTP Postfix
message_size_limit = 1048576
# Bounce at once and quietly.
delay_warning_time = 0
notify_classes =
in_flow_delay = 0
smtpd_error_sleep_time = 0
queue_run_delay = 10s
minimal_backoff_time = 10s
maximal_backoff_time = 20s
biff = no
syslog_name = dsnkit-probe-postfix
maillog_file = ${dir}/maillog
maillog_file_prefixes = ${dir}
`;
}

/** The pids whose environment has MAIL_CONFIG=<configDir>. */
function instanceProcesses(configDir: string): number[] {
  const needle = Buffer.from(`MAIL_CONFIG=${configDir}\0`);
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`).includes(needle)) out.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Writes the instance's configuration for `routing` and starts it. Fails (never skips) when
 * Postfix is not installed.
 */
export async function startPostfix(routing: ProbeRouting, port = POSTFIX_PORT): Promise<PostfixInstance> {
  if (!existsSync("/usr/sbin/postfix") || !existsSync("/usr/lib/postfix/sbin/master"))
    throw new Error("Postfix is not installed: run sh scripts/test-tools.sh (it installs Debian's postfix package, with no configuration)");
  const dir = mkdtempSync(join(tmpdir(), "dsnkit-postfix-"));
  // The postfix user must reach the queue; the data directory is its own.
  chmodSync(dir, 0o755);
  const etc = join(dir, "etc");
  mkdirSync(etc);
  mkdirSync(join(dir, "queue"));
  mkdirSync(join(dir, "data"));
  const uid = Number((await run("id", ["-u", "postfix"])).stdout.trim());
  chownSync(join(dir, "data"), uid, -1);
  const target = PROBE_TARGETS.postfix!;
  writeFileSync(join(etc, "main.cf"), mainCf(dir) + "\n# From PROBE_TARGETS.postfix (dsnkit probe --print-config postfix --temp-failures):\n" + renderTargetConfig(target, routing, { tempFailures: true }));
  writeFileSync(join(etc, "master.cf"), MASTER_CF.replace("{port}", String(port)));
  const stop = async () => {
    try {
      await run("/usr/sbin/postfix", ["-c", etc, "stop"]);
    } catch {
      // not running, or already stopping
    }
    for (let i = 0; i < 100 && instanceProcesses(etc).length > 0; i++) await sleep(100);
    if (instanceProcesses(etc).length > 0) {
      await run("/usr/sbin/postfix", ["-c", etc, "abort"]).catch(() => undefined);
      await sleep(500);
      for (const pid of instanceProcesses(etc)) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run("/usr/sbin/postfix", ["-c", etc, "check"]);
    await run("/usr/sbin/postfix", ["-c", etc, "start"]);
  } catch (e) {
    const log = existsSync(join(dir, "maillog")) ? readFileSync(join(dir, "maillog"), "utf8") : "";
    await stop();
    throw new Error(`Postfix did not start: ${(e as Error).message}\n${log}`);
  }
  if (!(await waitForGreeting(port))) {
    const log = existsSync(join(dir, "maillog")) ? readFileSync(join(dir, "maillog"), "utf8") : "";
    await stop();
    throw new Error(`Postfix started but does not answer on 127.0.0.1:${port}:\n${log}`);
  }
  return { port, dir, processes: () => instanceProcesses(etc), stop };
}
