import { z } from "zod";
import { Cidr, contains, findOverlaps, parseCidr, subnetOf } from "../model/cidr";
import { ConfigError, ConfigIssue, describeIssue, fromZodIssues } from "./lib/configErrors";
import { bucketNameProblem, principalArnProblem } from "./lib/s3Policies";
import { FlowLogArchiveConfigSchema, flowLogArchiveIssues } from "./flowLogArchiveConfig";

/**
 * Stack configuration: its schema, its defaults, and the checks that run before any resource is
 * declared. Pure: no Pulumi runtime needed, so every rule is unit-tested directly.
 */

/** Retention periods CloudWatch Logs accepts (`PutRetentionPolicy`); 0 means never expire. */
export const LOG_RETENTION_DAYS = [
    0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Default AMI: the latest Amazon Linux 2023 for x86_64, from AWS's public SSM parameter. */
export const AL2023_X86_64_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

const IPV4_CIDR_MESSAGE = "not an IPv4 CIDR block (expected a.b.c.d/n with n from 0 to 32)";

const ipv4Cidr = z.string().refine((text) => parseCidr(text)?.version === 4, { message: IPV4_CIDR_MESSAGE });

/** Checks a block's syntax and its prefix length in one step, so a bad block gets one message. */
function cidrWithPrefix(min: number, max: number, what: string) {
    return z.string().superRefine((text, ctx) => {
        const block = parseCidr(text);
        if (block?.version !== 4) ctx.addIssue({ code: "custom", message: IPV4_CIDR_MESSAGE });
        else if (block.prefixLength < min || block.prefixLength > max) {
            ctx.addIssue({ code: "custom", message: `AWS accepts ${what} blocks from /${min} to /${max}` });
        }
    });
}

const VpcConfigSchema = z.strictObject({
    /** The VPC's IPv4 block. */
    cidrBlock: cidrWithPrefix(16, 28, "VPC"),
    /** The public subnet's block, inside the VPC's. Default: the first /24 of the VPC (or the whole VPC if smaller). */
    publicSubnetCidr: cidrWithPrefix(16, 28, "subnet").optional(),
    /** Availability zone of the subnet. Default: the region's first zone that needs no opt-in. */
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
            message: `not a retention CloudWatch Logs accepts (one of ${LOG_RETENTION_DAYS.join(", ")})`,
        })
        .default(30),
    aggregationIntervalSeconds: z
        .union([z.literal(60), z.literal(600)], { message: "flow logs aggregate over 60 or 600 seconds" })
        .default(60),
    trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).default("ALL"),
    kmsKeyArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, "not a KMS key ARN")
        .optional(),
});

const SshConfigSchema = z.strictObject({
    enabled: z.boolean().default(false),
    allowedCidrs: z.array(ipv4Cidr).default([]),
    keyPairName: z.string().min(1).optional(),
});

const PingHostsConfigSchema = z.strictObject({
    instanceType: z
        .string()
        .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "not an EC2 instance type like t3.micro")
        .default("t3.micro"),
    amiParameter: z.string().startsWith("/", "an SSM parameter name starts with /").default(AL2023_X86_64_PARAMETER),
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

const vpcName = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "VPC names are lower-case letters, digits and dashes");

export const StackConfigSchema = z.strictObject({
    vpcs: z.record(vpcName, VpcConfigSchema).refine((vpcs) => Object.keys(vpcs).length === 2, {
        message: "the architecture has exactly two VPCs",
    }),
    flowLogs: FlowLogsConfigSchema.prefault({}),
    pingHosts: PingHostsConfigSchema.prefault({}),
    s3Access: S3AccessConfigSchema.prefault({}),
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

/** The public subnet's block: configured, or the first /24 of the VPC (the VPC itself if smaller). */
export function publicSubnetCidrOf(vpc: VpcConfig): string {
    if (vpc.publicSubnetCidr !== undefined) return parseCidr(vpc.publicSubnetCidr)!.text;
    const block = parseCidr(vpc.cidrBlock)!;
    return block.prefixLength >= 24 ? block.text : subnetOf(block, 24, 0).text;
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

/** Rules across fields, checked once every field is well-formed on its own. */
export function crossFieldIssues(config: StackConfig): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const ctx = { addIssue: (issue: ConfigIssue & { code: "custom" }) => issues.push(issue) };
    const blocks: { name: string; cidr: Cidr }[] = [];
    for (const [name, vpc] of Object.entries(config.vpcs)) {
        const vpcBlock = parseCidr(vpc.cidrBlock)!;
        blocks.push({ name, cidr: vpcBlock });
        const subnet = parseCidr(publicSubnetCidrOf(vpc))!;
        if (!contains(vpcBlock, subnet)) {
            ctx.addIssue({
                code: "custom",
                path: ["vpcs", name, "publicSubnetCidr"],
                message: `lies outside the VPC's block ${vpcBlock.text}; pick a block inside it`,
            });
        }
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
        if (parseCidr(text)?.prefixLength === 0) {
            ctx.addIssue({
                code: "custom",
                path: ["pingHosts", "ssh", "allowedCidrs", index],
                message: "opens SSH to the whole internet; use Session Manager, or list your own network's block",
            });
        }
    });
    if (!ssh.enabled && ssh.allowedCidrs.length > 0) {
        ctx.addIssue({
            code: "custom",
            path: ["pingHosts", "ssh", "enabled"],
            message: "is false while allowedCidrs is set; set enabled: true to open SSH, or remove allowedCidrs",
        });
    }
    issues.push(...s3AccessIssues(config), ...flowLogArchiveIssues(config));
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
    if (!s3Access.includeDeployer && s3Access.adminPrincipalArns.length === 0) {
        issues.push({
            path: ["s3Access", "includeDeployer"],
            message:
                "leaves no administrator exempt from the endpoint-only bucket policy, so Pulumi and the console would be locked out; list adminPrincipalArns or set includeDeployer: true",
        });
    }
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
        ? crossFieldIssues(parsed.data)
        : fromZodIssues(StackConfigSchema, parsed.error.issues);
    if (issues.length > 0) {
        throw new ConfigError(issues.map((issue) => describeIssue(namespace, raw, issue, parsed.data)));
    }
    return parsed.data!;
}
