import { strict as assert } from "assert";
import * as path from "path";
import {
    AnalyzedResource,
    AnalyzerConnection,
    PolicyDiagnostic,
    startPolicyPack,
} from "../../checker/analyzer/analyzerClient";
import { RecordedResource } from "../../checker/program/awsMocks";
import { flowLogsTrustPolicy } from "../../model/iamDocuments";
import policyPackage from "../../policy/package.json";
import { devStackRun, ROOT } from "../helpers/pulumi";
import { analyzedFromRecorded, PULUMI_UNKNOWN, urnOf } from "./helpers";
import { AWS_TYPES } from "../../model/awsTypes";

const POLICIES = ["no-overlapping-vpc-cidrs", "no-world-open-icmp", "flow-log-role-trust"];
const VPC = AWS_TYPES.vpc;
const ROLE = AWS_TYPES.role;
const FLOW_LOG = AWS_TYPES.flowLog;
const INGRESS_RULE = AWS_TYPES.ingressRule;

const resource = (
    type: string,
    name: string,
    properties: Record<string, unknown>,
    extra: Partial<AnalyzedResource> = {},
): AnalyzedResource => ({
    urn: urnOf(type, name),
    type,
    name,
    properties,
    ...extra,
});
const summary = (diagnostics: PolicyDiagnostic[]) =>
    diagnostics.map((d) => `${d.enforcementLevel} ${d.policyName}${d.urn ? ` ${d.urn.split("::").pop()}` : ""}`);

// One pack for the whole file: each start is a Node process of its own, about a second, so it
// starts as mocha loads this file and overlaps the suite's other work.
const starting = startPolicyPack(path.join(ROOT, "policy"));
starting.catch(() => undefined); // awaited below, where a failure is reported

describe("the policy pack, started as the Pulumi CLI starts it", () => {
    let pack: AnalyzerConnection;
    before(async () => {
        pack = await starting;
    });
    after(async () => {
        await pack?.close();
    });

    it("lists its three policies, each mandatory by default, under the version of its package.json", async () => {
        const info = await pack.info();
        assert.equal(info.name, "vpc-flow-monitoring");
        assert.equal(info.version, policyPackage.version);
        assert.deepEqual(
            info.policies.map((p) => [p.name, p.enforcementLevel]),
            POLICIES.map((name) => [name, "mandatory"]),
        );
    });

    it("answers Analyze with the verdict on one resource's inputs", async () => {
        const rule = (cidrIpv4: string) =>
            resource(INGRESS_RULE, "echo", {
                ipProtocol: "icmp",
                fromPort: 8,
                toPort: -1,
                cidrIpv4,
                securityGroupId: "sg-1",
            });
        const [violation, ...rest] = await pack.analyze(rule("0.0.0.0/0"));
        assert.deepEqual(rest, []);
        assert.deepEqual(
            [violation.policyName, violation.policyPackName, violation.enforcementLevel],
            ["no-world-open-icmp", "vpc-flow-monitoring", "mandatory"],
        );
        assert.match(violation.message, /ingress rule "echo" lets ICMP in from all of IPv4/);
        assert.deepEqual(await pack.analyze(rule("10.2.0.0/16")), []);
    });

    it("answers AnalyzeStack across resources, and says at advisory level what is not known yet", async () => {
        const diagnostics = await pack.analyzeStack([
            resource(VPC, "ipam", { cidrBlock: PULUMI_UNKNOWN, ipv4IpamPoolId: "ipam-pool-1" }),
            resource(VPC, "a", { cidrBlock: "10.1.0.0/16" }),
            resource(VPC, "b", { cidrBlock: "10.1.5.5/16" }),
        ]);
        assert.deepEqual(summary(diagnostics), [
            "advisory no-overlapping-vpc-cidrs ipam",
            "mandatory no-overlapping-vpc-cidrs b",
        ]);
        assert.match(
            diagnostics[1].message,
            /VPC "b" \(10\.1\.5\.5\/16, i\.e\. 10\.1\.0\.0\/16\) is the same block as VPC "a"/,
        );
    });

    it("finds a flow log's role through the property dependencies of iamRoleArn, and by ARN", async () => {
        const arn = "arn:aws:iam::123456789012:role/instance";
        const role = resource(ROLE, "instance", {
            arn,
            assumeRolePolicy: JSON.stringify({
                Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
        });
        const byDependency = resource(
            FLOW_LOG,
            "by-dependency",
            { iamRoleArn: PULUMI_UNKNOWN },
            { propertyDependencies: { iamRoleArn: [role.urn] }, dependencies: [role.urn] },
        );
        assert.deepEqual(summary(await pack.analyzeStack([role, byDependency])), [
            "mandatory flow-log-role-trust instance",
        ]);
        assert.deepEqual(summary(await pack.analyzeStack([role, resource(FLOW_LOG, "by-arn", { iamRoleArn: arn })])), [
            "mandatory flow-log-role-trust instance",
        ]);
        assert.deepEqual(
            summary(await pack.analyzeStack([role, resource(FLOW_LOG, "unlinked", { iamRoleArn: PULUMI_UNKNOWN })])),
            ["advisory flow-log-role-trust unlinked"],
        );
    });

    it("honours the levels set through Configure, as from --policy-pack-config, until configured again", async () => {
        const open = resource(INGRESS_RULE, "echo", { ipProtocol: "icmp", cidrIpv6: "::/0", securityGroupId: "sg-1" });
        try {
            await pack.configure({ "no-world-open-icmp": { enforcementLevel: "advisory" } });
            assert.deepEqual(summary(await pack.analyze(open)), ["advisory no-world-open-icmp"]);
            await pack.configure({
                "no-world-open-icmp": { enforcementLevel: "disabled" },
                "no-overlapping-vpc-cidrs": { properties: { externalCidrs: ["10.0.0.0/8"] } },
            });
            assert.deepEqual(await pack.analyze(open), []);
            assert.deepEqual(summary(await pack.analyzeStack([resource(VPC, "a", { cidrBlock: "10.1.0.0/16" })])), [
                "mandatory no-overlapping-vpc-cidrs a",
            ]);
        } finally {
            await pack.configure({});
        }
        assert.deepEqual(summary(await pack.analyze(open)), ["mandatory no-world-open-icmp"]);
    });

    it("says over the protocol what it cannot judge, at advisory level, and stays cautious where values are unknown", async () => {
        const odd = await pack.analyze(
            resource(INGRESS_RULE, "odd", { ipProtocol: "icmp", cidrIpv4: "0/0", securityGroupId: "sg-1" }),
        );
        assert.deepEqual(summary(odd), ["advisory no-world-open-icmp"]);
        assert.match(odd[0].message, /cidrIpv4 "0\/0"/);
        const huge = await pack.analyze(
            resource(INGRESS_RULE, "huge", {
                ipProtocol: "icmp",
                cidrIpv4: "9".repeat(10 << 20),
                securityGroupId: "sg-1",
            }),
        );
        assert.ok(huge[0].message.length < 1000, `${huge[0].message.length} characters`);
        const later = resource(AWS_TYPES.securityGroupRule, "later", {
            type: PULUMI_UNKNOWN,
            protocol: "icmp",
            cidrBlocks: ["0.0.0.0/0"],
            securityGroupId: "sg-1",
        });
        assert.deepEqual(await pack.analyze(later), [], "an unknown type is no ingress for sure");
        assert.deepEqual(summary(await pack.analyzeStack([later])), ["advisory no-world-open-icmp later"]);
        const escaped = `{"Statement":[{"Effect":"Allow","Principal":{"Service":["\\u0076pc-flow-logs.amazonaws.com","ec2.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`;
        assert.deepEqual(summary(await pack.analyze(resource(ROLE, "escaped", { assumeRolePolicy: escaped }))), [
            "mandatory flow-log-role-trust",
        ]);
    });

    it("reports a misspelled setting at advisory level, naming the closest known one", async () => {
        try {
            await pack.configure({ "no-overlapping-vpc-cidrs": { properties: { externalCidr: ["10.0.0.0/8"] } } });
            const diagnostics = await pack.analyzeStack([resource(VPC, "a", { cidrBlock: "10.1.0.0/16" })]);
            assert.deepEqual(summary(diagnostics), ["advisory no-overlapping-vpc-cidrs"]);
            assert.match(diagnostics[0].message, /"externalCidr" \(did you mean "externalCidrs"\?\)/);
        } finally {
            await pack.configure({});
        }
    });

    describe("on the dev stack's own resources", () => {
        let recorded: readonly RecordedResource[];
        before(async () => {
            recorded = (await devStackRun()).resources;
        });

        /** What `pulumi preview` would report: Analyze on every resource's inputs, then AnalyzeStack on their outputs. */
        async function preview(resources: readonly RecordedResource[]): Promise<string[]> {
            const perResource = await Promise.all(
                resources.map((r) => pack.analyze(analyzedFromRecorded(r, "inputs"))),
            );
            const stack = await pack.analyzeStack(resources.map((r) => analyzedFromRecorded(r, "state")));
            return summary([...perResource.flat(), ...stack]);
        }

        /** The stack with one resource's properties changed, in its inputs and its outputs alike. */
        function variant(
            name: string,
            change: Record<string, unknown>,
            extra: RecordedResource[] = [],
        ): RecordedResource[] {
            assert.ok(
                recorded.some((r) => r.name === name),
                `the dev stack has no resource ${name}`,
            );
            const edit = (r: RecordedResource) =>
                r.name === name ? { ...r, inputs: { ...r.inputs, ...change }, state: { ...r.state, ...change } } : r;
            return [...recorded.map(edit), ...extra];
        }

        it("passes all three policies, without even an advisory", async () => {
            assert.ok(recorded.some((r) => r.type === FLOW_LOG) && recorded.some((r) => r.type === INGRESS_RULE));
            assert.deepEqual(await preview(recorded), []);
        });

        it("stays quiet on flow logs to S3: no role, so no trust policy to judge", async () => {
            const toS3 = recorded.filter((r) => r.type === FLOW_LOG && r.inputs.logDestinationType === "s3");
            assert.equal(toS3.length, 2);
            assert.ok(toS3.every((r) => r.inputs.iamRoleArn === undefined));
            assert.deepEqual(await preview(toS3), []);
        });

        it("rejects it with overlapping VPC blocks", async () => {
            assert.deepEqual(await preview(variant("vpc2-vpc", { cidrBlock: "10.1.128.0/17" })), [
                "mandatory no-overlapping-vpc-cidrs vpc2-vpc",
            ]);
        });

        it("rejects it with ICMP open to the internet, by one rule or by two that add up", async () => {
            assert.deepEqual(await preview(variant("vpc1-host-icmp-in-0", { cidrIpv4: "0.0.0.0/0" })), [
                "mandatory no-world-open-icmp",
            ]);
            const half = recorded.find((r) => r.name === "vpc1-host-icmp-in-0")!;
            const otherHalf = {
                ...half,
                name: "vpc1-host-icmp-in-extra",
                inputs: { ...half.inputs, cidrIpv4: "128.0.0.0/1" },
                state: { ...half.state, cidrIpv4: "128.0.0.0/1" },
            };
            assert.deepEqual(await preview(variant("vpc1-host-icmp-in-0", { cidrIpv4: "0.0.0.0/1" }, [otherHalf])), [
                "mandatory no-world-open-icmp vpc1-host-sg",
            ]);
        });

        it("rejects it with a flow-log role that trusts more than the flow-logs service", async () => {
            const trust = flowLogsTrustPolicy({ partition: "aws", region: "us-east-1", accountId: "123456789012" });
            const widened = {
                ...trust,
                Statement: [
                    {
                        ...trust.Statement[0],
                        Principal: { Service: ["vpc-flow-logs.amazonaws.com", "ec2.amazonaws.com"] },
                    },
                ],
            };
            assert.deepEqual(await preview(variant("flow-logs-role", { assumeRolePolicy: JSON.stringify(widened) })), [
                "mandatory flow-log-role-trust",
            ]);
            const hostRoleArn = recorded.find((r) => r.name === "vpc1-host-role")!.state.arn;
            assert.deepEqual(await preview(variant("flow-logs-vpc1", { iamRoleArn: hostRoleArn })), [
                "mandatory flow-log-role-trust vpc1-host-role",
            ]);
        });
    });
});
