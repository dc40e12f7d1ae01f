import { strict as assert } from "assert";
import { parseStackConfig } from "../../infra/config";
import { ConfigError } from "../../infra/lib/configErrors";
import { PROJECT } from "./pulumi";

/** Two VPCs that need nothing else: the smallest config the program accepts. */
export const TWO_VPCS = { vpc1: { cidrBlock: "10.1.0.0/16" }, vpc2: { cidrBlock: "10.2.0.0/16" } };

/** Config as `pulumi.runtime.allConfig()` hands it over: project keys, structured values as JSON text. */
export function rawConfig(values: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = { "aws:region": "us-east-1" };
    for (const [key, value] of Object.entries(values))
        out[`${PROJECT}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    return out;
}

/** Every problem `parseStackConfig` finds; fails the test when it accepts the config. */
export function configProblems(values: Record<string, unknown>): readonly string[] {
    try {
        parseStackConfig(rawConfig(values), PROJECT);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
        return error.problems;
    }
    assert.fail("the config was accepted");
}

/** The one problem `parseStackConfig` finds; fails the test on none or several. */
export function onlyConfigProblem(values: Record<string, unknown>): string {
    const problems = configProblems(values);
    assert.equal(problems.length, 1, problems.join("\n"));
    return problems[0];
}
