import { strict as assert } from "assert";
import { PolicyConfigSchema } from "@pulumi/policy";
import { flowLogRoleTrust } from "../../policy/policies/flowLogRoleTrust";
import { noOverlappingVpcCidrs } from "../../policy/policies/noOverlappingVpcCidrs";
import { noWorldOpenIcmp } from "../../policy/policies/noWorldOpenIcmp";
import { validateStack } from "./helpers";

const POLICIES = [noOverlappingVpcCidrs, noWorldOpenIcmp, flowLogRoleTrust];

describe("each policy checks its own config", () => {
    for (const policy of POLICIES) {
        it(`${policy.name} reports a property it does not know at advisory level, naming it and the closest known one`, () => {
            const reported = validateStack(policy, [], {
                externalCidr: ["192.168.0.0/16"],
                enforcementLevl: "advisory",
            });
            assert.deepEqual(
                reported.map((r) => r.level),
                ["advisory"],
            );
            assert.match(reported[0].message, /"externalCidr" \(did you mean "(externalCidrs|enforcementLevel)"\?\)/);
            assert.match(reported[0].message, /"enforcementLevl" \(did you mean "enforcementLevel"\?\)/);
            assert.deepEqual(validateStack(policy, [], {}), [], "an empty config says nothing");
        });
    }

    it("suggests externalCidrs for externalCidr, so the external-network check is not silently off", () => {
        const [reported] = validateStack(noOverlappingVpcCidrs, [], { externalCidr: ["192.168.0.0/16"] });
        assert.match(reported.message, /"externalCidr" \(did you mean "externalCidrs"\?\)/);
    });

    it("bounds the message however many unknown properties there are", () => {
        const config = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`p${i}`.repeat(50), i]));
        const [reported] = validateStack(flowLogRoleTrust, [], config);
        assert.ok(reported.message.length < 2000, `${reported.message.length} characters`);
        assert.match(reported.message, /and 995 more/);
    });

    // The engine validates each policy's config against a JSON schema of the declared properties
    // (convertSchema in pulumi/pulumi pkg/resource/analyzer/config.go), so a declared property with
    // a precise type is refused there when given the wrong type.
    it("declares a precise type for every property, and for the items of every list", () => {
        for (const policy of POLICIES) {
            const schema = (policy as { configSchema?: PolicyConfigSchema }).configSchema;
            for (const [name, property] of Object.entries(schema?.properties ?? {})) {
                assert.ok(typeof property === "object" && typeof property.type === "string", `${policy.name}.${name}`);
                if (property.type === "array") {
                    const items = property.items as { type?: unknown } | undefined;
                    assert.equal(typeof items?.type, "string", `${policy.name}.${name} items`);
                }
            }
        }
    });
});
