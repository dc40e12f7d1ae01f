import { strict as assert } from "assert";
import { parsePolicyPackConfig } from "../../checker/analyzer/policyConfig";

const POLICIES = ["no-overlapping-vpc-cidrs", "no-world-open-icmp", "flow-log-role-trust"];

describe("parsePolicyPackConfig (the --policy-pack-config format)", () => {
    it("reads a level given as a string, and a level with settings given as an object", () => {
        const config = parsePolicyPackConfig(
            {
                "no-world-open-icmp": "advisory",
                "no-overlapping-vpc-cidrs": { enforcementLevel: "mandatory", externalCidrs: ["192.168.0.0/16"] },
            },
            POLICIES,
        );
        assert.deepEqual(config, {
            "no-overlapping-vpc-cidrs": {
                enforcementLevel: "mandatory",
                properties: { externalCidrs: ["192.168.0.0/16"] },
            },
            "no-world-open-icmp": { enforcementLevel: "advisory", properties: {} },
        });
    });

    it("applies `all` to every policy, and lets a policy's own entry win", () => {
        const config = parsePolicyPackConfig({ all: "advisory", "flow-log-role-trust": "disabled" }, POLICIES);
        assert.deepEqual(
            Object.fromEntries(Object.entries(config).map(([name, settings]) => [name, settings.enforcementLevel])),
            {
                "no-overlapping-vpc-cidrs": "advisory",
                "no-world-open-icmp": "advisory",
                "flow-log-role-trust": "disabled",
            },
        );
    });

    it("keeps the default level of a policy given settings but no level", () => {
        const config = parsePolicyPackConfig({ "no-overlapping-vpc-cidrs": { externalCidrs: [] } }, POLICIES);
        assert.equal(config["no-overlapping-vpc-cidrs"].enforcementLevel, undefined);
    });

    it("names a policy the pack does not have, and the ones it has", () => {
        assert.throws(
            () => parsePolicyPackConfig({ "no-open-icmp": "advisory" }, POLICIES),
            /"no-open-icmp".*no-world-open-icmp/,
        );
    });

    it("refuses a level that does not exist, naming the policy and the levels", () => {
        assert.throws(
            () => parsePolicyPackConfig({ "no-world-open-icmp": "warn" }, POLICIES),
            /no-world-open-icmp: "warn" is not.*advisory, mandatory/,
        );
        assert.throws(() => parsePolicyPackConfig(["advisory"], POLICIES), /JSON object/);
    });
});
