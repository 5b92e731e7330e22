/**
 * Start-up: how long a fresh Node process takes to run a command, against bare `node -e 0`.
 * Every command is a child process; a round runs each once, in an order that rotates from round to
 * round, so that load from other processes falls on all of them alike. A command's figure is the
 * median of its rounds and its ratio to the reference the median of the per-round ratios, in wall
 * clock (what a user waits) and in CPU time (user + system, which load changes less).
 *
 * The CPU time is the child's own: a preloaded script (cpu-report.cjs) writes process.cpuUsage()
 * to file descriptor 3 as the process exits. It is preloaded into every command, the reference
 * included, so its small cost cancels in the ratios.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median, quantile } from "./measure.mjs";

const REPORT = fileURLToPath(new URL("cpu-report.cjs", import.meta.url));

/**
 * The environment start-up is measured in: this one without NODE_EXTRA_CA_CERTS, which makes
 * every Node process read and parse the certificates it names before running anything (on this
 * machine the whole system bundle, more than node -e 0's own work). An ordinary installation
 * does not set it; it is not dsnkit's cost.
 */
export function startupEnv(env = process.env) {
  const { NODE_EXTRA_CA_CERTS: _, ...rest } = env;
  return rest;
}

function once(c, env, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--require", REPORT, ...c.args], { cwd, env, stdio: ["ignore", "ignore", "pipe", "pipe"], encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== c.status) throw new Error(`${c.name} exited with ${r.status}, not ${c.status}: ${r.stderr}`);
  const cpu = JSON.parse(r.output[3]);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

/**
 * @param {{ name: string, args: string[], status?: number }[]} commands node's arguments for each; the first is the reference
 * @param {{ rounds?: number, warm?: number, cwd?: string }} options
 */
export function startup(commands, { rounds = 21, warm = 2, cwd = process.cwd() } = {}) {
  const env = startupEnv();
  const cs = commands.map((c) => ({ status: 0, ...c }));
  for (let i = 0; i < warm; i++) for (const c of cs) once(c, env, cwd); // the file cache, the first spawn
  const wall = cs.map(() => []);
  const cpu = cs.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < cs.length; k++) {
      const i = (k + r) % cs.length;
      const t = once(cs[i], env, cwd);
      wall[i].push(t.wall);
      cpu[i].push(t.cpu);
    }
  }
  const stats = (xs, ref) => {
    const ratios = xs.map((x, r) => x / ref[r]);
    return { ms: median(xs), p25: quantile(xs, 0.25), p75: quantile(xs, 0.75), ratio: median(ratios), ratioP25: quantile(ratios, 0.25), ratioP75: quantile(ratios, 0.75), rounds: xs };
  };
  return cs.map((c, i) => ({ name: c.name, args: c.args, wall: stats(wall[i], wall[0]), cpu: stats(cpu[i], cpu[0]) }));
}
