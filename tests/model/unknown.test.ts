import { strict as assert } from "assert";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { PULUMI_UNKNOWN } from "../../model/unknown";

describe("PULUMI_UNKNOWN", () => {
    it("is the marker the Pulumi SDK writes for a value not known until deployment", () => {
        assert.equal(PULUMI_UNKNOWN, unknownValue);
    });
});
