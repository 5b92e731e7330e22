#!/usr/bin/env node
import { main } from "./main.js";

// dsnkit pins @aws-sdk/client-ses to a release that supports Node 20; its notice that later
// releases will need Node 22 says nothing to a dsnkit user, so the command turns it off (unless
// the user set the variable). Libraries leave it alone: it is the application's choice. Set here,
// after main.js has loaded, it still comes first: main.js loads no command's work, the AWS SDK
// loads only when a command that uses it runs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

process.exitCode = await main(process.argv.slice(2));
