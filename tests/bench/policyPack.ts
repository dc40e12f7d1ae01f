import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { flowLogsTrustPolicy } from "../../model/iamDocuments";
import {
    AnalyzedResource,
    AnalyzerConnection,
    stackRequest,
    startPolicyPack,
} from "../../checker/analyzer/analyzerClient";
import { AWS_TYPES } from "../../model/awsTypes";
import { installPublishedPack } from "../helpers/publishedPack";
import { ACCOUNT, emptyPack, noOpStackPoliciesPack, POLICY_PACK, seconds, temporaryPack } from "./benchPacks";

/**
 * `npm run bench`: how the policy pack costs against an empty pack on the same `@pulumi/policy`,
 * both launched as the Pulumi CLI launches them (run-policy-pack, TypeScript on):
 *   (a) start-up, until GetAnalyzerInfo answers, of the pack from source (launch.js) and of the
 *       published pack (npm run build:policy, packed and installed as the CLI installs it);
 *   (b) AnalyzeStack over 10,000 VPCs, 10,000 security-group rules and 100 flow logs with roles;
 *   (c) the same at ten times the size, against (b).
 * Not a test: machines differ, so it prints ratios measured in one run, runs interleaved, medians.
 */

/** Our pack without launch.js: run-policy-pack type-checks it, as it would a plain TypeScript pack. */
function typeCheckedPack(): string {
    return temporaryPack("type-checked-pack", path.join(POLICY_PACK, "index.ts"));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
    const start = process.hrtime.bigint();
    const result = await work();
    return [Number(process.hrtime.bigint() - start) / 1e6, result];
}

async function startupMs(dir: string, typeScript = true): Promise<number> {
    const [ms, pack] = await timed(async () => {
        const started = await startPolicyPack(dir, { typeScript });
        await started.info();
        return started;
    });
    await pack.close();
    return ms;
}

/** `scale` × (1,000 VPCs, 1,000 rules on 100 groups, 10 flow logs with their roles). */
function stack(scale: number): AnalyzedResource[] {
    const resources: AnalyzedResource[] = [];
    const urn = (type: string, name: string) => `urn:pulumi:bench::vpc-flow-monitoring::${type}::${name}`;
    for (let i = 0; i < 1000 * scale; i++) {
        const cidrBlock = `${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24`;
        resources.push({
            urn: urn(AWS_TYPES.vpc, `vpc${i}`),
            type: AWS_TYPES.vpc,
            name: `vpc${i}`,
            properties: { cidrBlock, enableDnsSupport: true, id: `vpc-${i}`, tags: { Name: `vpc${i}` } },
        });
    }
    for (let i = 0; i < 1000 * scale; i++) {
        const [securityGroupId, peer] = [`sg-${i % (100 * scale)}`, `10.${i & 255}.0.0/16`];
        resources.push(
            i % 2 === 0
                ? {
                      urn: urn(AWS_TYPES.ingressRule, `in${i}`),
                      type: AWS_TYPES.ingressRule,
                      name: `in${i}`,
                      properties: { securityGroupId, ipProtocol: "icmp", fromPort: 8, toPort: -1, cidrIpv4: peer },
                  }
                : {
                      urn: urn(AWS_TYPES.securityGroupRule, `in${i}`),
                      type: AWS_TYPES.securityGroupRule,
                      name: `in${i}`,
                      properties: {
                          securityGroupId,
                          type: "ingress",
                          protocol: "icmp",
                          fromPort: 8,
                          toPort: -1,
                          cidrBlocks: [peer],
                      },
                  },
        );
    }
    const trust = JSON.stringify(flowLogsTrustPolicy({ partition: "aws", region: "us-east-1", accountId: ACCOUNT }));
    for (let i = 0; i < 10 * scale; i++) {
        const [roleUrn, arn] = [urn(AWS_TYPES.role, `role${i}`), `arn:aws:iam::${ACCOUNT}:role/role${i}`];
        resources.push({
            urn: roleUrn,
            type: AWS_TYPES.role,
            name: `role${i}`,
            properties: { arn, assumeRolePolicy: trust },
        });
        resources.push({
            urn: urn(AWS_TYPES.flowLog, `fl${i}`),
            type: AWS_TYPES.flowLog,
            name: `fl${i}`,
            properties: { iamRoleArn: arn, vpcId: `vpc-${i}` },
            propertyDependencies: { iamRoleArn: [roleUrn] },
            dependencies: [roleUrn],
        });
    }
    return resources;
}

/** Median wall time of AnalyzeStack on each pack, the packs taking turns; checks ours finds nothing. */
async function analyzeStackMs(packs: AnalyzerConnection[], scale: number, rounds: number): Promise<number[]> {
    const request = stackRequest(stack(scale));
    const times: number[][] = packs.map(() => []);
    for (let round = 0; round < rounds; round++) {
        for (const [i, pack] of packs.entries()) {
            const [ms, response] = await timed(() => pack.analyzeStackRequest(request));
            if (response.getDiagnosticsList().length > 0)
                throw new Error(
                    `the bench stack is meant to pass, but: ${response.getDiagnosticsList()[0].getMessage()}`,
                );
            times[i].push(ms);
        }
    }
    return times.map(median);
}

async function main(): Promise<void> {
    const empty = emptyPack();
    const noOp = noOpStackPoliciesPack();
    const typeChecked = typeCheckedPack();
    const publishedWork = fs.mkdtempSync(path.join(os.tmpdir(), "published-pack-"));
    try {
        const published = await installPublishedPack(publishedWork);
        console.log("(a) start-up until GetAnalyzerInfo answers, median of 5, taking turns");
        const startups: Record<string, number[]> = { ours: [], empty: [], published: [], typeChecked: [] };
        for (let round = 0; round < 5; round++) {
            startups.empty.push(await startupMs(empty));
            startups.ours.push(await startupMs(POLICY_PACK));
            startups.published.push(await startupMs(published.dir, published.typeScript));
        }
        startups.typeChecked.push(await startupMs(typeChecked));
        const [ours, baseline, publishedMs] = [
            median(startups.ours),
            median(startups.empty),
            median(startups.published),
        ];
        console.log(`    empty JavaScript pack  ${seconds(baseline)}`);
        console.log(`    this pack              ${seconds(ours)}   ratio ${(ours / baseline).toFixed(2)} (limit 1.5)`);
        console.log(
            `    this pack, published   ${seconds(publishedMs)}   ratio ${(publishedMs / baseline).toFixed(2)}; ${(publishedMs / ours).toFixed(2)} of the pack from source (bundle, installed from its tarball)`,
        );
        console.log(
            `    this pack type-checked ${seconds(startups.typeChecked[0])}   ratio ${(startups.typeChecked[0] / baseline).toFixed(2)} (one run, without launch.js)`,
        );

        const packs = [await startPolicyPack(POLICY_PACK), await startPolicyPack(empty), await startPolicyPack(noOp)];
        try {
            console.log(
                "(b) AnalyzeStack, 10,000 VPCs + 10,000 security-group rules + 100 flow logs with roles, median of 7",
            );
            const [small, smallEmpty, smallNoOp] = await analyzeStackMs(packs, 10, 7);
            console.log(`    empty pack                    ${seconds(smallEmpty)}`);
            console.log(
                `    three no-op stack policies    ${seconds(smallNoOp)}   ratio ${(smallNoOp / smallEmpty).toFixed(2)} (the framework's share)`,
            );
            console.log(
                `    this pack                     ${seconds(small)}   ratio ${(small / smallEmpty).toFixed(2)} (limit 1.3); ${(small / smallNoOp).toFixed(2)} of the no-op pack`,
            );
            console.log("(c) the same at ten times the size, median of 3");
            const [large, largeEmpty] = await analyzeStackMs(packs.slice(0, 2), 100, 3);
            console.log(
                `    empty pack ${seconds(largeEmpty)} (x${(largeEmpty / smallEmpty).toFixed(1)})   this pack ${seconds(large)} (x${(large / small).toFixed(1)}; 10 is linear)`,
            );
        } finally {
            await Promise.all(packs.map((pack) => pack.close()));
        }
    } finally {
        for (const dir of [empty, noOp, typeChecked, publishedWork]) fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
