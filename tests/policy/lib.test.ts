import { strict as assert } from "assert";
import { ReportViolation, unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import { advise, guarded, INTERNAL_ERROR } from "../../policy/lib/report";
import { containsUnknown, readProperty, UNKNOWN } from "../../policy/lib/resources";
import { UNKNOWN as WIRE_UNKNOWN } from "./helpers";

function recorder(): { report: ReportViolation; calls: unknown[][] } {
    const calls: unknown[][] = [];
    return { report: ((...args: unknown[]) => calls.push(args)) as ReportViolation, calls };
}

describe("policy plumbing", () => {
    describe("readProperty", () => {
        it("reads through the framework's proxy, turning values not known yet into UNKNOWN at any depth", () => {
            const props = unknownCheckingProxy({
                cidrBlock: WIRE_UNKNOWN,
                ingress: [{ protocol: "icmp", cidrBlocks: ["10.0.0.0/8", WIRE_UNKNOWN] }, WIRE_UNKNOWN],
            });
            assert.equal(readProperty(props, "cidrBlock"), UNKNOWN);
            assert.deepEqual(readProperty(props, "ingress"), [
                { protocol: "icmp", cidrBlocks: ["10.0.0.0/8", UNKNOWN] },
                UNKNOWN,
            ]);
            assert.equal(readProperty(props, "missing"), undefined);
        });

        it("reads nothing out of what is not an object", () => {
            for (const props of [null, undefined, 42, "text"]) assert.equal(readProperty(props, "length"), undefined);
        });

        it("finds UNKNOWN anywhere in plain data", () => {
            assert.equal(containsUnknown({ a: [1, { b: UNKNOWN }] }), true);
            assert.equal(containsUnknown({ a: [1, { b: "04da6b54" }] }), false);
        });
    });

    describe("guarded", () => {
        it("turns an error in a check into a violation that says so, instead of failing the preview", () => {
            const { report, calls } = recorder();
            guarded(() => {
                throw new TypeError("cannot read properties of null");
            })({}, report);
            assert.equal(calls.length, 1);
            assert.match(String(calls[0][0]), new RegExp(`^${INTERNAL_ERROR} .*cannot read properties of null`));
        });

        it("leaves a value not known yet to the framework, which reports it at advisory level", () => {
            const read = () => unknownCheckingProxy({ cidrBlock: WIRE_UNKNOWN }).cidrBlock;
            assert.throws(() => guarded(read)({}, recorder().report), UnknownValueError);
        });
    });

    it("advise reports at advisory level with the description first, as the framework formats violations", () => {
        const { report, calls } = recorder();
        advise(report, "Policy description.", "Cannot judge yet.", "urn:x");
        assert.deepEqual(calls, [
            [{ message: "Policy description.\nCannot judge yet.", enforcementLevel: "advisory", urn: "urn:x" }],
        ]);
    });
});
