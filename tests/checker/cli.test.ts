import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { EXIT } from "../../checker/cli";
import { check, CheckerRun, CheckerRuns, checkerRuns, FOREIGN, removeCheckerRuns } from "../helpers/checkerRuns";
import { gitHubGaps, schemaErrors } from "../helpers/sarifSchema";

/**
 * The checker end to end: real programs in child processes, the real policy pack over gRPC.
 * The runs start when mocha loads this file, beside the rest of the suite, and are shared
 * between assertions.
 */

const started = checkerRuns();
started.catch(() => undefined);

describe("npm run check", () => {
    let dir: string;
    let dev: CheckerRun;
    let flawed: CheckerRun;
    let runs: CheckerRuns;

    before(async function () {
        // Eight programs and six packs; a busy machine must not fail the suite.
        this.timeout(120_000);
        runs = await started;
        ({ dir, dev, flawed } = runs);
    });

    after(removeCheckerRuns);

    describe("on this project's dev stack", () => {
        it("passes with exit code 0 and says how long it took", () => {
            assert.equal(dev.code, EXIT.passed, dev.err);
            assert.match(dev.out, /^Passed: no mandatory violation/m);
            assert.match(dev.out, /^Checked in \d+\.\d s$/m);
        });

        it("shows the resources by type and every policy of the pack passing", () => {
            assert.match(dev.out, /^ +2 aws:ec2\/vpc:Vpc$/m);
            // Two per VPC: into CloudWatch Logs and into the S3 archive.
            assert.match(dev.out, /^ +4 aws:ec2\/flowLog:FlowLog$/m);
            for (const policy of ["no-overlapping-vpc-cidrs", "no-world-open-icmp", "flow-log-role-trust"]) {
                assert.match(dev.out, new RegExp(`${policy} \\(mandatory\\): passed`));
            }
        });

        it("reports the stack, its resources and no violation in JSON, and SARIF rules without results", () => {
            assert.equal(dev.json?.stack, "dev");
            assert.equal(dev.json?.resources, Number(/Resources: (\d+)/.exec(dev.out)?.[1]));
            assert.deepEqual(dev.json?.violations, []);
            assert.deepEqual(dev.sarif?.runs[0].tool.driver.rules?.map((r) => r.id).sort(), [
                "flow-log-role-trust",
                "no-overlapping-vpc-cidrs",
                "no-world-open-icmp",
            ]);
            assert.deepEqual(dev.sarif?.runs[0].results, []);
        });

        it("proves from the code that each instance can ping the other, in the summary and in JSON", () => {
            assert.match(
                dev.out,
                /^ +✓ vpc1-host-instance \(10\.1\.1\.\d+\) -> vpc2-host-instance \(10\.2\.0\.\d+\) icmp: reachable: /m,
            );
            assert.match(
                dev.out,
                /^ +✓ vpc2-host-instance \(10\.2\.0\.\d+\) -> vpc1-host-instance \(10\.1\.1\.\d+\) icmp: reachable: /m,
            );
            const pairs = dev.json?.reachability.map((r) => [r.from.name, r.to.name, r.protocol, r.reachable]);
            assert.deepEqual(pairs, [
                ["vpc1-host-instance", "vpc2-host-instance", "icmp", true],
                ["vpc2-host-instance", "vpc1-host-instance", "icmp", true],
            ]);
            assert.match(
                dev.json?.reachability[0].reason ?? "",
                /pcx-/,
                "the path goes through the peering connection",
            );
        });

        it("gates the dev stack on its hosts pinging each other both ways, from connectivity/dev.yaml", () => {
            assert.equal(dev.code, EXIT.passed, dev.err);
            assert.deepEqual(
                dev.json?.connectivity?.map((o) => [o.expect, o.from, o.to, o.kept]),
                [
                    ["must-reach", "vpc1-host-instance", "vpc2-host-instance", true],
                    ["must-reach", "vpc2-host-instance", "vpc1-host-instance", true],
                ],
            );
            assert.match(dev.out, /^Connectivity intent:\n +✓ vpc1-host-instance must reach vpc2-host-instance$/m);
        });

        it("writes SARIF that conforms to the official 2.1.0 schema and has what GitHub requires", () => {
            assert.ok(dev.sarif, "the dev check wrote SARIF");
            assert.deepEqual(schemaErrors(dev.sarif), []);
            assert.deepEqual(gitHubGaps(dev.sarif), []);
        });
    });

    describe("on a foreign project", () => {
        it("refuses world-open ICMP with exit code 1 and a SARIF result at the security group's declaration", () => {
            assert.equal(flawed.code, EXIT.refused, flawed.err);
            const results = (flawed.sarif?.runs[0].results ?? []).filter((r) => r.ruleId === "no-world-open-icmp");
            assert.equal(results.length, 1);
            const location = results[0].locations?.[0].physicalLocation;
            const source = fs.readFileSync(path.join(FOREIGN, "index.ts"), "utf8").split("\n");
            const declared = source.indexOf('const web = new aws.ec2.SecurityGroup("web", {') + 1;
            assert.deepEqual(
                [location?.artifactLocation?.uri, location?.region?.startLine],
                ["tests/fixtures/foreign-project/index.ts", declared],
            );
        });

        it("refuses a stack whose config makes the VPCs overlap, naming both blocks", () => {
            const overlaps = flawed.json?.violations.filter((v) => v.policy === "no-overlapping-vpc-cidrs") ?? [];
            assert.equal(overlaps.length, 1);
            assert.equal(overlaps[0].level, "mandatory");
            assert.match(overlaps[0].message, /10\.0\.0\.0\/16/);
            assert.match(overlaps[0].message, /10\.0\.128\.0\/17/);
        });
    });

    describe("on bad arguments", () => {
        it("fails with exit code 2 and its usage when no stack is given", async () => {
            const run = await check(dir, []);
            assert.equal(run.code, EXIT.failed);
            assert.match(run.err, /--stack is required[\s\S]*Usage: npm run check -- --stack NAME/);
        });
    });
});
