/**
 * `@dsnkit/ses-local`: a local stand-in for Amazon SES's receiving side and its SendBounce API,
 * for development and CI. Mail arrives over SMTP and is stored with an SES message id, then the
 * active receipt rule set runs on it (Bounce, Lambda with local functions, Stop, AddHeader and S3
 * actions); the SES query API (SigV4-checked) manages the rule sets and answers SendBounce with
 * SES's rules and error codes, renders the bounce with `@dsnkit/core`, writes it to an outbox as
 * `<MessageId>.eml` and can relay it over SMTP with a null reverse-path. State lives in SQLite on
 * disk, so a restart loses nothing that was acknowledged.
 *
 * ```ts
 * import { startSesLocal } from "@dsnkit/ses-local";
 *
 * const ses = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir: "/tmp/ses-local", identities: ["example.com"] });
 * // send mail to 127.0.0.1:ses.smtpPort, then SendBounce through ses.endpoint
 * await ses.close();
 * ```
 *
 * @module @dsnkit/ses-local
 */
export type { SesLocal, SesLocalOptions } from "./server.js";
export { startSesLocal } from "./server.js";
export type { ResolveSesLocalConfigInput, SesLocalConfig, SettingsInput } from "./config.js";
export {
  CONFIG_ENV,
  ConfigError,
  ENV_NAMES,
  SES_LOCAL_DEFAULTS,
  parseSize,
  resolveSesLocalConfig,
  resolveSesLocalSettings,
  settingsFromEnv,
  settingsFromFile,
} from "./config.js";
export type { SesBounce, SesBounceContext, SesLocalRenderProfile } from "./bounce.js";
export { ownAddressOf, renderSesBounce } from "./bounce.js";
export type { SesErrorCode } from "./errors.js";
export { SesError } from "./errors.js";
export { isSesMessageId, sesMessageId, sesMessageIdSequence, sesMessageIdTime } from "./ids.js";
export type { RelayOptions } from "./relay.js";
export { parseRelayUrl } from "./relay.js";
export type { BounceSummary, Identity, MessageSummary, RelayState, StoredBounce, StoredMessage } from "./store.js";
export type { Credentials, Signer, SignedRequest, VerifyOptions } from "./sigv4.js";
export { verifySigV4 } from "./sigv4.js";
export type { Shape, QueryProblem } from "./query.js";
export { SEND_BOUNCE_SHAPE, decodeQuery, wireName } from "./query.js";
export { BOUNCE_WINDOW_MS } from "./api.js";
export { ADMIN_PREFIX } from "./http.js";
export type { ReceiptRuleSet } from "./store.js";
export type { ReceiptAction, ReceiptActionType, ReceiptRule } from "./receipt-rules.js";
export { RECEIPT_ACTION_MEMBERS, RECEIPT_RULE_LIMITS } from "./receipt-rules.js";
export { mailHeaders, receiptEvent, recipientMatches, splitAddressList } from "./receipt.js";
export { isLambdaArn } from "./lambda.js";
