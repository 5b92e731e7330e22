/**
 * A private Haraka for the probe's tests: the exact version scripts/install-haraka.sh puts in
 * its cache folder, run as one process (smtp.ini nodes=0) with a configuration directory of its
 * own under a temporary directory, listening on 127.0.0.1 only. It relays for 127.0.0.1 (a
 * three-line plugin) and bounces at the first temporary failure. The routing lines are the
 * probe's own data for Haraka (`PROBE_TARGETS.haraka`), what `dsnkit probe --print-config haraka`
 * prints. Stopping it ends the process (SIGINT, then SIGKILL) and removes the directory.
 */
import { execFile, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { PROBE_TARGETS, fillRouting } from "@dsnkit/testing";
import type { ProbeRouting } from "@dsnkit/testing";
import { waitForGreeting } from "./greeting.js";

const root = resolve(import.meta.dirname, "../../..");

export interface HarakaInstance {
  port: number;
  pid: number;
  /** What Haraka printed (its log). */
  log(): string;
  stop(): Promise<void>;
}

/** The fixed port of the probe tests' Haraka. */
export const HARAKA_PORT = 2726;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Installs Haraka when it is missing (scripts/install-haraka.sh) and returns its folder. */
export async function harakaHome(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)("sh", [join(root, "scripts/install-haraka.sh")], { timeout: 300_000 });
    return stdout.trim();
  } catch (e) {
    throw new Error(`Haraka could not be installed by scripts/install-haraka.sh: ${(e as Error).message}`);
  }
}

export async function startHaraka(routing: ProbeRouting, port = HARAKA_PORT): Promise<HarakaInstance> {
  const home = await harakaHome();
  const dir = mkdtempSync(join(tmpdir(), "dsnkit-haraka-"));
  const config = join(dir, "config");
  mkdirSync(config);
  mkdirSync(join(dir, "plugins"));
  mkdirSync(join(dir, "queue"));
  // Haraka's own config files (connection.ini, the bounce templates, ...) first: a config
  // directory replaces them all.
  cpSync(join(home, "node_modules/Haraka/config"), config, { recursive: true });
  const connectionIni = join(config, "connection.ini");
  writeFileSync(connectionIni, readFileSync(connectionIni, "utf8").replace(/^bytes=\d+$/m, "bytes=1048576"));
  const files: Record<string, string> = {
    "config/smtp.ini": `[main]\nlisten=127.0.0.1:${port}\nnodes=0\nsmtputf8=true\n`,
    "config/me": "mta.haraka.probe.test\n",
    "config/host_list": "",
    "config/log.ini": "[main]\nlevel=warn\n",
    // Relaying for the probe on 127.0.0.1 (the relay plugin from npm fails on Haraka 3.3.4:
    // "Cannot read properties of undefined (reading 'greeting')").
    "config/plugins": "dsnkit_probe_relay\n",
    "plugins/dsnkit_probe_relay.js": "'use strict'\nexports.hook_connect = function (next, connection) {\n    if (connection.remote.ip === '127.0.0.1') connection.relaying = true\n    next()\n}\n",
    "config/outbound.ini": "",
  };
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  // The routing, and the bouncing of 4xx at once: PROBE_TARGETS.haraka, as --print-config prints it.
  const target = PROBE_TARGETS.haraka!;
  for (const part of [...target.config, ...(target.tempFailures ?? [])]) {
    const path = join(dir, part.file);
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, fillRouting(part.text, routing));
  }
  let log = "";
  const child: ChildProcess = spawn(process.execPath, [join(home, "node_modules/Haraka/bin/haraka"), "-c", dir], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (c: Buffer) => (log = (log + c.toString()).slice(-200_000)));
  child.stderr!.on("data", (c: Buffer) => (log = (log + c.toString()).slice(-200_000)));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  let running = true;
  void exited.then(() => (running = false));
  const stop = async () => {
    if (running) {
      child.kill("SIGINT");
      await Promise.race([exited, sleep(5000)]);
      if (running) {
        child.kill("SIGKILL");
        await exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  if (!(await waitForGreeting(port, () => running))) {
    await stop();
    throw new Error(`Haraka did not start on 127.0.0.1:${port}:\n${log}`);
  }
  return { port, pid: child.pid!, log: () => log, stop };
}
