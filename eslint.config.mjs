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

/** One `no-restricted-imports` rule per area, naming the areas (or packages) it must not import. */
function areaRules(forbidden) {
    return Object.entries(forbidden).map(([files, areas]) => ({
        files: [files],
        rules: {
            "no-restricted-imports": [
                "error",
                {
                    patterns: areas.map((area) =>
                        area.startsWith("@")
                            ? { group: [area, `${area}/*`], message: `${files} is pure: no ${area}.` }
                            : {
                                  regex: `^(\\.\\./)+${area}(/|$)`,
                                  message: `${files} must not import ${area}/ (README, "Areas").`,
                              },
                    ),
                },
            ],
        },
    }));
}

export default defineConfig([
    globalIgnores(["node_modules/", "bin/", "dist/", "**/*.d.ts"]),
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
    // Areas import only downwards (README, "Areas"): model/ is pure AWS semantics under everything;
    // infra/, policy/ and checker/ sit on it side by side; tests/ may import anything.
    ...areaRules({
        "model/**": ["infra", "policy", "checker", "tests", "@pulumi/pulumi", "@pulumi/aws", "@pulumi/policy"],
        "infra/**": ["policy", "checker", "tests"],
        "policy/**": ["infra", "checker", "tests"],
        "checker/**": ["infra", "policy", "tests"],
        // The build reads policy/ as files for esbuild; it imports none of our code.
        "scripts/**": ["model", "infra", "policy", "checker", "tests"],
    }),
    prettier,
]);
