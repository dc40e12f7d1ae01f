import { strict as assert } from "assert";
import { ReportViolation, unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import { advise, guarded, INTERNAL_ERROR } from "../../../policy/lib/guarded";
import { containsUnknown, readProperty, NOT_KNOWN_YET } from "../../../policy/lib/properties";
import { PULUMI_UNKNOWN } from "../helpers";

function recorder(): { report: ReportViolation; calls: unknown[][] } {
    const calls: unknown[][] = [];
    return { report: ((...args: unknown[]) => calls.push(args)) as ReportViolation, calls };
}

describe("policy plumbing", () => {
    describe("readProperty", () => {
        it("reads through the framework's proxy, turning values not known yet into NOT_KNOWN_YET at any depth", () => {
            const props = unknownCheckingProxy({
                cidrBlock: PULUMI_UNKNOWN,
                ingress: [{ protocol: "icmp", cidrBlocks: ["10.0.0.0/8", PULUMI_UNKNOWN] }, PULUMI_UNKNOWN],
            });
            assert.equal(readProperty(props, "cidrBlock"), NOT_KNOWN_YET);
            assert.deepEqual(readProperty(props, "ingress"), [
                { protocol: "icmp", cidrBlocks: ["10.0.0.0/8", NOT_KNOWN_YET] },
                NOT_KNOWN_YET,
            ]);
            assert.equal(readProperty(props, "missing"), undefined);
        });

        it("reads nothing out of what is not an object", () => {
            for (const props of [null, undefined, 42, "text"]) assert.equal(readProperty(props, "length"), undefined);
        });

        it("finds NOT_KNOWN_YET anywhere in plain data", () => {
            assert.equal(containsUnknown({ a: [1, { b: NOT_KNOWN_YET }] }), true);
            assert.equal(containsUnknown({ a: [1, { b: PULUMI_UNKNOWN.slice(0, 8) }] }), false);
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
            const read = () => unknownCheckingProxy({ cidrBlock: PULUMI_UNKNOWN }).cidrBlock;
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
