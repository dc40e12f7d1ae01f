import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parseCidr, containsAddress, parseIpv4Address } from "../../model/cidr";
import { RecordedResource } from "../../checker/program/awsMocks";
import {
    devConfig,
    devStackRun,
    only,
    PROJECT,
    ProgramRun,
    registrationsOf,
    runFailingProgram,
    runInfraProgram,
    withConfig,
} from "../helpers/pulumi";
import { AWS_TYPES } from "../../model/awsTypes";

const count = (resources: readonly RecordedResource[], type: string) => resources.filter((r) => r.type === type).length;

describe("the program, with the dev stack's config", () => {
    let run: ProgramRun;

    before(async () => {
        run = await devStackRun();
    });

    it("builds the seeds' two VPCs with their blocks", () => {
        assert.deepEqual(run.outputs.vpcCidrBlocks, { vpc1: "10.1.0.0/16", vpc2: "10.2.0.0/16" });
        assert.deepEqual(
            run.resources.filter((r) => r.type === AWS_TYPES.vpc).map((r) => r.inputs.cidrBlock),
            ["10.1.0.0/16", "10.2.0.0/16"],
        );
    });

    it("composes one peering, one host per VPC, flow logs for both VPCs and four saved queries", () => {
        assert.equal(count(run.resources, AWS_TYPES.peering), 1);
        assert.equal(count(run.resources, AWS_TYPES.instance), 2);
        const flowLogs = run.resources.filter((r) => r.type === AWS_TYPES.flowLog);
        // Each VPC twice: into CloudWatch Logs, and into the S3 archive (flowLogArchive is on in dev).
        assert.deepEqual(flowLogs.map((r) => r.inputs.logDestinationType).sort(), [
            "cloud-watch-logs",
            "cloud-watch-logs",
            "s3",
            "s3",
        ]);
        assert.equal(count(run.resources, AWS_TYPES.queryDefinition), 4);
        assert.equal(count(run.resources, AWS_TYPES.accessKey), 0);
    });

    it("lets each host ping exactly the other VPC", () => {
        const ingress = run.resources.filter((r) => r.type === AWS_TYPES.ingressRule);
        const icmpSources = ingress
            .filter((r) => r.inputs.ipProtocol === "icmp")
            .map((r) => [r.name, r.inputs.cidrIpv4]);
        assert.deepEqual(icmpSources, [
            ["vpc1-host-icmp-in-0", "10.2.0.0/16"],
            ["vpc2-host-icmp-in-0", "10.1.0.0/16"],
        ]);
        assert.ok(!ingress.some((r) => r.inputs.ipProtocol === "tcp"), "no SSH in dev");
    });

    it("exports ids, addresses inside each VPC, and the seeds' ping test ready to paste", () => {
        const { outputs } = run;
        assert.equal(outputs.peeringConnectionId, only(run.resources, AWS_TYPES.peering).id);
        for (const name of ["vpc1", "vpc2"]) {
            assert.ok(
                containsAddress(parseCidr(outputs.vpcCidrBlocks[name])!, parseIpv4Address(outputs.privateIps[name])!),
                name,
            );
            assert.match(outputs.vpcIds[name], /^vpc-/);
        }
        assert.equal(
            outputs.pingTest.connectToInstance1,
            `aws ssm start-session --region us-east-1 --target ${outputs.instanceIds.vpc1}`,
        );
        assert.equal(outputs.pingTest.pingInstance2, `ping -c 4 ${outputs.privateIps.vpc2}`);
        assert.equal(outputs.flowLogGroupName, only(run.resources, AWS_TYPES.logGroup).state.name);
        assert.equal(outputs.queryNames.length, 4);
    });

    it("replaces delete-first exactly the resources whose replacement would collide with themselves: subnets, flow logs, contributor rules", () => {
        assert.deepEqual(
            registrationsOf(run.mocks)
                .filter((r) => r.deleteBeforeReplace)
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
            [
                `${AWS_TYPES.contributorInsightRule} flow-log-contributors-top-rejected-sources`,
                `${AWS_TYPES.contributorInsightRule} flow-log-contributors-top-talkers`,
                `${AWS_TYPES.flowLog} flow-log-archive-vpc1`,
                `${AWS_TYPES.flowLog} flow-log-archive-vpc2`,
                `${AWS_TYPES.flowLog} flow-logs-vpc1`,
                `${AWS_TYPES.flowLog} flow-logs-vpc2`,
                `${AWS_TYPES.subnet} vpc1-public`,
                `${AWS_TYPES.subnet} vpc2-public`,
            ],
        );
    });

    it("records only the VPCs whose config asks for flow logs", async () => {
        const config = withConfig(devConfig(), "vpcs", (vpcs) => ({
            ...vpcs,
            vpc2: { ...vpcs.vpc2, flowLogs: false },
        }));
        const partial = await runInfraProgram(config);
        assert.deepEqual(
            partial.resources.filter((r) => r.type === AWS_TYPES.flowLog).map((r) => r.name),
            ["flow-logs-vpc1", "flow-log-archive-vpc1"],
        );
    });
});

describe("the program's placement", () => {
    const zonesOf = (run: ProgramRun) =>
        Object.fromEntries(
            run.resources.filter((r) => r.type === AWS_TYPES.subnet).map((r) => [r.name, r.inputs.availabilityZone]),
        );

    it("puts the subnets in the region's first zone that offers the hosts' instance type, unless configured", async () => {
        assert.deepEqual(zonesOf(await devStackRun()), { "vpc1-public": "us-east-1a", "vpc2-public": "us-east-1a" });
        const config = withConfig(devConfig(), "vpcs", (vpcs) => ({
            ...vpcs,
            vpc2: { ...vpcs.vpc2, availabilityZone: "us-east-1c" },
        }));
        const run = await runInfraProgram(config, { instanceTypesNotOffered: { "us-east-1a": ["t3.micro"] } });
        assert.deepEqual(zonesOf(run), { "vpc1-public": "us-east-1b", "vpc2-public": "us-east-1c" });
    });
});

describe("the program, with bad config", () => {
    it("stops before declaring anything, naming the key and the value", async () => {
        const config = withConfig(devConfig(), "vpcs", (vpcs) => ({
            ...vpcs,
            vpc2: { ...vpcs.vpc2, cidrBlock: "10.1.128.0/17" },
        }));
        const { error, resources } = await runFailingProgram(config);
        assert.ok(pulumi.RunError.isInstance(error), "a RunError prints without a stack trace");
        assert.match(
            error.message,
            new RegExp(`${PROJECT}:vpcs\\.vpc2\\.cidrBlock = "10\\.1\\.128\\.0/17": overlaps vpc1's 10\\.1\\.0\\.0/16`),
        );
        assert.deepEqual(resources, []);
    });

    it("stops on an unknown key before declaring anything", async () => {
        const { error, resources } = await runFailingProgram({ ...devConfig(), [`${PROJECT}:pingHost`]: "{}" });
        assert.match(error.message, /vpc-flow-monitoring:pingHost = \{\}: unknown key; did you mean pingHosts\?/);
        assert.deepEqual(resources, []);
    });
});
