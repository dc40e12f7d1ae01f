import { strict as assert } from "assert";
import { ProgramFailure } from "../../checker/program/runProgram";
import { ProgramRuns, programRuns } from "../helpers/checkerRuns";
import { AWS_INVOKES, AWS_TYPES } from "../../model/awsTypes";

/**
 * How a program's run ends, as the Node language host ends it (`@pulumi/pulumi/cmd/run`): when
 * the event loop drains, with an unhandled rejection as a failure; after a type-check when the CLI
 * would do one. In `npm run test:e2e`: each hostile program is a Node process of its own, too many
 * for `npm test`'s budget. The time limit is proven by a whole check (realWorld.e2e.ts).
 */

const started = programRuns();
started.catch(() => undefined);

describe("a program's run under the checker", () => {
    let runs: ProgramRuns;

    before(async function () {
        this.timeout(120_000);
        runs = await started;
    });

    it("lasts until the event loop drains: a security group declared from a timer is in the graph", () => {
        const { timer } = runs;
        assert.ifError(timer.error);
        assert.ok(timer.run?.resources.some((r) => r.name === "late" && r.type === AWS_TYPES.securityGroup));
    });

    it("lists an invoke nobody answered as not judged, though the program caught its error and carried on", () => {
        assert.deepEqual(
            runs.timer.run?.unchecked.map((u) => [u.kind, u.subject]),
            [["invoke", AWS_INVOKES.getVpc]],
        );
        assert.match(runs.timer.run?.unchecked[0].reason ?? "", /\{"tags":\{"Name":"shared"\}\}.*--answers FILE/);
    });

    it("stops a program that never ends when its signal aborts, at once rather than at the time limit", () => {
        const { stopped } = runs;
        assert.ok(stopped.error instanceof ProgramFailure, String(stopped.error));
        assert.match(stopped.error.message, /^the run was stopped: Error: the policy pack failed to start$/);
    });

    it("passes on everything the program prints, whole: 3 MB of stdout and 1 MB of stderr", () => {
        assert.equal(runs.timer.written.stdout, 3 * 1024 * 1024);
        assert.ok(runs.timer.written.stderr >= 1024 * 1024, `${runs.timer.written.stderr} characters of stderr`);
    });

    it("fails on a promise rejected on a later turn, with its message and line", () => {
        assert.match(runs.rejection.error?.message ?? "", /the late lookup failed/);
        assert.match(runs.rejection.error?.message ?? "", /hostile[/\\]index\.ts:\d+/);
    });

    it("fails when the program's exported function never settles, saying what it still waited for", () => {
        assert.match(runs.never.error?.message ?? "", /ended while still waiting for/);
        assert.match(runs.never.error?.message ?? "", /exported function, which has not finished/);
    });

    it("fails when the program reads a secret it cannot decrypt, naming the key and why it is unreadable", () => {
        const { secret } = runs;
        assert.match(secret.error?.message ?? "", /secret config value hostile:token/);
        assert.match(secret.error?.message ?? "", /no encryptionsalt/);
        assert.deepEqual(
            (secret.error as ProgramFailure | undefined)?.unchecked.map((u) => [u.kind, u.subject]),
            [["secret", "hostile:token"]],
        );
    });
});
