import { strict as assert } from "assert";
import { firstZoneOffering } from "../../../infra/lib/zones";

describe("the default availability zone", () => {
    const zones = ["us-east-1a", "us-east-1b", "us-east-1c"];

    it("is the first zone AWS lists that offers the instance type", () =>
        assert.equal(firstZoneOffering(zones, ["us-east-1c", "us-east-1b"], "t3.micro"), "us-east-1b"));

    it("is refused, naming the type and the keys to change, when no zone offers it", () =>
        assert.throws(
            () => firstZoneOffering(zones, [], "p5.48xlarge"),
            /no availability zone of the region \(us-east-1a, us-east-1b, us-east-1c\) offers p5\.48xlarge; set pingHosts\.instanceType/,
        ));
});
