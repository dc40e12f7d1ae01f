import { strict as assert } from "assert";
import { flowLogArgsProblems } from "../../../infra/lib/flowLogArgs";

describe("VpcFlowLogs arguments", () => {
    it("accept a VPC with the defaults, or with settings CloudWatch Logs and flow logs accept", () => {
        assert.deepEqual(flowLogArgsProblems({ vpcs: [{}] }), []);
        assert.deepEqual(flowLogArgsProblems({ vpcs: [{}], retentionInDays: 0, aggregationIntervalSeconds: 600 }), []);
    });

    describe("are refused, naming the argument and its value", () => {
        const cases: [string, Parameters<typeof flowLogArgsProblems>[0], RegExp][] = [
            ["no VPC", { vpcs: [] }, /^vpcs is empty/],
            [
                "a retention CloudWatch Logs refuses",
                { vpcs: [{}], retentionInDays: 31 },
                /^retentionInDays 31: not a retention/,
            ],
            [
                "an aggregation interval flow logs refuse",
                { vpcs: [{}], aggregationIntervalSeconds: 120 },
                /^aggregationIntervalSeconds 120: flow logs aggregate over 60 or 600 seconds/,
            ],
        ];
        for (const [what, args, why] of cases)
            it(what, () => {
                const problems = flowLogArgsProblems(args);
                assert.equal(problems.length, 1, problems.join("\n"));
                assert.match(problems[0], why);
            });
    });
});
