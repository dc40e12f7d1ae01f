import { strict as assert } from "assert";
import { getVpc } from "@pulumi/aws/ec2/getVpc";
import { AwsMocks, MAX_UNANSWERED_INVOKES } from "../../checker/program/awsMocks";
import { useMocks } from "../helpers/pulumi";
import { AWS_INVOKES } from "../../model/awsTypes";

const invoke = (token: string, inputs: Record<string, unknown>) =>
    new AwsMocks({ region: "eu-west-1" }).call({ token, inputs, provider: "" });

describe("the AWS mocks' lookups a common program makes", () => {
    it("answer getAmi with the same AMI for the same lookup, named and built as the filters ask", () => {
        const lookup = {
            mostRecent: true,
            owners: ["amazon"],
            filters: [
                { name: "name", values: ["al2023-ami-2023.*-x86_64"] },
                { name: "architecture", values: ["arm64"] },
            ],
        };
        const ami = invoke(AWS_INVOKES.getAmi, lookup);
        assert.match(ami.id, /^ami-[0-9a-f]{17}$/);
        assert.equal(ami.id, invoke(AWS_INVOKES.getAmi, lookup).id);
        assert.notEqual(ami.id, invoke(AWS_INVOKES.getAmi, { ...lookup, owners: ["self"] }).id);
        assert.deepEqual(
            [ami.name, ami.architecture, ami.arn],
            ["al2023-ami-2023.0-x86_64", "arm64", `arn:aws:ec2:eu-west-1::image/${ami.id}`],
        );
    });

    it("render getPolicyDocument to the JSON the provider would give", () => {
        const document = invoke(AWS_INVOKES.getPolicyDocument, {
            statements: [
                { actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] },
            ],
        });
        assert.deepEqual(JSON.parse(document.json).Statement, [
            { Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ec2.amazonaws.com" } },
        ]);
        assert.equal(document.minifiedJson, JSON.stringify(JSON.parse(document.json)));
    });

    it("know the region's default VPC, and refuse to invent any other", () => {
        assert.equal(invoke(AWS_INVOKES.getVpc, { default: true }).cidrBlock, "172.31.0.0/16");
        assert.throws(
            () => invoke(AWS_INVOKES.getVpc, { id: "vpc-0123" }),
            /unmocked invoke aws:ec2\/getVpc:getVpc.*default: true/,
        );
        assert.throws(() => invoke(AWS_INVOKES.getSubnets, {}), /unmocked invoke aws:ec2\/getSubnets:getSubnets/);
    });

    // The default VPC's components: https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc-components.html
    it("answer the default VPC's subnets, one default /20 per zone, and its default security group", () => {
        const vpcId = invoke(AWS_INVOKES.getVpc, { default: true }).id;
        const { ids } = invoke(AWS_INVOKES.getSubnets, { filters: [{ name: "vpc-id", values: [vpcId] }] });
        assert.equal(ids.length, 3);
        const subnet = invoke(AWS_INVOKES.getSubnet, { id: ids[1] });
        assert.deepEqual(
            [subnet.vpcId, subnet.cidrBlock, subnet.availabilityZone, subnet.defaultForAz],
            [vpcId, "172.31.16.0/20", "eu-west-1b", true],
        );
        const zoneB = invoke(AWS_INVOKES.getSubnet, {
            filters: [
                { name: "default-for-az", values: ["true"] },
                { name: "availability-zone", values: ["eu-west-1b"] },
            ],
        });
        assert.equal(zoneB.id, ids[1]);
        const group = invoke(AWS_INVOKES.getSecurityGroup, { vpcId, name: "default" });
        assert.deepEqual([group.name, group.vpcId], ["default", vpcId]);
    });

    it("refuse default-VPC lookups of any other network, naming the token and the answers file", () => {
        for (const [token, inputs] of [
            [AWS_INVOKES.getSubnets, { filters: [{ name: "vpc-id", values: ["vpc-other"] }] }],
            [AWS_INVOKES.getSubnet, { id: "subnet-other" }],
            [AWS_INVOKES.getSecurityGroup, { name: "web" }],
        ] as const)
            assert.throws(
                () => invoke(token, inputs),
                new RegExp(`unmocked invoke ${token.replace(/[/]/g, "\\/")}.*--answers FILE`),
            );
    });

    it("fail an unanswered invoke through the SDK with a message that names the token and the answers file", async () => {
        // The SDK keeps only a gRPC error's `details` (runtime/invoke.ts), which a bare Error lacks.
        await useMocks({ config: { "aws:region": "eu-west-1" } });
        await assert.rejects(
            getVpc({ id: "vpc-0123456789abcdef0" }),
            /unmocked invoke aws:ec2\/getVpc:getVpc\(\{"id":"vpc-0123456789abcdef0"\}\).*--answers FILE/,
        );
    });
});

describe("the AWS mocks' record of invokes nobody answered", () => {
    const call = (mocks: AwsMocks, token: string, inputs: Record<string, unknown>) =>
        assert.throws(() => mocks.call({ token, inputs, provider: "" }), /unmocked invoke/);

    it("keeps each one, token and arguments, though the program caught its error", () => {
        const mocks = new AwsMocks({ region: "eu-west-1" });
        call(mocks, AWS_INVOKES.getVpc, { tags: { Name: "shared" } });
        call(mocks, AWS_INVOKES.getVpc, { tags: { Name: "shared" } });
        call(mocks, AWS_INVOKES.getSubnets, {});
        mocks.call({ token: AWS_INVOKES.getVpc, inputs: { default: true }, provider: "" });
        assert.deepEqual(mocks.unansweredInvokes, [
            { token: AWS_INVOKES.getVpc, args: '{"tags":{"Name":"shared"}}' },
            { token: AWS_INVOKES.getSubnets, args: "{}" },
        ]);
    });

    it("keeps a bounded number, with cut arguments, and counts the rest", () => {
        const mocks = new AwsMocks({ region: "eu-west-1" });
        for (let i = 0; i < MAX_UNANSWERED_INVOKES + 3; i++)
            call(mocks, AWS_INVOKES.getSubnets, { i, pad: "x".repeat(1000) });
        assert.equal(mocks.unansweredInvokes.length, MAX_UNANSWERED_INVOKES);
        assert.ok(mocks.unansweredInvokes.every((u) => u.args.length < 400));
        assert.equal(mocks.unlistedInvokes, 3);
    });
});

describe("the AWS mocks' instance type offerings", () => {
    const offerings = (mocks: AwsMocks, inputs: Record<string, unknown>) =>
        mocks.call({ token: AWS_INVOKES.getInstanceTypeOfferings, inputs, provider: "" });
    const byZone = { locationType: "availability-zone", filters: [{ name: "instance-type", values: ["t3.micro"] }] };

    it("list every zone of the region for a type, one row per zone, as DescribeInstanceTypeOfferings does", () => {
        const answer = offerings(new AwsMocks({ region: "eu-west-1" }), byZone);
        assert.deepEqual(answer.locations, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        assert.deepEqual(answer.instanceTypes, ["t3.micro", "t3.micro", "t3.micro"]);
        assert.deepEqual(answer.locationTypes, ["availability-zone", "availability-zone", "availability-zone"]);
    });

    it("leave out a zone a test says does not offer the type", () => {
        const mocks = new AwsMocks({ region: "eu-west-1", instanceTypesNotOffered: { "eu-west-1a": ["t3.micro"] } });
        assert.deepEqual(offerings(mocks, byZone).locations, ["eu-west-1b", "eu-west-1c"]);
    });

    it("refuse lookups they cannot judge rather than invent an answer", () =>
        assert.throws(
            () => offerings(new AwsMocks(), { filters: [{ name: "instance-type", values: ["t3.micro"] }] }),
            /unmocked invoke aws:ec2\/getInstanceTypeOfferings/,
        ));
});
