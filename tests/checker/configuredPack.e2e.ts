import { strict as assert } from "assert";
import * as path from "path";
import {
    AnalyzedResource,
    AnalyzerConnection,
    AnalyzerTimeout,
    PolicyDiagnostic,
    startPolicyPack,
} from "../../checker/analyzer/analyzerClient";
import { configurePack, parsePolicyConfigFile } from "../../checker/analyzer/policyConfig";
import { violationOf } from "../../checker/check";
import { isUnknownValueDiagnostic, uncheckedOf } from "../../checker/analyzer/unknownValues";
import { AWS_TYPES } from "../../model/awsTypes";
import { PULUMI_UNKNOWN } from "../../model/unknown";
import { ROOT } from "../helpers/pulumi";

/**
 * A pack nobody here wrote, configured in code as @pulumi/awsguard is (tests/fixtures/configured-pack:
 * `new PolicyPack(name, args, { all: "mandatory", ... })`), started as the CLI starts it.
 */

export const CONFIGURED_PACK = path.join(ROOT, "tests", "fixtures", "configured-pack");

const host = (name: string, properties: Record<string, unknown> = {}): AnalyzedResource => ({
    urn: `urn:pulumi:test::blocked-project::${AWS_TYPES.instance}::${name}`,
    type: AWS_TYPES.instance,
    name,
    properties: { ami: "ami-0123456789abcdef0", instanceType: "t3.micro", ...properties },
});

// Started as mocha loads this file, so the pack's Node start overlaps the suite's other work.
const starting = startPolicyPack(CONFIGURED_PACK, { typeScript: false });
starting.catch(() => undefined); // awaited below, where a failure is reported

describe("a pack configured in code, under the checker", () => {
    let pack: AnalyzerConnection;

    before(async function () {
        this.timeout(60_000);
        pack = await starting;
    });
    after(async () => {
        await pack?.close();
    });

    it("reports its settings as initialConfig and its policies' schemas in GetAnalyzerInfo", async () => {
        const info = await pack.info();
        assert.deepEqual(info.initialConfig?.all, { enforcementLevel: "mandatory", properties: {} });
        assert.deepEqual(info.initialConfig?.["instance-max-count"]?.properties, { maxInstances: 5 });
        assert.deepEqual(info.policies.find((p) => p.name === "instance-max-count")?.configSchema?.required, [
            "maxInstances",
        ]);
    });

    it("runs its policies at the levels it set in code once configured as the engine does, and says which", async () => {
        const { info } = await configurePack(pack);
        assert.deepEqual(
            Object.fromEntries(info.policies.map((p) => [p.name, p.enforcementLevel])),
            // instance-max-count's own entry has no level: the wire says advisory, and it wins over `all`.
            { "instance-required-tags": "mandatory", "instance-max-count": "advisory", "slow-review": "mandatory" },
        );
        const [diagnostic] = await pack.analyze(host("host-a"));
        assert.deepEqual(
            [diagnostic.policyName, diagnostic.enforcementLevel],
            ["instance-required-tags", "mandatory"],
            "advisory, as the pack declares it, before the checker applied initialConfig",
        );
    });

    it("applies a config file over the pack's settings, properties included", async () => {
        const file = parsePolicyConfigFile(
            JSON.stringify({ "instance-required-tags": { enforcementLevel: "advisory", requiredTags: ["team"] } }),
            "config.json",
        );
        await configurePack(pack, file);
        const [diagnostic] = await pack.analyze(host("host-b"));
        assert.deepEqual(
            [diagnostic.enforcementLevel, diagnostic.message.split("\n").pop()],
            ["advisory", "instance host-b has no team tag"],
        );
    });

    it("lists a policy that met a value not known before deployment as not judged, not as a finding", async () => {
        const [diagnostic] = await pack.analyze(host("host-d", { tags: PULUMI_UNKNOWN }));
        assert.ok(isUnknownValueDiagnostic(diagnostic), diagnostic.message);
        const unchecked = uncheckedOf(diagnostic, host("host-d").urn);
        assert.deepEqual(
            [unchecked.kind, unchecked.subject],
            ["unknown-value", `instance-required-tags on ${host("host-d").urn}`],
        );
        assert.ok(!isUnknownValueDiagnostic((await pack.analyze(host("host-e")))[0]), "a plain finding stays one");
    });

    it("gives up on a call past its deadline, naming the call and the resource", async () => {
        await configurePack(pack, parsePolicyConfigFile('{"slow-review": {"hang": true}}', "hang.json"));
        pack.callTimeoutMs = 300;
        await assert.rejects(pack.analyze(host("host-c")), (error: Error) => {
            assert.ok(error instanceof AnalyzerTimeout);
            assert.match(
                error.message,
                /^Analyze of urn:pulumi:test::blocked-project::.*::host-c got no answer within 0\.3 s/,
            );
            return true;
        });
    });
});

describe("a finding's level as the engine counts it", () => {
    // The policy SDK for Node already reports a remediation that did not fix a resource as mandatory;
    // the engine does the same for any pack's stack policies (pkg/resource/deploy/step_generator.go).
    const cases: { level: PolicyDiagnostic["enforcementLevel"]; counted: string }[] = [
        { level: "remediate", counted: "mandatory" },
        { level: "mandatory", counted: "mandatory" },
        { level: "advisory", counted: "advisory" },
    ];
    for (const c of cases) {
        it(`counts ${c.level} as ${c.counted}`, () => {
            const diagnostic: PolicyDiagnostic = {
                policyName: "instance-max-count",
                policyPackName: "configured-in-code",
                description: "At most so many instances.",
                message: "At most so many instances.\n3 instances",
                enforcementLevel: c.level,
            };
            assert.equal(violationOf(diagnostic).level, c.counted);
        });
    }
});
