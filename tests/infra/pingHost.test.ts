import { strict as assert } from "assert";
import { AwsMocks, RecordedResource } from "../../checker/program/awsMocks";
import { AL2023_PARAMETERS } from "../../infra/lib/pingHostArgs";
import { ICMP_ECHO_REQUEST, PingHost } from "../../infra/pingHost";
import { only, policyOf, promiseOf, settle, useMocks } from "../helpers/pulumi";
import { AWS_INVOKES, AWS_TYPES } from "../../model/awsTypes";

const INGRESS = AWS_TYPES.ingressRule;
const EGRESS = AWS_TYPES.egressRule;
const rule = (r: RecordedResource) =>
    `${r.inputs.ipProtocol} ${r.inputs.fromPort}..${r.inputs.toPort} ${r.inputs.cidrIpv4}`;

describe("PingHost component", () => {
    let mocks: AwsMocks;
    let host: PingHost;

    before(async () => {
        mocks = await useMocks();
        host = new PingHost("probe", { vpcId: "vpc-1", subnetId: "subnet-1", peerCidrBlocks: ["10.2.0.0/16"] });
        await settle();
    });

    it("admits only ICMP echo requests, and only from the peer VPC", () => {
        assert.deepEqual(mocks.find(INGRESS).map(rule), [`icmp ${ICMP_ECHO_REQUEST}..-1 10.2.0.0/16`]);
    });

    it("may send echo requests to the peer and HTTPS to Session Manager, nothing else", () => {
        assert.deepEqual(mocks.find(EGRESS).map(rule).sort(), ["icmp 8..-1 10.2.0.0/16", "tcp 443..443 0.0.0.0/0"]);
        const group = only(mocks.resources, AWS_TYPES.securityGroup);
        assert.equal(group.inputs.ingress, undefined, "inline rules would fight the standalone ones");
        for (const r of [...mocks.find(INGRESS), ...mocks.find(EGRESS)])
            assert.equal(r.inputs.securityGroupId, group.id);
    });

    it("boots Amazon Linux 2023 from the public SSM parameter, with no hard-coded AMI", () => {
        const instance = only(mocks.resources, AWS_TYPES.instance);
        assert.match(instance.inputs.ami, /^ami-[0-9a-f]{17}$/);
        assert.equal(
            mocks.call({ token: AWS_INVOKES.getParameter, inputs: { name: AL2023_PARAMETERS.x86_64 } }).value,
            instance.inputs.ami,
        );
    });

    it("requires IMDSv2, encrypts its root volume and carries no key pair", () => {
        const { inputs } = only(mocks.resources, AWS_TYPES.instance);
        assert.equal(inputs.metadataOptions.httpTokens, "required");
        assert.equal(inputs.metadataOptions.httpPutResponseHopLimit, 1);
        assert.equal(inputs.rootBlockDevice.encrypted, true);
        assert.equal(inputs.keyName, undefined);
        assert.equal(inputs.subnetId, "subnet-1");
    });

    it("gets Session Manager through an instance profile, not through keys", async () => {
        const role = only(mocks.resources, AWS_TYPES.role);
        assert.deepEqual(
            policyOf(role, "assumeRolePolicy").Statement.map((s: any) => [s.Effect, s.Principal.Service, s.Action]),
            [["Allow", "ec2.amazonaws.com", "sts:AssumeRole"]],
        );
        const attachment = only(mocks.resources, AWS_TYPES.rolePolicyAttachment);
        assert.equal(attachment.inputs.policyArn, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
        assert.equal(attachment.inputs.role, role.state.name);
        const profile = only(mocks.resources, AWS_TYPES.instanceProfile);
        assert.equal(only(mocks.resources, AWS_TYPES.instance).inputs.iamInstanceProfile, profile.state.name);
        assert.equal(mocks.find(AWS_TYPES.accessKey).length, 0);
        assert.equal(await promiseOf(host.roleName), role.state.name);
    });

    it("opens SSH only from the listed blocks, when asked", async () => {
        const fresh = await useMocks();
        new PingHost("ssh", {
            vpcId: "vpc-1",
            subnetId: "subnet-1",
            peerCidrBlocks: ["10.2.0.0/16"],
            ssh: { allowedCidrs: ["198.51.100.0/24"], keyPairName: "ops" },
        });
        await settle();
        assert.deepEqual(fresh.find(INGRESS).map(rule).sort(), [
            "icmp 8..-1 10.2.0.0/16",
            "tcp 22..22 198.51.100.0/24",
        ]);
        assert.equal(only(fresh.resources, AWS_TYPES.instance).inputs.keyName, "ops");
    });

    it("refuses SSH from the whole internet before declaring anything, as the stack config does", async () => {
        const fresh = await useMocks();
        assert.throws(
            () =>
                new PingHost("open", {
                    vpcId: "vpc-1",
                    subnetId: "subnet-1",
                    peerCidrBlocks: ["10.2.0.0/16"],
                    ssh: { allowedCidrs: ["0.0.0.0/0"] },
                }),
            /^Error: PingHost open: ssh\.allowedCidrs\[0\] "0\.0\.0\.0\/0": opens SSH to the whole internet/,
        );
        await settle();
        assert.deepEqual(fresh.resources, []);
    });

    it("boots a Graviton instance type from the arm64 parameter when none is given", async () => {
        const fresh = await useMocks();
        new PingHost("arm", { vpcId: "vpc-1", subnetId: "subnet-1", peerCidrBlocks: [], instanceType: "t4g.micro" });
        await settle();
        assert.equal(
            only(fresh.resources, AWS_TYPES.instance).inputs.ami,
            fresh.call({ token: AWS_INVOKES.getParameter, inputs: { name: AL2023_PARAMETERS.arm64 } }).value,
        );
    });
});
