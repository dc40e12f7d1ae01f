import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT } from "../../checker/cli";
import { PROGRAMS, TYPE_CHECKED } from "../helpers/checkerRuns";
import { ROOT } from "../helpers/pulumi";

/**
 * Issue 11: a policy pack that fails to start ends the check at once, whatever the program is
 * doing. The program here declares a resource (which starts the pack), then never ends; with a
 * --timeout of 100 s, a checker that left it (or its type-check) running would outlive this test's 60 s.
 */
describe("npm run check when the policy pack fails to start", () => {
    let pack: string;
    before(() => {
        pack = fs.mkdtempSync(path.join(os.tmpdir(), "failing-pack-"));
        fs.writeFileSync(path.join(pack, "package.json"), JSON.stringify({ name: "failing", version: "0.0.1" }));
        fs.writeFileSync(path.join(pack, "index.js"), 'throw new Error("no credentials for the rules service");\n');
        fs.writeFileSync(path.join(pack, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    });
    after(() => fs.rmSync(pack, { recursive: true, force: true }));

    it("stops the program and exits 2 with the pack's error, rather than wait for --timeout", async function () {
        this.timeout(60_000);
        const args = ["--stack", "busy", "--cwd", path.join(PROGRAMS, "hostile"), "--policy-pack", pack];
        const child = spawn(
            process.execPath,
            ["--require", "./checker/compileTypeScript.js", "checker/cli.ts", ...args, "--timeout", "100"],
            { cwd: ROOT, env: TYPE_CHECKED, stdio: ["ignore", "pipe", "pipe"] },
        );
        let err = "";
        child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
        child.stdout.resume();
        const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
        assert.equal(code, EXIT.failed, err);
        assert.match(err, /no credentials for the rules service/);
    });
});
