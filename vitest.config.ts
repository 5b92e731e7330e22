import { defineConfig } from "vitest/config";
import { defaultServerConditions } from "vite";

// Tests import the workspace packages from their TypeScript sources (the "dsnkit-source" export
// condition), so they run without a build; end-to-end tests run the built CLI from dist/.
const conditions = ["dsnkit-source", ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["dsnkit-source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
