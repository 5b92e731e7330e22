/**
 * The `dsnkit` command. {@link main} runs it with the given arguments and streams and resolves to
 * the exit code, so tests can run it in-process.
 *
 * Every command has two modules: its definition, `commands/<name>.ts` (its arguments, options and
 * help, built with commander alone), registered below, and what it runs, `run/<name>.ts`, which
 * the definition's action imports when the command runs. So `dsnkit --help` loads no command's
 * work, and each command loads only its own (the AWS SDK, SQLite, YAML or the parser load only
 * for the command that needs them). A new command follows the same pattern, and
 * test/start-up.test.ts holds the commands to it.
 *
 * @module dsnkit
 */
import { Command, CommanderError } from "commander";
import { CliError, EXIT } from "./exit.js";
import type { Io } from "./io.js";
import { renderCommand } from "./commands/render.js";
import { sendBounceCommand } from "./commands/send-bounce.js";
import { sesLocalCommand } from "./commands/ses-local.js";
import { parseCommand } from "./commands/parse.js";
import { checkCommand } from "./commands/check.js";
import { probeCommand } from "./commands/probe.js";
import { clockFromEnvironment } from "./clock.js";

export { CliError, EXIT } from "./exit.js";
export type { Io } from "./io.js";

/**
 * The process's streams. stdin is opened when a command first reads it (Node builds the stream on
 * first use, a few milliseconds that `dsnkit --help` need not spend).
 */
function processStreams(): Io {
  return {
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stderr.isTTY),
  };
}

/**
 * Runs `dsnkit` with `argv` (without the node and script names) and resolves to the exit code.
 * Errors meant for the user are printed as `dsnkit: <message>`, never as a stack trace. The clock
 * is `io.now` when given, else `SOURCE_DATE_EPOCH` when set, else the system clock.
 *
 * @example
 * const code = await main(["render", "request.json", "--original-sender", "a@example.org"]);
 * //=> 0
 */
export async function main(argv: readonly string[], streams: Io = processStreams()): Promise<number> {
  // A copy by property descriptors, not by spreading, which would open stdin by reading it.
  const io: Io = streams.now !== undefined ? streams : Object.defineProperties({} as Io, Object.getOwnPropertyDescriptors(streams));
  if (io.now === undefined) io.now = clockFromEnvironment(process.env);
  let code: number = EXIT.OK;
  const done = (c: number) => {
    code = c;
  };
  const program = new Command("dsnkit")
    .description("Render, parse and check RFC 3464 Delivery Status Notifications; send bounces through Amazon SES SendBounce.")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Commander's own errors (unknown options and commands, missing or bad option values) in
      // the form of every other error: `dsnkit: ...`.
      outputError: (s, write) => write(s.replace(/^error: /, "dsnkit: ")),
    })
    .showHelpAfterError("(run dsnkit help for usage)");
  const commands = [renderCommand(io, done), sendBounceCommand(io, done), sesLocalCommand(io, done), parseCommand(io, done), checkCommand(io, done), probeCommand(io, done)];
  for (const command of commands) program.addCommand(command.copyInheritedSettings(program));
  try {
    if (argv[0] === "help" && argv[1] !== undefined && !commands.some((c) => c.name() === argv[1]))
      throw new CliError(`help: there is no command ${JSON.stringify(argv[1])}; the commands are ${commands.map((c) => c.name()).join(", ")}`);
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander printed its message already; help and version exit 0.
      return e.exitCode === 0 ? EXIT.OK : EXIT.INVALID_INPUT;
    }
    if (e instanceof CliError) {
      io.stderr.write(`dsnkit: ${e.message}\n`);
      return e.exitCode;
    }
    const err = e as NodeJS.ErrnoException;
    if (err?.code === "EPIPE") return EXIT.OK;
    io.stderr.write(`dsnkit: unexpected error: ${err?.message ?? String(e)}\n`);
    return EXIT.FAILED;
  }
}
