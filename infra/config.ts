import { z } from "zod";
import { Cidr, findOverlaps, parseCidr } from "../model/cidr";
import { ConfigError, ConfigIssue, describeIssue, fromZodIssues } from "./lib/configErrors";
import {
    AGGREGATION_INTERVALS,
    AGGREGATION_MESSAGE,
    FLOW_LOG_DEFAULTS,
    LOG_RETENTION_DAYS,
    RETENTION_MESSAGE,
    TRAFFIC_TYPES,
} from "./lib/flowLogArgs";
import { architectureProblem, PING_HOST_DEFAULTS, sshSourceFormProblem, sshSourceProblem } from "./lib/pingHostArgs";
import { bucketNameProblem, lockoutProblem, principalArnProblem } from "./lib/s3Policies";
import { PeeringConfigSchema } from "./peeringConfig";
import { blockProblem, defaultPublicSubnetCidr, IPV4_CIDR_MESSAGE, subnetOutsideVpcProblem } from "./lib/vpcArgs";
import { MonitoringConfigSchema, monitoringIssues } from "./monitoringConfig";
import { FlowLogArchiveConfigSchema, flowLogArchiveIssues } from "./flowLogArchiveConfig";

/**
 * Stack configuration: its schema, its defaults, and the checks that run before any resource is
 * declared. Pure: no Pulumi runtime needed, so every rule is unit-tested directly.
 */

/**
 * An SSH source as the provider's `cidr_ipv4` accepts it: an IPv4 block written exactly as its
 * network address ({@link networkAddressProblem}). Rejected rather than canonicalised:
 * `203.0.113.7/24` may well mean the one host `/32`, and silently widening it to 256 addresses
 * would open SSH to more than was asked for.
 */
const sshSourceCidr = z.string().superRefine((text, ctx) => {
    const block = parseCidr(text);
    const problem = block?.version !== 4 ? IPV4_CIDR_MESSAGE : sshSourceFormProblem(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const VpcConfigSchema = z.strictObject({
    /** The VPC's IPv4 block. */
    cidrBlock: checkedBy((text) => blockProblem(text, "VPC")),
    /** The public subnet's block, inside the VPC's. Default: the first /24 of the VPC (or the whole VPC if smaller). */
    publicSubnetCidr: checkedBy((text) => blockProblem(text, "subnet")).optional(),
    /**
     * Availability zone of the subnet; a zone of `aws:region`. Default: the region's first zone that
     * needs no opt-in and offers `pingHosts.instanceType`.
     */
    availabilityZone: z
        .string()
        .regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, "not an availability zone name like us-east-1a")
        .optional(),
    /** Whether this VPC's traffic is recorded by flow logs. */
    flowLogs: z.boolean().default(true),
});

const FlowLogsConfigSchema = z.strictObject({
    retentionInDays: z
        .number()
        .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
            message: RETENTION_MESSAGE,
        })
        .default(FLOW_LOG_DEFAULTS.retentionInDays),
    aggregationIntervalSeconds: z
        .literal(AGGREGATION_INTERVALS, { message: AGGREGATION_MESSAGE })
        .default(FLOW_LOG_DEFAULTS.aggregationIntervalSeconds),
    trafficType: z.enum(TRAFFIC_TYPES).default(FLOW_LOG_DEFAULTS.trafficType),
    kmsKeyArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, "not a KMS key ARN")
        .optional(),
});

const SshConfigSchema = z.strictObject({
    enabled: z.boolean().default(false),
    allowedCidrs: z.array(sshSourceCidr).default([]),
    keyPairName: z.string().min(1).optional(),
});

const PingHostsConfigSchema = z.strictObject({
    instanceType: z
        .string()
        .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "not an EC2 instance type like t3.micro")
        .default(PING_HOST_DEFAULTS.instanceType),
    /** The AMI's SSM parameter. Default: Amazon Linux 2023 for the instance type's architecture. */
    amiParameter: z.string().startsWith("/", "an SSM parameter name starts with /").optional(),
    ssh: SshConfigSchema.prefault({}),
});

/** A string judged by one of the shared pure checks, so config and components agree on what is valid. */
function checkedBy(problem: (text: string) => string | undefined) {
    return z.string().superRefine((text, ctx) => {
        const message = problem(text);
        if (message) ctx.addIssue({ code: "custom", message });
    });
}

const S3AccessConfigSchema = z.strictObject({
    /** Whether a VPC's instance gets a private bucket behind an S3 gateway endpoint. */
    enabled: z.boolean().default(false),
    /** The VPC (a key of `vpcs`) whose instance reaches the bucket; required when enabled. */
    vpc: z.string().optional(),
    /** The bucket's name. Default: auto-named from the VPC's name. */
    bucketName: checkedBy(bucketNameProblem).optional(),
    /** IAM users or roles that may use the bucket from outside the endpoint (console, CI). */
    adminPrincipalArns: z.array(checkedBy(principalArnProblem)).default([]),
    /** Exempt the role running `pulumi up` as well, so Pulumi is never locked out of its own bucket. */
    includeDeployer: z.boolean().default(true),
    /** Let `pulumi destroy` delete a bucket that still holds objects. */
    forceDestroy: z.boolean().default(false),
});

/** VPC names start the names of their resources (`<name>-public-subnet`, `<name>-host`). */
const VPC_NAME = /^[a-z][a-z0-9-]{0,30}$/;
export const VPC_NAME_RULE =
    "is not a VPC name: a lower-case letter, then up to 30 lower-case letters, digits or dashes (e.g. vpc1)";

/**
 * The names are checked here rather than by a key schema, whose failure zod reports only as
 * "Invalid key in record"; this way the message says what a name may be.
 */
const VpcsSchema = z.record(z.string(), VpcConfigSchema).superRefine((vpcs, ctx) => {
    for (const name of Object.keys(vpcs))
        if (!VPC_NAME.test(name)) ctx.addIssue({ code: "custom", path: [name], message: VPC_NAME_RULE });
    if (Object.keys(vpcs).length !== 2)
        ctx.addIssue({ code: "custom", message: "the architecture has exactly two VPCs" });
});

export const StackConfigSchema = z.strictObject({
    vpcs: VpcsSchema,
    flowLogs: FlowLogsConfigSchema.prefault({}),
    pingHosts: PingHostsConfigSchema.prefault({}),
    s3Access: S3AccessConfigSchema.prefault({}),
    monitoring: MonitoringConfigSchema.prefault({}),
    peering: PeeringConfigSchema.prefault({}),
    flowLogArchive: FlowLogArchiveConfigSchema.prefault({}),
    tags: z.record(z.string(), z.string()).default({}),
});

export type StackConfig = z.infer<typeof StackConfigSchema>;
export type VpcConfig = StackConfig["vpcs"][string];

/** A VPC's config with its defaults resolved. */
export interface ResolvedVpc {
    readonly name: string;
    readonly cidrBlock: string;
    readonly publicSubnetCidr: string;
    readonly availabilityZone?: string;
    readonly flowLogs: boolean;
}

/** The public subnet's block: configured, or the component's default. */
export function publicSubnetCidrOf(vpc: VpcConfig): string {
    if (vpc.publicSubnetCidr !== undefined) return parseCidr(vpc.publicSubnetCidr)!.text;
    return defaultPublicSubnetCidr(parseCidr(vpc.cidrBlock)!);
}

export function resolveVpcs(config: StackConfig): ResolvedVpc[] {
    return Object.entries(config.vpcs).map(([name, vpc]) => ({
        name,
        cidrBlock: parseCidr(vpc.cidrBlock)!.text,
        publicSubnetCidr: publicSubnetCidrOf(vpc),
        availabilityZone: vpc.availabilityZone,
        flowLogs: vpc.flowLogs,
    }));
}

/**
 * Rules across fields, checked once every field is well-formed on its own. `region` is the
 * provider's `aws:region`, when set, which every configured zone must belong to.
 */
export function crossFieldIssues(config: StackConfig, region?: string): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const ctx = { addIssue: (issue: ConfigIssue & { code: "custom" }) => issues.push(issue) };
    const blocks: { name: string; cidr: Cidr }[] = [];
    for (const [name, vpc] of Object.entries(config.vpcs)) {
        const vpcBlock = parseCidr(vpc.cidrBlock)!;
        blocks.push({ name, cidr: vpcBlock });
        const outside = subnetOutsideVpcProblem(vpcBlock, parseCidr(publicSubnetCidrOf(vpc))!);
        if (outside) ctx.addIssue({ code: "custom", path: ["vpcs", name, "publicSubnetCidr"], message: outside });
    }
    for (const { outer, inner } of findOverlaps(blocks, (block) => block.cidr)) {
        ctx.addIssue({
            code: "custom",
            path: ["vpcs", inner.name, "cidrBlock"],
            message: `overlaps ${outer.name}'s ${outer.cidr.text}; peered VPCs need disjoint blocks`,
        });
    }
    const ssh = config.pingHosts.ssh;
    if (ssh.enabled && ssh.allowedCidrs.length === 0) {
        ctx.addIssue({
            code: "custom",
            path: ["pingHosts", "ssh", "allowedCidrs"],
            message: "SSH is enabled but no source is allowed; list the CIDR blocks SSH may come from",
        });
    }
    ssh.allowedCidrs.forEach((text, index) => {
        const message = sshSourceProblem(text);
        if (message) ctx.addIssue({ code: "custom", path: ["pingHosts", "ssh", "allowedCidrs", index], message });
    });
    if (!ssh.enabled && ssh.allowedCidrs.length > 0) {
        ctx.addIssue({
            code: "custom",
            path: ["pingHosts", "ssh", "enabled"],
            message: "is false while allowedCidrs is set; set enabled: true to open SSH, or remove allowedCidrs",
        });
    }
    issues.push(...s3AccessIssues(config), ...placementIssues(config, region), ...flowLogArchiveIssues(config));
    issues.push(...monitoringIssues(config.monitoring, config.vpcs));
    return issues;
}

const inRegion = (zone: string, region: string) =>
    zone.length === region.length + 1 && zone.startsWith(region) && /[a-z]$/.test(zone);

/** Zones inside the provider's region; an AMI that can boot the instance type. */
function placementIssues({ vpcs, pingHosts }: StackConfig, region: string | undefined): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    for (const [name, vpc] of Object.entries(vpcs)) {
        const zone = vpc.availabilityZone;
        // A zone is its region's name plus one letter (us-east-1a); Local Zones are not offered here.
        if (zone === undefined || region === undefined || inRegion(zone, region)) continue;
        issues.push({
            path: ["vpcs", name, "availabilityZone"],
            message: `is not a zone of aws:region ${region}; pick one of its zones (${region}a, ${region}b, ...), or leave it unset`,
        });
    }
    const mismatch =
        pingHosts.amiParameter === undefined
            ? undefined
            : architectureProblem(pingHosts.instanceType, pingHosts.amiParameter, "pingHosts.instanceType");
    if (mismatch) issues.push({ path: ["pingHosts", "amiParameter"], message: mismatch });
    return issues;
}

function s3AccessIssues({ s3Access, vpcs }: StackConfig): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    if (s3Access.vpc !== undefined && !(s3Access.vpc in vpcs)) {
        const known = Object.keys(vpcs).join(", ");
        issues.push({ path: ["s3Access", "vpc"], message: `names no VPC of this stack; use one of ${known}` });
    }
    if (!s3Access.enabled) return issues;
    if (s3Access.vpc === undefined)
        issues.push({ path: ["s3Access", "vpc"], message: "is required when s3Access is enabled" });
    const lockout = lockoutProblem(s3Access.adminPrincipalArns, s3Access.includeDeployer);
    if (lockout) issues.push({ path: ["s3Access", "includeDeployer"], message: lockout });
    return issues;
}

/** Reads one raw config value the way `pulumi config` stores it: JSON when it parses, else text. */
function decode(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/**
 * Validates the project's stack config, given as `pulumi.runtime.allConfig()` returns it
 * (`namespace:key` to raw text). Keys of other namespaces (`aws:region`) are not ours to judge.
 * Throws a {@link ConfigError} naming every offending key and its value; returns the config
 * with defaults applied otherwise.
 */
export function parseStackConfig(allConfig: Readonly<Record<string, string>>, namespace: string): StackConfig {
    const raw: Record<string, unknown> = {};
    for (const [key, text] of Object.entries(allConfig)) {
        if (key.startsWith(`${namespace}:`)) raw[key.slice(namespace.length + 1)] = decode(text);
    }
    const parsed = StackConfigSchema.safeParse(raw);
    const issues = parsed.success
        ? crossFieldIssues(parsed.data, allConfig["aws:region"])
        : fromZodIssues(StackConfigSchema, parsed.error.issues);
    if (issues.length > 0) {
        throw new ConfigError(issues.map((issue) => describeIssue(namespace, raw, issue, parsed.data)));
    }
    return parsed.data!;
}
