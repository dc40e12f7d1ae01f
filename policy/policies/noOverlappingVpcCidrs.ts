import { ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { Cidr, findOverlaps, parseCidr } from "../../model/cidr";
import { quote } from "../../model/messageText";
import { advise, guarded } from "../lib/guarded";
import { reportConfigProblems } from "../lib/unknownSettings";
import { AWS_TYPES } from "../../model/awsTypes";
import { describe, readProperty, NOT_KNOWN_YET } from "../lib/properties";

const description =
    "The IPv4 CIDR blocks of all VPCs and secondary VPC CIDR associations must be pairwise disjoint, and disjoint from the networks listed in externalCidrs.";

/** The resources that claim IPv4 blocks, with how messages name them; each has `cidrBlock`. */
const BLOCK_OWNERS: Readonly<Record<string, string>> = {
    [AWS_TYPES.vpc]: "VPC",
    [AWS_TYPES.vpcCidr]: "secondary CIDR block",
};

/** Settings in `--policy-pack-config`. */
export interface NoOverlappingVpcCidrsConfig {
    /** Blocks of networks outside the stack (on-premises, peers in other stacks) that VPCs must not overlap. */
    readonly externalCidrs?: readonly string[];
}

interface Claim {
    readonly cidr: Cidr;
    /** How the block was written, when that differs from its canonical form (host bits set). */
    readonly written?: string;
    readonly owner: string;
    /** Absent for an external network. */
    readonly urn?: string;
}

function claimOf(cidr: Cidr, written: string, owner: string, urn?: string): Claim {
    return { cidr, owner, urn, ...(written.trim() !== cidr.text ? { written: written.trim() } : {}) };
}

function blockText(claim: Claim): string {
    return claim.written ? `${claim.written}, i.e. ${claim.cidr.text}` : claim.cidr.text;
}

function externalClaims(config: unknown, report: ReportViolation): Claim[] {
    const listed = readProperty(config, "externalCidrs");
    if (listed === undefined || listed === null) return [];
    if (!Array.isArray(listed)) {
        report(`policy config externalCidrs must be a list of IPv4 CIDR blocks, got ${quote(listed)}`);
        return [];
    }
    return listed.flatMap((text, index) => {
        const cidr = parseCidr(text);
        if (cidr?.version === 4) return [claimOf(cidr, String(text), `external network ${cidr.text}`)];
        report(
            `policy config externalCidrs[${index}] ${text === undefined ? "(missing)" : quote(text)} is not an IPv4 CIDR block; fix or remove it`,
        );
        return [];
    });
}

function checkStack(args: StackValidationArgs, report: ReportViolation): void {
    reportConfigProblems(args.getConfig(), noOverlappingVpcCidrs.configSchema, report, description);
    const claims: Claim[] = [];
    for (const resource of args.resources) {
        const kind = BLOCK_OWNERS[resource.type];
        if (!kind) continue;
        const owner = describe(kind, resource);
        const value = readProperty(resource.props, "cidrBlock");
        if (value === NOT_KNOWN_YET || value === undefined || value === null) {
            advise(
                report,
                description,
                `${owner} has a CIDR block that is not known yet (e.g. allocated from IPAM at deployment), so its overlaps cannot be checked in this preview; they are checked once it is deployed.`,
                resource.urn,
            );
            continue;
        }
        const cidr = parseCidr(value);
        if (cidr?.version !== 4) {
            report(
                `${owner} has cidrBlock ${quote(value)}, which is not an IPv4 CIDR block, so overlaps cannot be ruled out. Use a block like 10.1.0.0/16.`,
                resource.urn,
            );
            continue;
        }
        claims.push(claimOf(cidr, String(value), owner, resource.urn));
    }
    claims.push(...externalClaims(args.getConfig<NoOverlappingVpcCidrsConfig>(), report));

    // CIDR blocks never overlap partially: each overlap is one block inside (or equal to) another.
    for (const { outer, inner } of findOverlaps(claims, (claim) => claim.cidr)) {
        const urn = inner.urn ?? outer.urn;
        if (!urn) continue;
        const relation = inner.cidr.prefixLength === outer.cidr.prefixLength ? "is the same block as" : "lies inside";
        report(
            `${inner.owner} (${blockText(inner)}) ${relation} ${outer.owner} (${blockText(outer)}). Routed networks need disjoint blocks: move one of them to a range no other network uses.`,
            urn,
        );
    }
}

export const noOverlappingVpcCidrs: StackValidationPolicy = {
    name: "no-overlapping-vpc-cidrs",
    description,
    enforcementLevel: "mandatory",
    remediationSteps:
        "Give every VPC and secondary CIDR association a block that shares no address with any other VPC in the stack or with the networks in externalCidrs, then preview again. Blocks with host bits set (10.1.5.5/16) mean their network (10.1.0.0/16).",
    configSchema: {
        properties: {
            externalCidrs: {
                type: "array",
                items: { type: "string" },
                description:
                    "IPv4 blocks of networks outside this stack (on-premises, peers in other stacks) that no VPC may overlap.",
            },
        },
    },
    validateStack: guarded(checkStack),
};
