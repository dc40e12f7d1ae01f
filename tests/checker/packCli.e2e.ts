import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT } from "../../checker/cli";
import { CONNECTIVITY_RULE } from "../../checker/reports/sarif";
import { check, CheckerRun } from "../helpers/checkerRuns";
import { ROOT } from "../helpers/pulumi";
import { gitHubGaps, schemaErrors } from "../helpers/sarifSchema";

/**
 * `npm run check` with a pack nobody here wrote, configured in code as @pulumi/awsguard is, on two
 * hosts that cannot ping each other; and every way of giving it
 * a pack, a pack config or an intent it cannot use, each exit 2 with one line naming the culprit.
 */

const BLOCKED = path.join(ROOT, "tests", "fixtures", "blocked-project");
const CONFIGURED_PACK = path.join(ROOT, "tests", "fixtures", "configured-pack");

describe("npm run check with a foreign pack and connectivity intent", () => {
    let dir: string;
    let foreign: CheckerRun;

    before(async function () {
        // A program and a pack, beside the shared runs; a busy machine must not fail the suite.
        this.timeout(90_000);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-cli-"));
        const config = path.join(dir, "typo.json");
        fs.writeFileSync(config, JSON.stringify({ "instance-required-tags": { requiredTag: ["team"] } }));
        foreign = await check(dir, [
            ...["--stack", "test", "--cwd", BLOCKED, "--policy-pack", CONFIGURED_PACK],
            ...["--policy-pack-config", config, "--must-reach", "host-a:host-b"],
        ]);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    describe("a pack configured in code (as `new AwsGuard({ all: 'mandatory' })`)", () => {
        it("refuses with exit code 1: the pack's own settings make its policies mandatory", () => {
            assert.equal(foreign.code, EXIT.refused, foreign.err);
            assert.deepEqual(
                foreign.json?.violations.map((v) => [v.policy, v.level]),
                [
                    ["instance-required-tags", "mandatory"],
                    ["instance-required-tags", "mandatory"],
                ],
            );
        });

        it("prints the level in force for each policy", () => {
            assert.match(foreign.out, /^ +instance-required-tags \(mandatory\): 2 violations$/m);
            assert.match(foreign.out, /^ +instance-max-count \(advisory\): passed$/m);
            assert.match(foreign.out, /^ +slow-review \(mandatory\): passed$/m);
        });

        it("warns of a setting the engine would ignore, with the closest known name, and judges as before", () => {
            assert.match(
                foreign.err,
                /^warning: policy pack config .*typo\.json: instance-required-tags: unknown property requiredTag \(did you mean requiredTags\?\)/m,
            );
            assert.match(foreign.json?.violations[0].message ?? "", /has no owner tag/, "the default, not the typo");
        });

        it("gives each of two hosts declared by one line its own SARIF alert", () => {
            const results = foreign.sarif?.runs[0].results?.filter((r) => r.ruleId === "instance-required-tags") ?? [];
            const fingerprints = new Set(results.map((r) => r.partialFingerprints?.primaryLocationLineHash));
            assert.equal(results.length, 2);
            assert.equal(fingerprints.size, 2);
        });
    });

    describe("connectivity intent", () => {
        it("refuses a pair that must reach but is blocked: summary, JSON and SARIF at the blocking resource", () => {
            assert.match(
                foreign.out,
                /^ +✗ host-a must reach host-b: violated: security group sg-\w+ \(closed\) of host-a lets no ICMP echo out/m,
            );
            assert.match(foreign.out, /^Refused: 2 mandatory violations and 1 violated connectivity intent;/m);
            assert.equal(foreign.json?.passed, false);
            const [result] = foreign.sarif?.runs[0].results?.filter((r) => r.ruleId === CONNECTIVITY_RULE) ?? [];
            assert.match(
                result?.message.text ?? "",
                /^host-a must reach host-b \(declared in --must-reach\), but is blocked: security group/,
            );
            const source = fs.readFileSync(path.join(BLOCKED, "index.ts"), "utf8").split("\n");
            const declared = source.findIndex((line) => line.includes('new aws.ec2.SecurityGroup("closed"')) + 1;
            const where = result?.locations?.[0].physicalLocation;
            assert.deepEqual(
                [where?.artifactLocation?.uri, where?.region?.startLine],
                ["tests/fixtures/blocked-project/index.ts", declared],
            );
        });
    });

    describe("every SARIF file these runs wrote", () => {
        it("conforms to the official SARIF 2.1.0 schema and has what GitHub requires", () => {
            const logs = { foreign: foreign.sarif };
            for (const [name, log] of Object.entries(logs)) {
                assert.ok(log, `${name} wrote SARIF`);
                assert.deepEqual(schemaErrors(log), [], name);
                assert.deepEqual(gitHubGaps(log), [], name);
            }
        });
    });
});

describe("npm run check with a pack, a pack config or an intent it cannot use", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-cli-bad-"));
        fs.writeFileSync(path.join(dir, "not-json.json"), "{ all: mandatory }");
        fs.writeFileSync(path.join(dir, "intent.yaml"), "mustReach:\n  - from: vpc1-host-instance\n");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    // Each is refused before the program runs, so these cost no program and no pack.
    const cases: { name: string; args: (dir: string) => string[]; error: RegExp }[] = [
        {
            name: "a pack folder that does not exist",
            args: () => ["--policy-pack", "does/not/exist"],
            error: /^error: policy pack .*does\/not\/exist: no such directory$/,
        },
        {
            name: "a file as the pack",
            args: () => ["--policy-pack", path.join(ROOT, "package.json")],
            error: /^error: policy pack .*package\.json: not a directory$/,
        },
        {
            name: "a folder without PulumiPolicy.yaml",
            args: () => ["--policy-pack", path.join(ROOT, "tests")],
            error: /^error: policy pack .*tests: no PulumiPolicy\.yaml, so it is not a policy pack$/,
        },
        {
            name: "a pack config that is not JSON",
            args: (d) => ["--policy-pack-config", path.join(d, "not-json.json")],
            error: /^error: policy pack config .*not-json\.json is not JSON: /,
        },
        {
            name: "a connectivity file with a pair half given",
            args: (d) => ["--connectivity", path.join(d, "intent.yaml")],
            error: /^error: connectivity file .*intent\.yaml: mustReach\.0\.to: /,
        },
        {
            name: "a --must-reach without its target",
            args: () => ["--must-reach", "vpc1-host-instance"],
            error: /^error: --must-reach "vpc1-host-instance": expected FROM:TO/,
        },
        {
            name: "a deadline that is not a number",
            args: () => ["--analyzer-timeout", "soon"],
            error: /^error: --analyzer-timeout "soon": expected a number of seconds above 0/,
        },
    ];
    for (const c of cases) {
        it(`exits 2 with one line naming ${c.name}`, async () => {
            const run = await check(dir, ["--stack", "dev", ...c.args(dir)]);
            assert.equal(run.code, EXIT.failed, run.out);
            assert.match(run.err.split("\n")[0], c.error);
            // Argument errors stop before any report; a failed check writes one that says so (issue 10).
            const report = run.json as { passed?: boolean; error?: string } | undefined;
            assert.ok(
                report === undefined ||
                    (report.passed === false && typeof report.error === "string" && report.error !== ""),
                `a check that could not judge never writes a passing report: ${JSON.stringify(report)}`,
            );
        });
    }
});
