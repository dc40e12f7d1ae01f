// ESLint for the whole code base: JavaScript's and typescript-eslint's recommended rules; layout
// is Prettier's business (eslint-config-prettier turns off the rules that would fight it).
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

const nodeGlobals = {
    require: "readonly",
    module: "writable",
    exports: "writable",
    process: "readonly",
    console: "readonly",
    __dirname: "readonly",
    __filename: "readonly",
};

export default defineConfig([
    globalIgnores(["node_modules/", "bin/", "**/*.d.ts"]),
    js.configs.recommended,
    tseslint.configs.recommended,
    {
        files: ["**/*.js"],
        languageOptions: { sourceType: "commonjs", globals: nodeGlobals },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        files: ["**/*.mjs"],
        languageOptions: { sourceType: "module", globals: nodeGlobals },
    },
    {
        // Tests and the mocks handle resources' property bags, which Pulumi's Mocks interface types as `any`.
        files: ["tests/**/*.ts", "checker/program/awsMocks.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off" },
    },
    {
        rules: {
            // Unused arguments named _x are deliberate (callbacks whose signature is given).
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
    prettier,
]);
