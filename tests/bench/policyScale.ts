import * as fs from "fs";
import {
    AnalyzedResource,
    AnalyzerConnection,
    stackRequest,
    startPolicyPack,
} from "../../checker/analyzer/analyzerClient";
import { AWS_TYPES } from "../../model/awsTypes";
import { parseCidr, subnetOf } from "../../model/cidr";
import { flowLogsTrustPolicy } from "../../model/iamDocuments";
import { ACCOUNT, noOpStackPoliciesPack, POLICY_PACK, seconds } from "./benchPacks";

/**
 * Second half of `npm run bench`: how the pack's stack checks grow with the input (issue 12).
 *   (d) one group of n ICMP rules that only together cover 0.0.0.0/0 (so the pack rejects the
 *       group), n doubling: each doubling should cost about 2x, as for a pack that only reads them;
 *   (e) one group of 100,000 rules against the same rules over 1,000 groups (goal: at most 1.3x);
 *   (f) AnalyzeStack over 200,000 mixed resources against a pack of three no-op stack policies,
 *       CPU time and peak memory of each pack's process (goal: CPU at most 1.3x).
 * Not a test: it prints ratios measured in one run. Arguments pick sections, e.g. `d` alone.
 */

const urn = (type: string, name: string) => `urn:pulumi:bench::vpc-flow-monitoring::${type}::${name}`;

/** Peer sources inside 10.0.0.0/9: never the whole internet, however many add up. */
const peer = (i: number) => `10.${i & 127}.0.0/16`;

function ingressRule(name: string, groupUrn: string, cidrIpv4: string): AnalyzedResource {
    return {
        urn: urn(AWS_TYPES.ingressRule, name),
        type: AWS_TYPES.ingressRule,
        name,
        properties: { securityGroupId: "pending", ipProtocol: "icmp", fromPort: 8, toPort: -1, cidrIpv4 },
        propertyDependencies: { securityGroupId: [groupUrn] },
        dependencies: [groupUrn],
    };
}

/** `rules` ICMP rules from peer blocks (or blocks that add up to the internet), spread evenly over `groups` groups. */
function groupsOfRules(rules: number, groups: number, source = peer): AnalyzedResource[] {
    const resources: AnalyzedResource[] = [];
    for (let g = 0; g < groups; g++) {
        resources.push({
            urn: urn(AWS_TYPES.securityGroup, `sg${g}`),
            type: AWS_TYPES.securityGroup,
            name: `sg${g}`,
            properties: { id: `sg-${g}`, ingress: [] },
        });
    }
    for (let i = 0; i < rules; i++) resources.push(ingressRule(`r${i}`, resources[i % groups].urn, source(i)));
    return resources;
}

/** 20,000 × (VPC, group with inline rules, default group, 2+1 standalone rules, role, flow log, 2 buckets). */
function mixedStack(units: number): AnalyzedResource[] {
    const trust = JSON.stringify(flowLogsTrustPolicy({ partition: "aws", region: "us-east-1", accountId: ACCOUNT }));
    const resources: AnalyzedResource[] = [];
    const add = (type: string, name: string, properties: Record<string, unknown>, extra = {}) => {
        const resource = { urn: urn(type, name), type, name, properties, ...extra };
        resources.push(resource);
        return resource;
    };
    for (let i = 0; i < units; i++) {
        add(AWS_TYPES.vpc, `vpc${i}`, { cidrBlock: `10.${i >> 8}.${i & 255}.0/24`, id: `vpc-${i}` });
        const group = add(AWS_TYPES.securityGroup, `sg${i}`, {
            id: `sg-${i}`,
            vpcId: `vpc-${i}`,
            ingress: [
                { protocol: "icmp", fromPort: 8, toPort: -1, cidrBlocks: [peer(i)] },
                { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
            ],
        });
        add(AWS_TYPES.defaultSecurityGroup, `default${i}`, { vpcId: `vpc-${i}`, ingress: [] });
        add(AWS_TYPES.securityGroupRule, `rule${i}`, {
            type: "ingress",
            protocol: "icmp",
            fromPort: 8,
            toPort: -1,
            cidrBlocks: [peer(i + 1)],
            securityGroupId: `sg-${i}`,
        });
        resources.push(ingressRule(`in${i}a`, group.urn, peer(i + 2)));
        resources.push(ingressRule(`in${i}b`, group.urn, peer(i + 3)));
        const arn = `arn:aws:iam::${ACCOUNT}:role/role${i}`;
        const role = add(AWS_TYPES.role, `role${i}`, { arn, assumeRolePolicy: trust });
        add(
            AWS_TYPES.flowLog,
            `fl${i}`,
            { iamRoleArn: arn, vpcId: `vpc-${i}`, trafficType: "ALL" },
            { propertyDependencies: { iamRoleArn: [role.urn] }, dependencies: [role.urn] },
        );
        add(AWS_TYPES.bucket, `bucket${i}a`, { bucket: `bucket-${i}-a` });
        add(AWS_TYPES.bucket, `bucket${i}b`, { bucket: `bucket-${i}-b` });
    }
    return resources;
}

/** CPU seconds the process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The process's peak resident memory in MB, from /proc. */
function peakMb(pid: number): number {
    const line = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/VmHWM:\s+(\d+) kB/);
    return line ? Number(line[1]) / 1024 : NaN;
}

/** Wall and CPU time of one AnalyzeStack; fails unless the pack reports as many violations as expected. */
async function analyze(
    pack: AnalyzerConnection,
    resources: AnalyzedResource[],
    expected = 0,
): Promise<{ ms: number; cpu: number }> {
    const request = stackRequest(resources);
    const cpuBefore = cpuSeconds(pack.pid!);
    const start = process.hrtime.bigint();
    const response = await pack.analyzeStackRequest(request);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const diagnostics = response.getDiagnosticsList();
    if (diagnostics.length !== expected)
        throw new Error(`expected ${expected} violations, got ${diagnostics.length}: ${diagnostics[0]?.getMessage()}`);
    return { ms, cpu: cpuSeconds(pack.pid!) - cpuBefore };
}

const SECTIONS = process.argv.slice(2);
const runs = (section: string) => SECTIONS.length === 0 || SECTIONS.includes(section);

async function main(): Promise<void> {
    const noOp = noOpStackPoliciesPack();
    try {
        const ours = await startPolicyPack(POLICY_PACK);
        try {
            await analyze(ours, groupsOfRules(100, 1)); // warm-up
            if (runs("d")) await scaling(ours);
            if (runs("e")) await oneGroupAgainstMany(ours);
        } finally {
            await ours.close();
        }
        if (runs("f")) await mixedAgainstNoOp(noOp);
    } finally {
        fs.rmSync(noOp, { recursive: true, force: true });
    }
}

async function scaling(ours: AnalyzerConnection): Promise<void> {
    console.log("(d) one security group of n ICMP rules: cost per doubling (2x is linear, 4x quadratic)");
    let previous: number | undefined;
    for (const n of [4096, 8192, 16384, 32768]) {
        const internet = parseCidr("0.0.0.0/0")!;
        const halves = (i: number) => subnetOf(internet, Math.log2(n), i).text;
        const { cpu } = await analyze(ours, groupsOfRules(n, 1, halves), 1);
        console.log(`    n = ${n}: ${cpu.toFixed(2)} s CPU${previous ? `   x${(cpu / previous).toFixed(2)}` : ""}`);
        previous = cpu;
    }
}

async function oneGroupAgainstMany(ours: AnalyzerConnection): Promise<void> {
    console.log("(e) 100,000 ICMP rules: one group against 1,000 groups of 100, median of 3 taking turns");
    const [one, many]: number[][] = [[], []];
    for (let round = 0; round < 3; round++) {
        one.push((await analyze(ours, groupsOfRules(100_000, 1))).cpu);
        many.push((await analyze(ours, groupsOfRules(100_000, 1000))).cpu);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1];
    console.log(`    1,000 groups ${median(many).toFixed(2)} s CPU`);
    console.log(
        `    one group    ${median(one).toFixed(2)} s CPU   ratio ${(median(one) / median(many)).toFixed(2)} (goal 1.3)`,
    );
}

async function mixedAgainstNoOp(noOp: string): Promise<void> {
    console.log("(f) AnalyzeStack over 200,000 mixed resources, each pack in a fresh process");
    const stack = mixedStack(20_000);
    const results: Record<string, { ms: number; cpu: number; peak: number }> = {};
    for (const [name, dir] of [
        ["no-op", noOp],
        ["this pack", POLICY_PACK],
    ]) {
        const pack = await startPolicyPack(dir);
        try {
            const { ms, cpu } = await analyze(pack, stack);
            results[name] = { ms, cpu, peak: peakMb(pack.pid!) };
        } finally {
            await pack.close();
        }
    }
    const [base, ourResult] = [results["no-op"], results["this pack"]];
    console.log(
        `    three no-op stack policies  ${base.cpu.toFixed(2)} s CPU, ${seconds(base.ms)} wall, peak ${base.peak.toFixed(0)} MB`,
    );
    console.log(
        `    this pack                   ${ourResult.cpu.toFixed(2)} s CPU, ${seconds(ourResult.ms)} wall, peak ${ourResult.peak.toFixed(0)} MB`,
    );
    console.log(
        `    ratio CPU ${(ourResult.cpu / base.cpu).toFixed(2)} (goal 1.3), peak memory ${(ourResult.peak / base.peak).toFixed(2)}`,
    );
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
