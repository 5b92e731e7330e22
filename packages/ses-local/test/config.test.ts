/**
 * Settings: defaults, precedence (flags > DSNKIT_SES_LOCAL_* > config file), and errors that name
 * their source.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CONFIG_ENV, ConfigError, SES_LOCAL_DEFAULTS, parseSize, resolveSesLocalConfig, resolveSesLocalSettings, settingsFromEnv } from "@dsnkit/ses-local";
import { tempDir } from "./helpers.js";

let dir: string;
let remove: () => Promise<void>;
beforeAll(async () => {
  ({ dir, remove } = await tempDir());
});
afterAll(async () => remove());

describe("resolveSesLocalConfig", () => {
  test("with nothing given: the documented defaults, paths under the working directory", () => {
    expect(resolveSesLocalConfig({ cwd: "/work" })).toEqual({
      host: "127.0.0.1",
      smtpPort: 2525,
      httpPort: 4579,
      dataDir: "/work/.ses-local",
      outbox: "/work/.ses-local/outbox",
      domains: ["*"],
      identities: [],
      credentials: [{ accessKeyId: "AKIDSESLOCAL", secretAccessKey: "ses-local-secret-access-key" }],
      rate: 1,
      maxRequestSize: 10 * 1024 * 1024,
      maxMessageSize: 40 * 1024 * 1024,
      region: "us-east-1",
      renderProfile: "ses",
      lambdas: {},
      lambdaTimeout: 30,
      lambdaRetryDelays: [60, 120],
    });
    expect(SES_LOCAL_DEFAULTS.smtpPort).toBe(2525);
  });

  test("lambdas: ARN=handler from flags (a list), the environment (comma-separated) or the file (an object, paths relative to it); URLs kept", async () => {
    const arn = "arn:aws:lambda:us-east-1:123456789012:function:bouncer";
    const other = "arn:aws:lambda:eu-west-1:123456789012:function:other:live";
    await writeFile(join(dir, "handler.mjs"), "export async function handler() {}\n");
    const flags = resolveSesLocalConfig({ cwd: dir, flags: { lambdas: [`${arn}=./handler.mjs`, `${other}=http://127.0.0.1:9000/invoke`], lambdaTimeout: "2.5" } });
    expect([flags.lambdas, flags.lambdaTimeout]).toEqual([{ [arn]: join(dir, "handler.mjs"), [other]: "http://127.0.0.1:9000/invoke" }, 2.5]);
    const env = resolveSesLocalConfig({ cwd: dir, env: { DSNKIT_SES_LOCAL_LAMBDAS: `${arn}=handler.mjs, ${other}=https://lambda.example/x`, DSNKIT_SES_LOCAL_LAMBDA_TIMEOUT: "5" } });
    expect([env.lambdas, env.lambdaTimeout]).toEqual([{ [arn]: join(dir, "handler.mjs"), [other]: "https://lambda.example/x" }, 5]);
    const file = join(dir, "lambdas.yaml");
    await writeFile(file, `lambdas:\n  "${arn}": ./handler.mjs\nlambdaTimeout: 10\n`);
    const fromFile = resolveSesLocalConfig({ cwd: "/", file });
    expect([fromFile.lambdas, fromFile.lambdaTimeout]).toEqual([{ [arn]: join(dir, "handler.mjs") }, 10]);
  });

  test.each([
    [{ lambdas: ["bouncer=./handler.mjs"] }, '--lambda bouncer=./handler.mjs: "bouncer" is not a Lambda function ARN'],
    [{ lambdas: ["arn:aws:lambda:us-east-1:123456789012:function:bouncer"] }, "must be ARN=HANDLER"],
    [{ lambdas: ["arn:aws:lambda:us-east-1:123456789012:function:bouncer=./missing.mjs"] }, "the handler of arn:aws:lambda:us-east-1:123456789012:function:bouncer, /x/missing.mjs, does not exist"],
    [{ lambdas: ["arn:aws:lambda:us-east-1:123456789012:function:bouncer=./handler.ts"] }, "--lambda arn:aws:lambda:us-east-1:123456789012:function:bouncer=./handler.ts: ./handler.ts is TypeScript"],
    [{ lambdas: ["arn:aws:lambda:us-east-1:123456789012:function:bouncer=ftp://x/y"] }, "a handler is a file or an http:// or https:// URL"],
    [{ lambdas: ["arn:aws:lambda:us-east-1:123456789012:function:b=http://x/", "arn:aws:lambda:us-east-1:123456789012:function:b=http://y/"] }, "is mapped twice"],
    [{ lambdaTimeout: "0" }, '--lambda-timeout: "0" is not a number of seconds from more than 0 to 900'],
    [{ lambdaTimeout: "1000" }, '--lambda-timeout: "1000" is not a number of seconds'],
  ])("a bad lambda setting is refused, naming the flag: %j", (flags, message) => {
    expect(() => resolveSesLocalConfig({ cwd: "/x", flags, flagName: (k) => (k === "lambdas" ? "--lambda" : k === "lambdaTimeout" ? "--lambda-timeout" : k) })).toThrow(ConfigError);
    expect(() => resolveSesLocalConfig({ cwd: "/x", flags, flagName: (k) => (k === "lambdas" ? "--lambda" : k === "lambdaTimeout" ? "--lambda-timeout" : k) })).toThrow(message);
  });

  test("lambdaRetryDelays: seconds from a flag or the environment (comma-separated) or the file (a list); none or an empty list for no retries", async () => {
    expect(resolveSesLocalConfig({ cwd: dir, flags: { lambdaRetryDelays: "1.5, 30" } }).lambdaRetryDelays).toEqual([1.5, 30]);
    expect(resolveSesLocalConfig({ cwd: dir, flags: { lambdaRetryDelays: "0" } }).lambdaRetryDelays).toEqual([0]);
    expect(resolveSesLocalConfig({ cwd: dir, env: { DSNKIT_SES_LOCAL_LAMBDA_RETRY_DELAYS: "none" } }).lambdaRetryDelays).toEqual([]);
    const file = join(dir, "retries.yaml");
    await writeFile(file, "lambdaRetryDelays: [5]\n");
    expect(resolveSesLocalConfig({ cwd: "/", file }).lambdaRetryDelays).toEqual([5]);
    await writeFile(file, "lambdaRetryDelays: []\n");
    expect(resolveSesLocalConfig({ cwd: "/", file }).lambdaRetryDelays).toEqual([]);
  });

  test.each([
    ["1,2,3", '--lambda-retry-delays: 3 delays given; Lambda retries a failed Event invocation at most twice (like 60,120; none for no retries)'],
    ["-1", '--lambda-retry-delays: "-1" is not a number of seconds from 0 to 21600'],
    ["60,soon", '--lambda-retry-delays: "soon" is not a number of seconds from 0 to 21600'],
    ["21601", '--lambda-retry-delays: "21601" is not a number of seconds'],
  ])("a bad lambdaRetryDelays (%s) is refused, naming the flag", (value, message) => {
    expect(() => resolveSesLocalConfig({ cwd: "/x", flags: { lambdaRetryDelays: value } })).toThrow(ConfigError);
    expect(() => resolveSesLocalConfig({ cwd: "/x", flags: { lambdaRetryDelays: value } })).toThrow(message);
  });

  test("flags win over the environment, which wins over the file; each setting on its own", async () => {
    const file = join(dir, "ses-local.yaml");
    await writeFile(
      file,
      [
        "smtpPort: 2600",
        "httpPort: 4600",
        "rate: 3",
        "domains:",
        "  - file.example",
        "dataDir: state",
        "relay: smtp://127.0.0.1:1025",
        "credentials:",
        "  - { accessKeyId: AKIDFILE1, secretAccessKey: s1 }",
        "  - { accessKeyId: AKIDFILE2, secretAccessKey: s2 }",
      ].join("\n"),
    );
    const c = resolveSesLocalConfig({
      flags: { smtpPort: "0" },
      env: { DSNKIT_SES_LOCAL_SMTP_PORT: "2700", DSNKIT_SES_LOCAL_HTTP_PORT: "4700", DSNKIT_SES_LOCAL_CONFIG: file },
      cwd: "/elsewhere",
    });
    expect(c.smtpPort).toBe(0); // flag
    expect(c.httpPort).toBe(4700); // environment
    expect(c.rate).toBe(3); // file
    expect(c.domains).toEqual(["file.example"]);
    expect(c.dataDir).toBe(join(dir, "state")); // relative to the file
    expect(c.outbox).toBe(join(dir, "state", "outbox"));
    expect(c.relay).toEqual({ host: "127.0.0.1", port: 1025, secure: false });
    expect(c.credentials.map((k) => k.accessKeyId)).toEqual(["AKIDFILE1", "AKIDFILE2"]);
    // A key pair from the environment replaces the file's list.
    const env = resolveSesLocalConfig({ env: { DSNKIT_SES_LOCAL_ACCESS_KEY_ID: "AKIDENV", DSNKIT_SES_LOCAL_SECRET_ACCESS_KEY: "e" }, file, cwd: "/" });
    expect(env.credentials).toEqual([{ accessKeyId: "AKIDENV", secretAccessKey: "e" }]);
  });

  test("renderProfile: ses by default; default from a flag, the environment or the file", async () => {
    const file = join(dir, "profile.yaml");
    await writeFile(file, "renderProfile: default\n");
    expect(resolveSesLocalConfig({ file, cwd: "/" }).renderProfile).toBe("default");
    expect(resolveSesLocalConfig({ env: { DSNKIT_SES_LOCAL_RENDER_PROFILE: "default" } }).renderProfile).toBe("default");
    expect(resolveSesLocalConfig({ flags: { renderProfile: "ses" }, env: { DSNKIT_SES_LOCAL_RENDER_PROFILE: "default" } }).renderProfile).toBe("ses");
    expect(() => resolveSesLocalConfig({ file: join(dir, "profile.yaml"), env: { DSNKIT_SES_LOCAL_RENDER_PROFILE: "postfix" } })).toThrow(
      'DSNKIT_SES_LOCAL_RENDER_PROFILE: "postfix" is not a render profile: ses (what SES sends) or default (dsnkit\'s RFC-clean layout)',
    );
  });

  test("a JSON config file", async () => {
    const file = join(dir, "c.json");
    await writeFile(file, JSON.stringify({ domains: ["a.example", "*.b.example"], identities: ["ops@a.example"], maxRequestSize: "1M" }));
    const c = resolveSesLocalConfig({ file, cwd: "/" });
    expect([c.domains, c.identities, c.maxRequestSize]).toEqual([["a.example", "*.b.example"], ["ops@a.example"], 1024 * 1024]);
  });

  test("lists from flags and the environment are comma-separated", () => {
    const c = resolveSesLocalConfig({ flags: { domains: "a.example,b.example, c.example" }, env: { DSNKIT_SES_LOCAL_IDENTITIES: "x@a.example, a.example" } });
    expect(c.domains).toEqual(["a.example", "b.example", "c.example"]);
    expect(c.identities).toEqual(["x@a.example", "a.example"]);
  });

  test.each([
    [{ flags: { smtpPort: "70000" } }, '--smtp-port: "70000" is not a port number (0 to 65535; 0 picks a free port)'],
    [{ env: { DSNKIT_SES_LOCAL_HTTP_PORT: "http" } }, 'DSNKIT_SES_LOCAL_HTTP_PORT: "http" is not a port number'],
    [{ flags: { rate: "-1" } }, '--rate: "-1" is not a rate'],
    [{ flags: { domains: "ok.example,exa mple.com" } }, '--domains: "exa mple.com" is not a domain, *.domain or *'],
    [{ flags: { identities: ["a@b@c"] } }, '--identities[0]: "a@b@c" is not an email address or a domain'],
    [{ flags: { maxMessageSize: "lots" } }, '--max-message-size: "lots" is not a size in bytes'],
    [{ flags: { relay: "http://x" } }, "--relay: \"http://x\": the scheme must be smtp:// or smtps://"],
    [{ flags: { region: "mars" } }, '--region: "mars" is not an AWS region name like us-east-1'],
    [{ flags: { renderProfile: "SES" } }, '--render-profile: "SES" is not a render profile: ses (what SES sends) or default'],
    [{ flags: { accessKeyId: "AKID" } }, "--access-key-id: give --access-key-id and --secret-access-key together"],
    [{ env: { DSNKIT_SES_LOCAL_CONFIG: "/no/such/file.yaml" } }, "DSNKIT_SES_LOCAL_CONFIG=/no/such/file.yaml: cannot read the config file: no such file"],
    [{ file: "/no/such/file.yaml" }, "--config /no/such/file.yaml: cannot read the config file: no such file"],
    [{ flags: { host: "999.1.1.1" } }, '--host: "999.1.1.1" is not an IP address (like 127.0.0.1, ::1, or 0.0.0.0 for all) or localhost'],
    [{ env: { DSNKIT_SES_LOCAL_HOST: "mail.example.com" } }, 'DSNKIT_SES_LOCAL_HOST: "mail.example.com" is not an IP address'],
    [{ flags: { host: "[127.0.0.1]" } }, '--host: "[127.0.0.1]" is not an IP address'],
  ])("%j is refused: %s", (input, message) => {
    expect(() => resolveSesLocalConfig(input)).toThrow(ConfigError);
    expect(() => resolveSesLocalConfig(input)).toThrow(message);
  });

  test("a bad config file names the file and the key", async () => {
    const bad = join(dir, "bad.yaml");
    await writeFile(bad, "smtp_port: 25\n");
    expect(() => resolveSesLocalConfig({ file: bad })).toThrow(`${bad}: unknown setting "smtp_port"; did you mean "smtpPort"?`);
    await writeFile(bad, "credentials:\n  - { accessKeyId: A }\n");
    expect(() => resolveSesLocalConfig({ file: bad })).toThrow(`${bad}: credentials[0].secretAccessKey: is required`);
    await writeFile(bad, "domains: [ok.example, 'bad domain']\n");
    expect(() => resolveSesLocalConfig({ file: bad })).toThrow(`${bad}: domains[1]: "bad domain" is not a domain`);
    await writeFile(bad, "- a\n- b\n");
    expect(() => resolveSesLocalConfig({ file: bad })).toThrow("the config file must hold an object of settings");
    await writeFile(bad, "a: [\n");
    expect(() => resolveSesLocalConfig({ file: bad })).toThrow(`${bad}: invalid YAML`);
  });

  test("a config file's errors name --config and the file as given, or the variable that named it", async () => {
    await writeFile(join(dir, "named.yaml"), "smtp_port: 25\n");
    expect(() => resolveSesLocalConfig({ file: "named.yaml", cwd: dir })).toThrow(new ConfigError('--config named.yaml: unknown setting "smtp_port"; did you mean "smtpPort"?'));
    expect(() => resolveSesLocalConfig({ env: { [CONFIG_ENV]: "named.yaml" }, cwd: dir })).toThrow(
      new ConfigError('DSNKIT_SES_LOCAL_CONFIG=named.yaml: unknown setting "smtp_port"; did you mean "smtpPort"?'),
    );
    await writeFile(join(dir, "named.yaml"), "rate: fast\n");
    expect(() => resolveSesLocalConfig({ file: "named.yaml", cwd: dir })).toThrow(new ConfigError('--config named.yaml: rate: "fast" is not a rate (calls per second, like 1 or 0.5; 0 for no limit)'));
    // A relative path that cannot be read: the path it was resolved to is shown too.
    expect(() => resolveSesLocalConfig({ file: "nofile.yaml", cwd: dir })).toThrow(new ConfigError(`--config nofile.yaml: cannot read the config file ${join(dir, "nofile.yaml")}: no such file`));
  });

  test("a syntax error is one line with its line and column, not the parser's code excerpt", async () => {
    const bad = join(dir, "syntax.yaml");
    await writeFile(bad, "smtpPort: 2525\ndomains: [\n");
    expect(() => resolveSesLocalConfig({ file: bad })).toThrow(
      new ConfigError(`--config ${bad}: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1`),
    );
    await writeFile(bad, "smtpPort: 1\nsmtpPort: 2\n");
    expect(() => resolveSesLocalConfig({ file: bad })).toThrow(new ConfigError(`--config ${bad}: invalid YAML: Map keys must be unique at line 2, column 1`));
    const json = join(dir, "syntax.json");
    await writeFile(json, '{\n  "rate": 1,\n}\n');
    let message = "";
    try {
      resolveSesLocalConfig({ file: json });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(new RegExp(`^--config ${json.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: invalid JSON: .* at line 3, column 1$`));
  });

  test("a host is an IP address or localhost; resolveSesLocalSettings names the source of each setting", async () => {
    for (const host of ["127.0.0.1", "0.0.0.0", "::1", "::", "localhost", "LOCALHOST"]) expect(resolveSesLocalConfig({ flags: { host } }).host).toBe(host);
    expect(resolveSesLocalConfig({ flags: { host: "[::1]" } }).host).toBe("::1");
    const file = join(dir, "host.yaml");
    await writeFile(file, "host: 192.0.2.1\nsmtpPort: 2600\n");
    const { config, nameOf } = resolveSesLocalSettings({ flags: { rate: "0" }, flagName: (k) => (k === "rate" ? "--rate" : `--${k}`), env: { DSNKIT_SES_LOCAL_HTTP_PORT: "4600" }, file: "host.yaml", cwd: dir });
    expect(config.host).toBe("192.0.2.1");
    expect([nameOf("host"), nameOf("smtpPort"), nameOf("httpPort"), nameOf("rate"), nameOf("region")]).toEqual([
      "--config host.yaml: host",
      "--config host.yaml: smtpPort",
      "DSNKIT_SES_LOCAL_HTTP_PORT",
      "--rate",
      "--region", // the default: named by its flag
    ]);
  });
});

describe("settingsFromEnv and parseSize", () => {
  test("only DSNKIT_SES_LOCAL_* variables that are set and not empty", () => {
    expect(settingsFromEnv({ DSNKIT_SES_LOCAL_RATE: "2", DSNKIT_SES_LOCAL_HOST: "", PATH: "/bin" })).toEqual({ rate: "2" });
  });

  test.each([
    ["1048576", 1048576],
    ["512k", 524288],
    ["10M", 10485760],
    ["10MiB", 10485760],
    ["1g", 1073741824],
    [2048, 2048],
  ])("%s is %d bytes", (v, n) => {
    expect(parseSize(v, "x")).toBe(n);
  });
});
