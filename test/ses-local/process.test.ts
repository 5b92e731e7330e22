/**
 * The emulator as `dsnkit ses-local` (the built CLI) in a child process: what it prints on
 * start-up, a clean stop on SIGTERM and SIGINT, and that `kill -9` right after a bounce was
 * acknowledged loses neither the message nor the bounce.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { SESClient, SendBounceCommand, VerifyEmailIdentityCommand } from "@aws-sdk/client-ses";
import { ACCESS_KEY_ID, SECRET, deliver, mail } from "../../packages/ses-local/test/helpers.js";
import { CLI, emulatorsPerTest, run } from "./support.js";

const { start, scratch } = emulatorsPerTest();

async function getJson(endpoint: string, path: string): Promise<any> {
  const r = await fetch(`${endpoint}${path}`);
  expect(r.status).toBe(200);
  return r.json();
}

/** Each test starts Node processes: slow on a loaded 2-core machine. */
describe("dsnkit ses-local", { timeout: 120_000 }, () => {
  test("prints its SMTP and HTTP addresses, the credentials it accepts and its outbox", async () => {
    const dir = await scratch();
    const p = await start(["--smtp-port", "0", "--http-port", "0", "--data-dir", dir, "--identity", "mailer-daemon@example.com"]);
    const out = p.output();
    expect(out).toMatch(new RegExp(`SMTP\\s+smtp://127\\.0\\.0\\.1:${p.smtpPort}\\s`));
    expect(out).toMatch(new RegExp(`SES API\\s+http://127\\.0\\.0\\.1:${p.httpPort}\\s`));
    expect(out).toContain("AWS_ACCESS_KEY_ID=AKIDSESLOCAL AWS_SECRET_ACCESS_KEY=ses-local-secret-access-key");
    expect(out).toContain(`outbox       ${join(dir, "outbox")}`);
    expect(out).toContain(`store        ${join(dir, "ses-local.db")}`);
    expect(out).toContain("identities   mailer-daemon@example.com");
    expect(p.smtpPort).toBeGreaterThan(0);
    expect(p.httpPort).toBeGreaterThan(0);
  });

  test.each(["SIGTERM", "SIGINT"] as const)("stops cleanly on %s with exit code 0", async (signal) => {
    const dir = await scratch();
    const p = await start(["--smtp-port", "0", "--http-port", "0", "--data-dir", dir]);
    await deliver(p.smtpPort, mail());
    p.child.kill(signal);
    const { code, signal: killedBy } = await p.exited;
    expect([code, killedBy]).toEqual([0, null]);
    expect(p.output()).toContain(`ses-local: stopping (${signal})`);
    expect(p.output()).toContain("ses-local: stopped");
  });

  test("kill -9 after a bounce was acknowledged: a restart still has the message and the bounce", async () => {
    const dir = await scratch();
    const args = ["--smtp-port", "0", "--http-port", "0", "--data-dir", dir, "--domain", "example.com", "--rate", "0"];
    const first = await start(args);
    const id = await deliver(first.smtpPort, mail({ subject: "Survives kill -9" }));
    const client = new SESClient({ endpoint: first.endpoint, region: "us-east-1", credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }, maxAttempts: 1 });
    await client.send(new VerifyEmailIdentityCommand({ EmailAddress: "ops@example.org" }));
    const { MessageId } = await client.send(
      new SendBounceCommand({ OriginalMessageId: id, BounceSender: "ops@example.org", BouncedRecipientInfoList: [{ Recipient: "bob@example.com", BounceType: "DoesNotExist" }] }),
    );
    client.destroy();
    // The bounce is acknowledged: kill the process at once, no chance to flush anything.
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");

    const second = await start(args);
    const messages = (await getJson(second.endpoint, "/_ses-local/messages")).messages as { messageId: string; mailFrom: string; rcptTo: string[] }[];
    expect(messages.map((m) => m.messageId)).toEqual([id]);
    expect(messages[0]).toMatchObject({ mailFrom: "alice@example.org", rcptTo: ["bob@example.com"] });
    const bounces = (await getJson(second.endpoint, "/_ses-local/bounces")).bounces as { messageId: string; originalMessageId: string; outbox: string }[];
    expect(bounces.map((b) => [b.messageId, b.originalMessageId])).toEqual([[MessageId, id]]);
    const eml = await readFile(bounces[0]!.outbox, "utf8");
    expect(eml).toContain("Subject: Survives kill -9\r\n");
    const raw = await (await fetch(`${second.endpoint}/_ses-local/messages/${id}/raw`)).text();
    expect(raw).toContain("Subject: Survives kill -9\r\n");
    // The verified identity survived too: a second bounce is accepted.
    const again = new SESClient({ endpoint: second.endpoint, region: "us-east-1", credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }, maxAttempts: 1 });
    const out = await again.send(
      new SendBounceCommand({ OriginalMessageId: id, BounceSender: "ops@example.org", BouncedRecipientInfoList: [{ Recipient: "bob@example.com", BounceType: "ExceededQuota" }] }),
    );
    again.destroy();
    expect(out.MessageId).not.toBe(MessageId);
  });

  test("settings come from flags over DSNKIT_SES_LOCAL_* over the config file", async () => {
    const dir = await scratch();
    const config = join(dir, "ses-local.yaml");
    await writeFile(config, "domains: [from-file.example]\nidentities: [file@example.com]\nrate: 5\ndataDir: data\n");
    const p = await start(["--config", config, "--smtp-port", "0", "--http-port", "0", "--domain", "from-flag.example"], { ...process.env, DSNKIT_SES_LOCAL_RATE: "0", DSNKIT_SES_LOCAL_IDENTITIES: "env@example.com" });
    const out = p.output();
    expect(out).toContain("(mail for from-flag.example)");
    expect(out).toContain("identities   from-flag.example, env@example.com");
    expect(out).toContain("rate         no limit");
    expect(out).toContain(`store        ${join(dir, "data", "ses-local.db")}`);
  });

  test("a bad setting is refused naming the flag, variable or file key; exit code 2", async () => {
    const flag = await run(process.execPath, [CLI, "ses-local", "--smtp-port", "99999"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe('dsnkit: --smtp-port: "99999" is not a port number (0 to 65535; 0 picks a free port)\n');
    const env = await run(process.execPath, [CLI, "ses-local"], { env: { ...process.env, DSNKIT_SES_LOCAL_RATE: "fast" } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain("dsnkit: DSNKIT_SES_LOCAL_RATE: \"fast\" is not a rate");
    const dir = await scratch();
    await writeFile(join(dir, "c.json"), JSON.stringify({ domain: ["x.example"] }));
    const file = await run(process.execPath, [CLI, "ses-local", "--config", join(dir, "c.json")]);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain(`c.json: unknown setting "domain"; did you mean "domains"?`);
  });

  test("a port in use is refused naming the flag; exit code 1", async () => {
    const dir = await scratch();
    const p = await start(["--smtp-port", "0", "--http-port", "0", "--data-dir", dir]);
    const r = await run(process.execPath, [CLI, "ses-local", "--smtp-port", "0", "--http-port", String(p.httpPort), "--data-dir", join(dir, "other")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dsnkit: --http-port: cannot listen on 127\.0\.0\.1:\d+: the address is in use; choose another port/);
    // The SMTP port in use: one line, the error, not also smtp-server's raw error as a log line.
    const smtp = await run(process.execPath, [CLI, "ses-local", "--smtp-port", String(p.smtpPort), "--http-port", "0", "--data-dir", join(dir, "other")]);
    expect(smtp.code).toBe(1);
    expect(smtp.stderr).toBe(`dsnkit: --smtp-port: cannot listen on 127.0.0.1:${p.smtpPort}: the address is in use; choose another port (0 picks a free one)\n`);
    // A port from the environment is named by its variable.
    const env = await run(process.execPath, [CLI, "ses-local", "--http-port", "0", "--data-dir", join(dir, "other")], { env: { ...process.env, DSNKIT_SES_LOCAL_SMTP_PORT: String(p.smtpPort) } });
    expect(env.code).toBe(1);
    expect(env.stderr).toMatch(/^dsnkit: DSNKIT_SES_LOCAL_SMTP_PORT: cannot listen on 127\.0\.0\.1:\d+: the address is in use/);
  });

  test("a bad --host is a bad setting naming the host, not the port; exit code 2", async () => {
    const dir = await scratch();
    const ports = ["--smtp-port", "0", "--http-port", "0", "--data-dir", dir];
    const literal = await run(process.execPath, [CLI, "ses-local", "--host", "999.1.1.1", ...ports]);
    expect([literal.code, literal.stderr]).toEqual([2, 'dsnkit: --host: "999.1.1.1" is not an IP address (like 127.0.0.1, ::1, or 0.0.0.0 for all) or localhost\n']);
    // An address that is not this machine's (TEST-NET-1) is found when listening: still the host's fault.
    const foreign = await run(process.execPath, [CLI, "ses-local", "--host", "192.0.2.1", ...ports]);
    expect([foreign.code, foreign.stderr]).toEqual([2, "dsnkit: --host: cannot listen on 192.0.2.1: it is not an address of this machine (EADDRNOTAVAIL)\n"]);
    const env = await run(process.execPath, [CLI, "ses-local", ...ports], { env: { ...process.env, DSNKIT_SES_LOCAL_HOST: "192.0.2.1" } });
    expect([env.code, env.stderr]).toEqual([2, "dsnkit: DSNKIT_SES_LOCAL_HOST: cannot listen on 192.0.2.1: it is not an address of this machine (EADDRNOTAVAIL)\n"]);
    const config = join(dir, "host.yaml");
    await writeFile(config, "host: 192.0.2.1\n");
    const file = await run(process.execPath, [CLI, "ses-local", "--config", config, ...ports]);
    expect([file.code, file.stderr]).toEqual([2, `dsnkit: --config ${config}: host: cannot listen on 192.0.2.1: it is not an address of this machine (EADDRNOTAVAIL)\n`]);
  });

  test("config file errors name --config (or DSNKIT_SES_LOCAL_CONFIG) and fit on one line; exit code 2", async () => {
    const missing = await run(process.execPath, [CLI, "ses-local", "--config", "no-such-ses-local-config.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^dsnkit: --config no-such-ses-local-config\.yaml: cannot read the config file \/.*\/no-such-ses-local-config\.yaml: no such file\n$/);
    const viaEnv = await run(process.execPath, [CLI, "ses-local"], { env: { ...process.env, DSNKIT_SES_LOCAL_CONFIG: "/no/such/ses-local.yaml" } });
    expect([viaEnv.code, viaEnv.stderr]).toEqual([2, "dsnkit: DSNKIT_SES_LOCAL_CONFIG=/no/such/ses-local.yaml: cannot read the config file: no such file\n"]);
    const dir = await scratch();
    const bad = join(dir, "bad.yaml");
    await writeFile(bad, "rate: 1\ndomains: [\n");
    const syntax = await run(process.execPath, [CLI, "ses-local", "--config", bad]);
    expect([syntax.code, syntax.stderr]).toEqual([2, `dsnkit: --config ${bad}: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1\n`]);
  });
});
