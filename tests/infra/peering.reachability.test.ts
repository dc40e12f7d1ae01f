import { strict as assert } from "assert";
import { analyzeReachability, fromRecorded, ReachabilityResult } from "../../policy/check/reachability";
import { devStackRun, ProgramRun } from "../helpers/pulumi";

describe("VpcPeering and PingHost in the dev program, by reachability analysis", () => {
    let run: ProgramRun;
    let results: ReachabilityResult[];

    before(async () => {
        run = await devStackRun();
        results = analyzeReachability(fromRecorded(run.resources));
    });

    it("lets each instance ping the other's private address through the peering connection, replies included", () => {
        const { vpc1, vpc2 } = run.outputs.privateIps;
        const { peeringConnectionId } = run.outputs;
        for (const [from, to] of [
            [vpc1, vpc2],
            [vpc2, vpc1],
        ]) {
            const result = results.find((r) => r.from.privateIp === from && r.to.privateIp === to);
            assert.ok(result, `a result from ${from} to ${to}`);
            assert.equal(result.reachable, true, result.reason);
            assert.match(
                result.reason,
                new RegExp(`-> ${peeringConnectionId}.*; reply via .*-> ${peeringConnectionId}`),
            );
        }
    });

    it("answers for every ordered pair of instances and nothing else", () => {
        const instances = run.resources.filter((r) => r.type === "aws:ec2/instance:Instance").length;
        assert.equal(results.length, instances * (instances - 1));
    });
});
