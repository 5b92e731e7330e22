/**
 * The SES client of `dsnkit send-bounce`: `--region`, `--endpoint-url` and `--profile` mean what
 * they mean to the AWS CLI, and credentials and shared config come through the SDK's own
 * providers (environment, `~/.aws/credentials`, `~/.aws/config`, SSO, web identity, IMDS).
 *
 * @module
 */
import { SESClient, SESServiceException } from "@aws-sdk/client-ses";
import { CliError, EXIT } from "../io.js";

/**
 * What the AWS flags say about the connection. Everything is optional: the SDK's providers fill
 * the rest from the environment and the shared files.
 *
 * @example
 * const options: AwsClientOptions = { region: "eu-west-1", endpointUrl: "http://127.0.0.1:4566", profile: "bounces" };
 */
export interface AwsClientOptions {
  region?: string;
  endpointUrl?: string;
  profile?: string;
}

/** botocore's check of a region name: a host name label. */
const REGION = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/**
 * Checks `--endpoint-url` as the AWS CLI does: an http or https URL with a host.
 *
 * @throws {CliError} naming `--endpoint-url` when it is not one.
 * @example
 * checkEndpointUrl("http://127.0.0.1:4566");
 * //=> "http://127.0.0.1:4566"
 */
export function checkEndpointUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`--endpoint-url: ${JSON.stringify(value)} is not a URL; write it as http://HOST[:PORT] or https://HOST[:PORT]`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "")
    throw new CliError(`--endpoint-url: ${JSON.stringify(value)} must be an http:// or https:// URL with a host`);
  return value;
}

/**
 * The region from the flag and the environment as the AWS CLI reads them: `--region`, then
 * `AWS_REGION`, then `AWS_DEFAULT_REGION`. `undefined` leaves it to the profile's config.
 *
 * @example
 * regionFromFlagsAndEnv(undefined, { AWS_DEFAULT_REGION: "eu-west-1" });
 * //=> "eu-west-1"
 */
export function regionFromFlagsAndEnv(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const region = flag ?? (env.AWS_REGION || undefined) ?? (env.AWS_DEFAULT_REGION || undefined);
  if (region !== undefined && !REGION.test(region))
    throw new CliError(`${flag !== undefined ? "--region" : "the AWS region from the environment"}: ${JSON.stringify(region)} is not a region name (letters, digits and hyphens, like us-east-1)`);
  return region;
}

/**
 * Creates the SES client. The SDK's notice about future Node versions is silenced unless the
 * user set `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED` themselves: a command's stderr is
 * for the command's own messages.
 *
 * @example
 * const client = createSesClient({ region: "us-east-1", endpointUrl: "http://127.0.0.1:4566" });
 */
export function createSesClient(options: AwsClientOptions): SESClient {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const region = regionFromFlagsAndEnv(options.region);
  return new SESClient({
    ...(region !== undefined ? { region } : {}),
    ...(options.endpointUrl !== undefined ? { endpoint: checkEndpointUrl(options.endpointUrl) } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
  });
}

/**
 * The client's region, or a {@link CliError} (bad input) saying how to give one.
 *
 * @example
 * await resolveRegion(createSesClient({ region: "eu-west-1" }));
 * //=> "eu-west-1"
 */
export async function resolveRegion(client: SESClient, profile?: string): Promise<string> {
  try {
    return await client.config.region();
  } catch {
    throw new CliError(
      `no AWS region: give --region, set AWS_REGION or AWS_DEFAULT_REGION, or set region in ${profile !== undefined ? `profile ${profile}` : "the default profile"} of ~/.aws/config`,
    );
  }
}

/**
 * Turns an error of `@dsnkit/ses`'s `sendBounce` (or the SDK) into a {@link CliError} a person
 * can act on: SES's rejections with their code, missing credentials, unreachable endpoints, the
 * 24-hour window. Every one exits 1 (the call failed), but a request that is invalid, which
 * exits 2.
 *
 * @example
 * describeSesError(Object.assign(new Error("x"), { name: "BounceServiceError", code: "ECONNREFUSED" }), { endpointUrl: "http://127.0.0.1:1" }).message;
 * //=> "cannot reach SES at http://127.0.0.1:1: x"
 */
export function describeSesError(e: unknown, options: AwsClientOptions): CliError {
  const err = (e ?? {}) as Error & { code?: string; cause?: { name?: string; message?: string } };
  const name = typeof err.name === "string" ? err.name : "Error";
  const code = typeof err.code === "string" ? err.code : undefined;
  if (name === "BounceValidationError") return new CliError(err.message, EXIT.INVALID_INPUT);
  if (code === "CredentialsProviderError" || name === "CredentialsProviderError" || err.cause?.name === "CredentialsProviderError")
    return new CliError(
      `no AWS credentials${options.profile !== undefined ? ` for --profile ${options.profile}` : ""}: ${err.cause?.message ?? err.message} ` +
        "(set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure a profile in ~/.aws/credentials)",
      EXIT.FAILED,
    );
  if (code !== undefined && /^(?:ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL)$/.test(code))
    return new CliError(`cannot reach SES at ${options.endpointUrl ?? "its endpoint"}: ${err.message}`, EXIT.FAILED);
  if (e instanceof SESServiceException) return new CliError(`SES refused the bounce: ${err.name}: ${err.message}`, EXIT.FAILED);
  return new CliError(name.startsWith("Bounce") ? err.message : `the SendBounce call failed: ${err.message ?? String(e)}`, EXIT.FAILED);
}
