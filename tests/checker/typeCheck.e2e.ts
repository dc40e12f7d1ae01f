import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { typeCheck } from "../../checker/program/typeCheck";

// Each case starts a TypeScript compile of its own (about a second): end-to-end, not in npm test.
describe("the checker's type-check, as ts-node reports it", () => {
    it("ignores the diagnostics ts-node ignores (6059: index.ts outside rootDir), and those TS_NODE_IGNORE_DIAGNOSTICS names", async () => {
        const project = fs.mkdtempSync(path.join(os.tmpdir(), "type-check-root-"));
        try {
            const tsconfig = path.join(project, "tsconfig.json");
            fs.writeFileSync(tsconfig, '{ "compilerOptions": { "rootDir": "src", "types": [] } }');
            fs.writeFileSync(path.join(project, "index.ts"), 'const n: number = "one";\nexport {};\n');
            const plan = { tsconfig, entry: path.join(project, "index.ts") };
            const diagnostics = await typeCheck(project, plan, {}).done;
            assert.match(diagnostics, /TS2322/);
            assert.doesNotMatch(diagnostics, /TS6059/);
            assert.equal(await typeCheck(project, plan, { TS_NODE_IGNORE_DIAGNOSTICS: "2322" }).done, "");
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });
});
