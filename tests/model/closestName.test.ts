import { strict as assert } from "assert";
import { closestName, nameDistance, slipAllowance } from "../../model/closestName";

describe("closestName, the one 'did you mean' of config keys, policy settings and names", () => {
    it("measures names by edit distance, ignoring case", () => {
        assert.equal(nameDistance("externalCidr", "externalCidrs"), 1);
        assert.equal(nameDistance("kitten", "sitting"), 3);
        assert.equal(nameDistance("FlowLogs", "flowlogs"), 0);
    });

    it("compares names on their first 64 characters, so a hostile key costs no more than a long name", () => {
        assert.equal(nameDistance("x".repeat(1_000_000), "y"), 64);
    });

    it("picks the closest known name, the first one on ties", () => {
        assert.equal(closestName("externalCidr", ["externalCidrs", "enforcementLevel"]), "externalCidrs");
        assert.equal(closestName("enforcementLevl", ["externalCidrs", "enforcementLevel"]), "enforcementLevel");
        assert.equal(closestName("ab", ["ax", "ay"]), "ax");
    });

    it("finds nothing among no names, or when even the closest needs more edits than allowed", () => {
        assert.equal(closestName("vpcs", []), undefined);
        assert.equal(closestName("tags", ["flowLogs", "vpcs"], 2), undefined);
        assert.equal(closestName("flowLog", ["flowLogs", "vpcs"], 2), "flowLogs");
    });

    it("allows a slip of 2 edits, or a third of a longer name", () => {
        assert.equal(slipAllowance("vpc"), 2);
        assert.equal(slipAllowance("aggregationIntervalSeconds"), 8);
    });
});
