import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "public/build/", "node_modules/", "test-results/", "playwright-report/", "bench/results/", "bench/floor/build/", "bench/floor/public/build/", "bench/floor/.cache/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["error", "warn"] }],
      eqeqeq: ["error", "always"],
    },
  },
  {
    // Command-line entries talk to the person at the terminal.
    files: ["server/**", "upstream/main.ts", "bench/**", "scripts/**"],
    rules: { "no-console": "off" },
  },
  {
    // Node 20's V8 builds `{ ...a, k: v }` through a slow runtime path: ~2 µs against
    // ~50 ns for `{ k: v, ...a }` (docs/performance.md, "Found and fixed in session 3"). Server code only.
    files: ["app/**/*.server.ts", "app/routes/**/*.ts", "app/routes/**/*.tsx", "app/entry.server.tsx", "server/**/*.ts", "services/**/*.ts", "upstream/**/*.ts"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "ObjectExpression > SpreadElement:first-child:not(:last-child)",
          message: "Put the spread last (or after named keys): an object literal that starts with a spread is ~40x slower to build on Node 20.",
        },
      ],
    },
  },
  {
    files: ["public/**/*.js"],
    languageOptions: { globals: { window: "readonly", document: "readonly", fetch: "readonly", URL: "readonly" } },
  },
);
