import { strict as assert } from "assert";
import { FlowLogQueries } from "../../infra/flowLogQueries";
import { insightsQueries, TOP_BYTE_TRANSFERS } from "../../infra/lib/insightsQueries";
import { promiseOf, settle, useMocks } from "../helpers/pulumi";
import { AWS_TYPES } from "../../model/awsTypes";

describe("Logs Insights queries", () => {
    describe("flowLogQueries", () => {
        const byKey = Object.fromEntries(
            insightsQueries(["10.1.0.0/16", "10.2.0.0/16"]).map((q) => [q.key, q.queryString]),
        );

        it("include the seeds' top 10 byte transfers by source and destination", () => {
            assert.equal(
                byKey["top-bytes"],
                "stats sum(bytes) as bytesTransferred by srcAddr, dstAddr | sort bytesTransferred desc | limit 10",
            );
        });

        it("count rejected flows", () => {
            assert.match(byKey.rejected, /^filter action = "REJECT" \| stats count\(\*\)/);
        });

        it("match ICMP from either VPC to the other, and not within one VPC", () => {
            const query = byKey["icmp-between-vpcs"];
            assert.match(query, /^filter protocol = 1 and /);
            assert.ok(
                query.includes('(isIpv4InSubnet(srcAddr, "10.1.0.0/16") and isIpv4InSubnet(dstAddr, "10.2.0.0/16"))'),
            );
            assert.ok(
                query.includes('(isIpv4InSubnet(srcAddr, "10.2.0.0/16") and isIpv4InSubnet(dstAddr, "10.1.0.0/16"))'),
            );
            assert.ok(
                !query.includes('isIpv4InSubnet(srcAddr, "10.1.0.0/16") and isIpv4InSubnet(dstAddr, "10.1.0.0/16")'),
            );
        });

        it("rank talkers by packets", () => {
            assert.match(
                byKey["top-talkers"],
                /stats sum\(packets\) as packetsTransferred by srcAddr, dstAddr \| sort packetsTransferred desc \| limit 10/,
            );
        });

        it("leave out the between-VPCs query when there is no pair of VPCs", () => {
            assert.deepEqual(
                insightsQueries(["10.1.0.0/16"]).map((q) => q.key),
                ["top-bytes", "rejected", "top-talkers"],
            );
        });
    });

    describe("FlowLogQueries component", () => {
        it("saves each query over the flow-log group, in the stack's folder", async () => {
            const mocks = await useMocks();
            const component = new FlowLogQueries("q", {
                logGroupName: "flows",
                vpcCidrBlocks: ["10.1.0.0/16", "10.2.0.0/16"],
                folder: "proj-dev",
            });
            await settle();
            const saved = mocks.find(AWS_TYPES.queryDefinition);
            assert.equal(saved.length, 4);
            for (const { inputs } of saved) {
                assert.deepEqual(inputs.logGroupNames, ["flows"]);
                assert.match(inputs.name, /^proj-dev\//);
            }
            assert.ok(saved.some((s) => s.inputs.queryString === TOP_BYTE_TRANSFERS));
            assert.deepEqual(
                await Promise.all(component.queryNames.map(promiseOf)),
                saved.map((s) => s.inputs.name),
            );
        });
    });
});
