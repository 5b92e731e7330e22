#!/usr/bin/env node
// dsnkit pins @aws-sdk/client-ses to a release that supports Node 20; its notice that later
// releases will need Node 22 says nothing to a dsnkit user, so the command turns it off (unless
// the user set the variable). Libraries leave it alone: it is the application's choice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const { main } = await import("./main.js");

process.exitCode = await main(process.argv.slice(2));
