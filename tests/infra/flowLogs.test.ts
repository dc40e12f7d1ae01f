import { strict as assert } from "assert";
import { AwsMocks, MOCK_ACCOUNT_ID } from "../../checker/program/awsMocks";
import { VpcFlowLogs } from "../../infra/flowLogs";
import { FLOW_LOG_DELIVERY_ACTIONS } from "../../model/iamDocuments";
import { only, policyOf, settle, useMocks } from "../helpers/pulumi";
import { AWS_TYPES } from "../../model/awsTypes";

describe("VpcFlowLogs component", () => {
    let mocks: AwsMocks;

    before(async () => {
        mocks = await useMocks({ region: "eu-west-1" });
        new VpcFlowLogs("watch", {
            vpcs: [
                { name: "a", vpcId: "vpc-a" },
                { name: "b", vpcId: "vpc-b" },
            ],
            retentionInDays: 14,
        });
        await settle();
    });

    it("keeps the records as long as configured", () => {
        assert.equal(only(mocks.resources, AWS_TYPES.logGroup).inputs.retentionInDays, 14);
    });

    it("lets only the flow-logs service assume the role, for this account's flow logs in this region", () => {
        const trust = policyOf(only(mocks.resources, AWS_TYPES.role), "assumeRolePolicy");
        assert.equal(trust.Statement.length, 1);
        const [statement] = trust.Statement;
        assert.deepEqual(
            [statement.Effect, statement.Principal, statement.Action],
            ["Allow", { Service: "vpc-flow-logs.amazonaws.com" }, "sts:AssumeRole"],
        );
        assert.deepEqual(statement.Condition, {
            StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
            ArnLike: { "aws:SourceArn": `arn:aws:ec2:eu-west-1:${MOCK_ACCOUNT_ID}:vpc-flow-log/*` },
        });
    });

    it("may write to its own log group's streams and nothing else", () => {
        const logGroup = only(mocks.resources, AWS_TYPES.logGroup);
        const role = only(mocks.resources, AWS_TYPES.role);
        const rolePolicy = only(mocks.resources, AWS_TYPES.rolePolicy);
        assert.equal(rolePolicy.inputs.role, role.state.name);
        const { Statement } = policyOf(rolePolicy, "policy");
        assert.equal(Statement.length, 1);
        assert.equal(Statement[0].Effect, "Allow");
        assert.deepEqual(Statement[0].Action, [...FLOW_LOG_DELIVERY_ACTIONS]);
        assert.ok(!Statement[0].Action.includes("logs:CreateLogGroup"));
        assert.equal(Statement[0].Resource, `${logGroup.state.arn}:*`);
        assert.equal(mocks.find(AWS_TYPES.rolePolicyAttachment).length, 0, "no managed policy widens it");
    });

    it("records all traffic of each VPC, every 60 seconds, through that role into that group", () => {
        const logGroup = only(mocks.resources, AWS_TYPES.logGroup);
        const role = only(mocks.resources, AWS_TYPES.role);
        const flowLogs = mocks.find(AWS_TYPES.flowLog);
        assert.deepEqual(
            flowLogs.map((f) => f.inputs.vpcId),
            ["vpc-a", "vpc-b"],
        );
        for (const { inputs } of flowLogs) {
            assert.equal(inputs.trafficType, "ALL");
            assert.equal(inputs.maxAggregationInterval, 60);
            assert.equal(inputs.logDestinationType, "cloud-watch-logs");
            assert.equal(inputs.logDestination, logGroup.state.arn);
            assert.equal(inputs.iamRoleArn, role.state.arn);
        }
    });

    it("creates each flow log only after the role may deliver", () => {
        const rolePolicy = only(mocks.resources, AWS_TYPES.rolePolicy);
        const flowLogs = mocks.find(AWS_TYPES.flowLog);
        for (const flowLog of flowLogs)
            assert.ok(mocks.resources.indexOf(flowLog) > mocks.resources.indexOf(rolePolicy), flowLog.name);
    });
});

describe("VpcFlowLogs component, used on its own", () => {
    it("refuses a retention CloudWatch Logs would refuse, before declaring anything", async () => {
        const fresh = await useMocks();
        assert.throws(
            () => new VpcFlowLogs("odd", { vpcs: [{ name: "a", vpcId: "vpc-a" }], retentionInDays: 31 }),
            /^Error: VpcFlowLogs odd: retentionInDays 31: not a retention CloudWatch Logs accepts/,
        );
        await settle();
        assert.deepEqual(fresh.resources, []);
    });
});
