import { strict as assert } from "assert";
import { vpcPairs } from "../../../infra/lib/vpcPairs";

describe("vpcPairs", () => {
    it("lists every ordered pair of two different VPCs, both ways, never a VPC with itself", () =>
        assert.deepEqual(
            vpcPairs(["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"]).map(
                (p) => `${p.fromIndex}>${p.toIndex} ${p.from}>${p.to}`,
            ),
            [
                "0>1 10.1.0.0/16>10.2.0.0/16",
                "0>2 10.1.0.0/16>10.3.0.0/16",
                "1>0 10.2.0.0/16>10.1.0.0/16",
                "1>2 10.2.0.0/16>10.3.0.0/16",
                "2>0 10.3.0.0/16>10.1.0.0/16",
                "2>1 10.3.0.0/16>10.2.0.0/16",
            ],
        ));

    it("has nothing to pair for one VPC", () => assert.deepEqual(vpcPairs(["10.1.0.0/16"]), []));
});
