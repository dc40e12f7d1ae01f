import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The baselines the policy-pack benchmarks measure this pack against, as temporary pack folders. */

export const ROOT = path.resolve(__dirname, "../..");
export const POLICY_PACK = path.join(ROOT, "policy");
export const ACCOUNT = "123456789012";
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** A temporary pack beside nothing: `main` and `@pulumi/policy` by absolute path; a pack folder as the CLI wants it. */
export function temporaryPack(name: string, main: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version: "0.0.1", main }));
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    return dir;
}

/** A JavaScript pack serving `policies` (object literals in JavaScript source). */
function javaScriptPack(name: string, policies: readonly string[]): string {
    const dir = temporaryPack(name, "index.js");
    const policy = JSON.stringify(require.resolve("@pulumi/policy"));
    fs.writeFileSync(
        path.join(dir, "index.js"),
        `const { PolicyPack } = require(${policy});\nnew PolicyPack("${name}", { policies: [${policies.join(", ")}] });\n`,
    );
    return dir;
}

/** The baseline: a JavaScript pack that serves no policies. */
export function emptyPack(): string {
    return javaScriptPack("empty-pack", []);
}

/**
 * The framework's floor for a pack like ours: three stack policies that do nothing. @pulumi/policy
 * deserializes every resource once per stack policy before calling it, so this is what three
 * stack policies cost before any of their code runs.
 */
export function noOpStackPoliciesPack(): string {
    const policies = ["no-overlapping-vpc-cidrs", "no-world-open-icmp", "flow-log-role-trust"].map(
        (name) => `{ name: "${name}", description: "no-op", enforcementLevel: "mandatory", validateStack: () => {} }`,
    );
    return javaScriptPack("no-op-pack", policies);
}
