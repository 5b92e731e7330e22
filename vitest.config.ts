import { defineConfig } from "vitest/config";
import { defaultServerConditions } from "vite";

// Tests import the workspace packages from their TypeScript sources (the "dsnkit-source" export
// condition), so they run without a build; end-to-end tests run the built CLI from dist/.
// "module" is dropped: it is a bundler-only condition, and packages such as @aws-sdk/* point it at
// dist-es builds with extensionless imports that Node cannot load.
const conditions = ["dsnkit-source", ...defaultServerConditions.filter((c) => c !== "module")];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["dsnkit-source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The pinned AWS SDK's notice that its later releases need Node 22 is noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
