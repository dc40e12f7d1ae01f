import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { typeCheckPlan } from "../../checker/program/typeCheck";

// The Node language host's switches: @pulumi/pulumi/cmd/run/run.ts (PULUMI_NODEJS_TRANSPILE_ONLY,
// then the tsconfig's noCheck) and pulumi-language-nodejs/main.go parseOptions (typescript, tsconfig).
describe("whether the checker type-checks a program, as the CLI decides", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "type-check-"));
    const entry = path.join(dir, "index.ts");
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const cases: { name: string; options?: Record<string, unknown>; env?: NodeJS.ProcessEnv; checks: boolean }[] = [
        { name: "type-checks by default, as ts-node does", checks: true },
        {
            name: "not when PULUMI_NODEJS_TRANSPILE_ONLY=true",
            env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
            checks: false,
        },
        { name: "not when runtime.options.typescript is false", options: { typescript: false }, checks: false },
        {
            name: "when PULUMI_NODEJS_TRANSPILE_ONLY=false, even with typescript options unset",
            env: { PULUMI_NODEJS_TRANSPILE_ONLY: "false" },
            checks: true,
        },
    ];
    for (const c of cases)
        it(c.name, () => assert.equal(typeCheckPlan(dir, entry, c.options ?? {}, c.env ?? {}) !== undefined, c.checks));

    it("honours the tsconfig's noCheck, and refuses a runtime.options.tsconfig that does not exist", () => {
        fs.writeFileSync(path.join(dir, "tsconfig.pulumi.json"), '{ "compilerOptions": { "noCheck": true } }');
        assert.equal(typeCheckPlan(dir, entry, { tsconfig: "tsconfig.pulumi.json" }, {}), undefined);
        assert.throws(
            () => typeCheckPlan(dir, entry, { tsconfig: "missing.json" }, {}),
            /tsconfig path was set to missing\.json but the file was not found/,
        );
    });

    it("reads noCheck from the parsed tsconfig: through extends, never from a comment", () => {
        fs.writeFileSync(path.join(dir, "base.json"), '{ "compilerOptions": { "noCheck": true } }');
        fs.writeFileSync(path.join(dir, "extends.json"), '{ "extends": "./base.json" }');
        fs.writeFileSync(path.join(dir, "commented.json"), '{ "compilerOptions": {\n // "noCheck": true\n } }');
        assert.equal(typeCheckPlan(dir, entry, { tsconfig: "extends.json" }, {}), undefined);
        assert.notEqual(typeCheckPlan(dir, entry, { tsconfig: "commented.json" }, {}), undefined);
    });

    it("never type-checks a JavaScript program", () => {
        assert.equal(typeCheckPlan(dir, path.join(dir, "index.js"), {}, {}), undefined);
    });
});
