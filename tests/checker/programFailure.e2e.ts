import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT } from "../../checker/cli";
import { check, CheckerRun, FOREIGN } from "../helpers/checkerRuns";

/**
 * `npm run test:e2e`: a whole check of a foreign program that throws after its first
 * registrations (so the pack has started and must be stopped): exit 2 with the program's own
 * message, and reports that say the stack was not judged. A process and a pack of their own, so
 * out of `npm test`'s budget.
 */

describe("npm run check on a program that fails", () => {
    let dir: string;
    let throwing: CheckerRun;

    before(async function () {
        this.timeout(120_000);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-failing-"));
        throwing = await check(dir, ["--stack", "throws", "--cwd", FOREIGN]);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("fails with exit code 2 and the program's own message and line when the program throws", () => {
        assert.equal(throwing.code, EXIT.failed);
        assert.match(throwing.err, /the web tier needs two VPCs \(found 1\)/);
        assert.match(throwing.err, /foreign-project\/index\.ts:\d+/);
        assert.doesNotMatch(throwing.err, /[/\\]checker[/\\]|node_modules/, "no frames of the checker or the SDK");
    });

    it("still writes both reports, saying the stack was not judged and why", () => {
        assert.equal(throwing.json?.passed, false);
        assert.match(throwing.json?.error ?? "", /the web tier needs two VPCs/);
        const invocation = throwing.sarif?.runs[0].invocations?.[0];
        assert.equal(invocation?.executionSuccessful, false);
        assert.match(invocation?.toolExecutionNotifications?.[0].message.text ?? "", /not judged.*two VPCs/s);
        assert.deepEqual(throwing.sarif?.runs[0].results, []);
    });
});
