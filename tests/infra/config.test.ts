import { strict as assert } from "assert";
import { parseStackConfig, resolveVpcs } from "../../infra/config";
import { FLOW_LOG_DEFAULTS, LOG_RETENTION_DAYS } from "../../infra/lib/flowLogArgs";
import { AL2023_PARAMETERS, PING_HOST_DEFAULTS } from "../../infra/lib/pingHostArgs";
import { PEERING_DEFAULTS } from "../../infra/peeringConfig";
import { configProblems, onlyConfigProblem, rawConfig, TWO_VPCS } from "../helpers/config";
import { PROJECT } from "../helpers/pulumi";

const NS = PROJECT;

function assertOneProblem(values: Record<string, unknown>, key: string, value: string, why: RegExp) {
    const problem = onlyConfigProblem(values);
    assert.ok(problem.startsWith(`${NS}:${key} = ${value}: `), problem);
    assert.match(problem, why);
}

describe("stack config", () => {
    it("applies the secure, observable defaults", () => {
        const config = parseStackConfig(rawConfig({ vpcs: TWO_VPCS }), NS);
        assert.deepEqual(config.flowLogs, { retentionInDays: 30, aggregationIntervalSeconds: 60, trafficType: "ALL" });
        assert.equal(config.pingHosts.instanceType, "t3.micro");
        assert.deepEqual(config.pingHosts.ssh, { enabled: false, allowedCidrs: [] });
        assert.deepEqual(
            resolveVpcs(config).map((vpc) => [vpc.name, vpc.publicSubnetCidr, vpc.flowLogs]),
            [
                ["vpc1", "10.1.0.0/24", true],
                ["vpc2", "10.2.0.0/24", true],
            ],
        );
    });

    it("ignores other namespaces, such as the provider's", () => {
        assert.doesNotThrow(() => parseStackConfig({ ...rawConfig({ vpcs: TWO_VPCS }), "aws:defaultTags": "{}" }, NS));
    });

    describe("accepts every retention CloudWatch Logs offers", () => {
        for (const days of LOG_RETENTION_DAYS) {
            it(`${days} days`, () =>
                assert.equal(
                    parseStackConfig(rawConfig({ vpcs: TWO_VPCS, flowLogs: { retentionInDays: days } }), NS).flowLogs
                        .retentionInDays,
                    days,
                ));
        }
    });

    it("takes its defaults from the components' own: one source for each", () => {
        const config = parseStackConfig(rawConfig({ vpcs: TWO_VPCS }), NS);
        assert.deepEqual(config.flowLogs, FLOW_LOG_DEFAULTS);
        assert.equal(config.pingHosts.instanceType, PING_HOST_DEFAULTS.instanceType);
        assert.equal(config.pingHosts.amiParameter, undefined, "the component picks it for the instance type");
        assert.deepEqual(config.peering, PEERING_DEFAULTS);
    });

    it("accepts a zone of aws:region", () =>
        assert.doesNotThrow(() =>
            parseStackConfig(
                rawConfig({
                    vpcs: { ...TWO_VPCS, vpc1: { cidrBlock: "10.1.0.0/16", availabilityZone: "us-east-1c" } },
                }),
                NS,
            ),
        ));

    describe("rejects, naming the key and its value", () => {
        it("a malformed CIDR", () =>
            assertOneProblem(
                { vpcs: { ...TWO_VPCS, vpc2: { cidrBlock: "10.2.0.0/33" } } },
                "vpcs.vpc2.cidrBlock",
                '"10.2.0.0/33"',
                /not an IPv4 CIDR block/,
            ));

        it("a VPC block AWS would not create", () =>
            assertOneProblem(
                { vpcs: { ...TWO_VPCS, vpc1: { cidrBlock: "10.0.0.0/8" } } },
                "vpcs.vpc1.cidrBlock",
                '"10.0.0.0/8"',
                /from \/16 to \/28/,
            ));

        it("overlapping VPC blocks, even when spelled with host bits", () =>
            assertOneProblem(
                { vpcs: { vpc1: { cidrBlock: "10.1.0.0/16" }, vpc2: { cidrBlock: "10.1.7.7/16" } } },
                "vpcs.vpc2.cidrBlock",
                '"10.1.7.7/16"',
                /overlaps vpc1's 10\.1\.0\.0\/16/,
            ));

        it("a subnet outside its VPC", () =>
            assertOneProblem(
                { vpcs: { ...TWO_VPCS, vpc1: { cidrBlock: "10.1.0.0/16", publicSubnetCidr: "10.2.1.0/24" } } },
                "vpcs.vpc1.publicSubnetCidr",
                '"10.2.1.0/24"',
                /outside the VPC's block 10\.1\.0\.0\/16/,
            ));

        it("a misspelled top-level key, suggesting the right one", () =>
            assertOneProblem(
                { vpcs: TWO_VPCS, flowlogs: { retentionInDays: 7 } },
                "flowlogs",
                '{"retentionInDays":7}',
                /unknown key; did you mean flowLogs\?/,
            ));

        it("an unknown nested key, listing the known ones", () =>
            assertOneProblem(
                { vpcs: { ...TWO_VPCS, vpc1: { cidrBlock: "10.1.0.0/16", colour: "blue" } } },
                "vpcs.vpc1.colour",
                '"blue"',
                /known keys: cidrBlock, publicSubnetCidr/,
            ));

        it("a retention CloudWatch Logs does not accept", () =>
            assertOneProblem(
                { vpcs: TWO_VPCS, flowLogs: { retentionInDays: 31 } },
                "flowLogs.retentionInDays",
                "31",
                /one of 0, 1, 3, 5, 7, 14, 30/,
            ));

        it("an aggregation interval flow logs do not offer", () =>
            assertOneProblem(
                { vpcs: TWO_VPCS, flowLogs: { aggregationIntervalSeconds: 120 } },
                "flowLogs.aggregationIntervalSeconds",
                "120",
                /60 or 600/,
            ));

        it("SSH enabled without a CIDR list", () =>
            assertOneProblem(
                { vpcs: TWO_VPCS, pingHosts: { ssh: { enabled: true } } },
                "pingHosts.ssh.allowedCidrs",
                "[] (the default)",
                /no source is allowed/,
            ));

        it("SSH open to the whole internet", () =>
            assertOneProblem(
                {
                    vpcs: TWO_VPCS,
                    pingHosts: { ssh: { enabled: true, allowedCidrs: ["203.0.113.0/24", "0.0.0.0/0"] } },
                },
                "pingHosts.ssh.allowedCidrs[1]",
                '"0.0.0.0/0"',
                /whole internet/,
            ));

        it("an SSH CIDR list while SSH is off, which would silently do nothing", () =>
            assertOneProblem(
                { vpcs: TWO_VPCS, pingHosts: { ssh: { allowedCidrs: ["203.0.113.0/24"] } } },
                "pingHosts.ssh.enabled",
                "false (the default)",
                /set enabled: true/,
            ));

        it("a zone of another region than aws:region", () =>
            assertOneProblem(
                { vpcs: { ...TWO_VPCS, vpc2: { cidrBlock: "10.2.0.0/16", availabilityZone: "eu-west-1a" } } },
                "vpcs.vpc2.availabilityZone",
                '"eu-west-1a"',
                /is not a zone of aws:region us-east-1; pick one of its zones \(us-east-1a, /,
            ));

        it("an AMI parameter of another architecture than the instance type, naming both keys", () =>
            assertOneProblem(
                { vpcs: TWO_VPCS, pingHosts: { instanceType: "t4g.micro", amiParameter: AL2023_PARAMETERS.x86_64 } },
                "pingHosts.amiParameter",
                JSON.stringify(AL2023_PARAMETERS.x86_64),
                /names an x86_64 image, but pingHosts\.instanceType t4g\.micro is arm64; use .*arm64, or leave amiParameter unset/,
            ));

        it("a number of VPCs other than two", () =>
            assertOneProblem(
                { vpcs: { vpc1: TWO_VPCS.vpc1 } },
                "vpcs",
                '{"vpc1":{"cidrBlock":"10.1.0.0/16"}}',
                /exactly two VPCs/,
            ));

        it("a value of the wrong type", () =>
            assertOneProblem(
                { vpcs: { ...TWO_VPCS, vpc2: { cidrBlock: "10.2.0.0/16", flowLogs: "yes" } } },
                "vpcs.vpc2.flowLogs",
                '"yes"',
                /expected boolean/,
            ));
    });

    it("says a required key is missing rather than showing a value", () => {
        const problems = configProblems({});
        assert.deepEqual(problems, [`${NS}:vpcs is not set, and it is required`]);
    });

    it("lists every problem at once, one a line", () => {
        const problems = configProblems({
            vpcs: { vpc1: { cidrBlock: "nope" }, vpc2: { cidrBlock: "10.2.0.0/16" } },
            flowLogs: { retentionInDays: 2 },
        });
        assert.equal(problems.length, 2);
        assert.throws(
            () => parseStackConfig(rawConfig({ vpcs: TWO_VPCS, flowLogs: { retentionInDays: 2 }, pingHost: {} }), NS),
            /\(2 problems\):\n {2}- /,
        );
    });
});
