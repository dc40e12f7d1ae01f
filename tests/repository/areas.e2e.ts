import { strict as assert } from "assert";
import * as path from "path";
import { ESLint } from "eslint";
import { ROOT } from "../helpers/pulumi";

/** The import-direction rules of eslint.config.mjs (README, "Areas"), applied to one line of code. */
async function restrictedImports(file: string, source: string): Promise<string[]> {
    const eslint = new ESLint({ cwd: ROOT });
    const [result] = await eslint.lintText(source, { filePath: path.join(ROOT, file) });
    return result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("areas import only downwards, as lint enforces", () => {
    const cases: [file: string, source: string, refused: RegExp | undefined][] = [
        ["model/example.ts", `export { Vpc } from "../infra/vpc";`, /model\/\*\* must not import infra\//],
        ["model/example.ts", `export { runtime } from "@pulumi/pulumi";`, /is pure: no @pulumi\/pulumi/],
        ["policy/lib/example.ts", `export { check } from "../../checker/check";`, /must not import checker\//],
        ["policy/lib/example.ts", `export { Vpc } from "../../infra/vpc";`, /must not import infra\//],
        ["infra/example.ts", `export { AWS_TYPES } from "../policy/index";`, /must not import policy\//],
        ["checker/example.ts", `export { Vpc } from "../infra/vpc";`, /must not import infra\//],
        ["infra/example.ts", `export { parseCidr } from "../model/cidr";`, undefined],
        ["policy/lib/example.ts", `export { AWS_TYPES } from "../../model/awsTypes";`, undefined],
        ["tests/example.ts", `export { Vpc } from "../infra/vpc";`, undefined],
    ];
    for (const [file, source, refused] of cases) {
        it(`${refused ? "refuses" : "allows"} ${source.replace(/.* from /, "")} in ${file}`, async () => {
            const messages = await restrictedImports(file, source);
            if (refused) assert.match(messages.join("\n"), refused);
            else assert.deepEqual(messages, []);
        });
    }
});
