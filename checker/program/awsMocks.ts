import * as pulumi from "@pulumi/pulumi";
import { addressText, parseCidr } from "../../model/cidr";
import { renderPolicyDocument } from "./policyDocument";
import { AWS_INVOKES, AWS_TYPES } from "../../model/awsTypes";
import { PULUMI_UNKNOWN } from "../../model/unknown";
import { Answers, answerInvoke } from "./answers";
import * as defaults from "./defaultVpc";

/**
 * Pulumi mocks that behave like AWS enough for policies and tests to see a realistic graph:
 * resources get AWS-shaped ids, ARNs, auto-names and private addresses inside their subnet, and
 * the common invokes get plausible answers. Any other invoke throws: a silently answered invoke
 * hides bugs.
 */

export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly id: string;
    readonly inputs: Record<string, any>;
    /** Inputs plus what AWS would compute (ids, ARNs, addresses). */
    readonly state: Record<string, any>;
}

export interface AwsMockOptions {
    readonly accountId?: string;
    readonly region?: string;
    /** Answers for invokes beyond the built-in ones, by token; they win over the built-ins. */
    readonly invokes?: Record<string, (args: Record<string, any>) => Record<string, any>>;
    /** Instance types a zone does not offer, by zone name (e.g. `{ "us-east-1a": ["t3.micro"] }`); others offer every type. */
    readonly instanceTypesNotOffered?: Readonly<Record<string, readonly string[]>>;
    /** The user's answers file (see ./answers): invokes and StackReference outputs. */
    readonly answers?: Answers;
}

/** The resource type of `new pulumi.StackReference(...)`, which the engine reads rather than creates. */
export const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

/** An invoke nobody answers fails the run with this, naming the token and how to answer it. */
export function unansweredInvoke(token: string, inputs: unknown, detail = ""): Error {
    const error = new Error(
        `unmocked invoke ${token}(${JSON.stringify(inputs)})${detail}: the offline check cannot look this up. ` +
            `Supply the answer in an answers file (npm run check -- --answers FILE), under invokes: ${token}: ` +
            "[{ args: {...}, result: {...} }] (see the README's answers file).",
    );
    // The SDK passes on only a gRPC error's `details` (runtime/invoke.ts: `new Error(err.details)`).
    return Object.assign(error, { details: error.message, [UNANSWERED]: { token, inputs } });
}

const UNANSWERED = Symbol("unanswered invoke");

/** An invoke the mocks could not answer; the program may have caught the error and carried on. */
export interface UnansweredInvoke {
    readonly token: string;
    /** The invoke's arguments as JSON, cut at {@link MAX_ARGS_TEXT} characters. */
    readonly args: string;
}

/** Bounds on what is kept of unanswered invokes: a program looping over lookups must not fill the report. */
export const MAX_UNANSWERED_INVOKES = 20;
const MAX_ARGS_TEXT = 300;

export const MOCK_ACCOUNT_ID = "123456789012";

/** A stable hex string from a name, so ids do not change between runs. */
function hexOf(text: string, length: number): string {
    let hash = 0xcbf29ce484222325n;
    let out = "";
    while (out.length < length) {
        for (const char of text + out.length)
            hash = ((hash ^ BigInt(char.charCodeAt(0))) * 0x100000001b3n) & 0xffffffffffffffffn;
        out += hash.toString(16).padStart(16, "0");
    }
    return out.slice(0, length);
}

const ID_PREFIXES: Record<string, string> = {
    [AWS_TYPES.vpc]: "vpc",
    [AWS_TYPES.subnet]: "subnet",
    [AWS_TYPES.internetGateway]: "igw",
    [AWS_TYPES.routeTable]: "rtb",
    [AWS_TYPES.routeTableAssociation]: "rtbassoc",
    [AWS_TYPES.peering]: "pcx",
    [AWS_TYPES.securityGroup]: "sg",
    [AWS_TYPES.defaultSecurityGroup]: "sg",
    [AWS_TYPES.ingressRule]: "sgr",
    [AWS_TYPES.egressRule]: "sgr",
    [AWS_TYPES.securityGroupRule]: "sgrule",
    [AWS_TYPES.instance]: "i",
    [AWS_TYPES.flowLog]: "fl",
    [AWS_TYPES.vpcEndpoint]: "vpce",
    [AWS_TYPES.networkAcl]: "acl",
    [AWS_TYPES.vpcCidr]: "vpc-cidr-assoc",
};

/** Types whose physical name Pulumi auto-generates from the logical name when none is given. */
const AUTO_NAMED: Record<string, string> = {
    [AWS_TYPES.role]: "name",
    [AWS_TYPES.iamPolicy]: "name",
    [AWS_TYPES.instanceProfile]: "name",
    [AWS_TYPES.rolePolicy]: "name",
    [AWS_TYPES.logGroup]: "name",
    [AWS_TYPES.securityGroup]: "name",
    [AWS_TYPES.bucket]: "bucket",
    [AWS_TYPES.bucketV2]: "bucket",
    [AWS_TYPES.snsTopic]: "name",
    [AWS_TYPES.metricAlarm]: "name",
};

function unansweredLookup(token: string, inputs: unknown, detail: string): never {
    throw unansweredInvoke(token, inputs, detail);
}

export class AwsMocks implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];
    readonly accountId: string;
    readonly region: string;
    private readonly subnets = new Map<string, { cidr: string; hostsUsed: number }>();

    constructor(private readonly options: AwsMockOptions = {}) {
        this.accountId = options.accountId ?? MOCK_ACCOUNT_ID;
        this.region = options.region ?? "us-east-1";
    }

    /** Stacks the program references and the answers file does not: their outputs stay unknown. */
    readonly unansweredStackReferences: string[] = [];

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
        if (args.type === STACK_REFERENCE_TYPE) return this.stackReference(args);
        const inputs = args.inputs ?? {};
        const prefix = ID_PREFIXES[args.type];
        const id = args.id || (prefix ? `${prefix}-${hexOf(args.name, 17)}` : `${args.name}-${hexOf(args.name, 8)}`);
        const state: Record<string, any> = { ...inputs, ...this.computed(args.type, args.name, id, inputs) };
        this.resources.push({ type: args.type, name: args.name, id, inputs, state });
        return { id, state };
    }

    /**
     * Each distinct invoke nobody answered (at most {@link MAX_UNANSWERED_INVOKES}), even one whose
     * error the program caught: what it built from its fallback was not judged against the real answer.
     */
    readonly unansweredInvokes: UnansweredInvoke[] = [];
    /** How many more distinct unanswered invokes there were past the bound. */
    unlistedInvokes = 0;

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        try {
            return this.answer(args);
        } catch (error) {
            const unanswered = (error as { [UNANSWERED]?: { token: string; inputs: unknown } })?.[UNANSWERED];
            if (unanswered) this.recordUnanswered(unanswered.token, unanswered.inputs);
            throw error;
        }
    }

    private recordUnanswered(token: string, inputs: unknown): void {
        const text = JSON.stringify(inputs ?? {});
        const args = text.length > MAX_ARGS_TEXT ? `${text.slice(0, MAX_ARGS_TEXT)}...` : text;
        const seen = this.unansweredInvokes.some((u) => u.token === token && u.args === args);
        if (seen) return;
        if (this.unansweredInvokes.length < MAX_UNANSWERED_INVOKES) this.unansweredInvokes.push({ token, args });
        else this.unlistedInvokes++;
    }

    private answer(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        const custom = this.options.invokes?.[args.token];
        if (custom) return custom(args.inputs);
        const supplied = this.options.answers && answerInvoke(this.options.answers, args.token, args.inputs);
        if (supplied) return supplied;
        const answer = this.builtInInvokes()[args.token];
        if (!answer) throw unansweredInvoke(args.token, args.inputs);
        return answer(args.inputs);
    }

    /** A StackReference's outputs from the answers file; without one they stay unknown, as in a first preview. */
    private stackReference(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
        const name = String(args.inputs?.name ?? args.id ?? args.name);
        const outputs = this.options.answers?.stackReferences[name];
        if (!outputs) this.unansweredStackReferences.push(name);
        return { id: name, state: { name, outputs: outputs ?? PULUMI_UNKNOWN, secretOutputNames: [] } };
    }

    /** The default-VPC lookups, answered for the default VPC only (see ./defaultVpc). */
    private defaultVpcLookup(
        token: string,
        lookup: (c: defaults.DefaultVpcContext, inputs: Record<string, any>) => Record<string, any> | undefined,
    ): (inputs: Record<string, any>) => Record<string, any> {
        const context = {
            region: this.region,
            accountId: this.accountId,
            idOf: (p: string, r: string) => `${p}-${hexOf(r, 17)}`,
        };
        return (inputs) =>
            lookup(context, inputs) ?? unansweredLookup(token, inputs, ": only the default VPC's parts are mocked");
    }

    /** Resources of a type, optionally by logical name. */
    find(type: string, name?: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    }

    private builtInInvokes(): Record<string, (inputs: Record<string, any>) => Record<string, any>> {
        const { accountId, region } = this;
        return {
            [AWS_INVOKES.getCallerIdentity]: () => ({
                id: accountId,
                accountId,
                arn: `arn:aws:sts::${accountId}:assumed-role/deployer/pulumi-session`,
                userId: "AROAEXAMPLEDEPLOYER:pulumi-session",
            }),
            [AWS_INVOKES.getRegion]: () => ({
                id: region,
                region,
                name: region,
                endpoint: `ec2.${region}.amazonaws.com`,
            }),
            [AWS_INVOKES.getPartition]: () => ({
                id: "aws",
                partition: "aws",
                dnsSuffix: "amazonaws.com",
                reverseDnsPrefix: "com.amazonaws",
            }),
            [AWS_INVOKES.getAvailabilityZones]: () => ({
                id: region,
                names: ["a", "b", "c"].map((zone) => `${region}${zone}`),
                zoneIds: [1, 2, 3].map((n) => `use1-az${n}`),
            }),
            [AWS_INVOKES.getInstanceTypeOfferings]: (inputs) => this.instanceTypeOfferings(inputs),
            [AWS_INVOKES.getParameter]: (inputs) => ({
                id: inputs.name,
                name: inputs.name,
                arn: `arn:aws:ssm:${region}::parameter${inputs.name}`,
                type: "String",
                value: `ami-${hexOf(String(inputs.name), 17)}`,
                version: 1,
            }),
            [AWS_INVOKES.getAmi]: (inputs) => this.ami(inputs),
            [AWS_INVOKES.getPolicyDocument]: (inputs) => {
                const rendered = renderPolicyDocument(inputs);
                return { ...inputs, ...rendered, id: String(parseInt(hexOf(rendered.json, 8), 16)) };
            },
            [AWS_INVOKES.getVpc]: (inputs) => this.defaultVpc(inputs),
            [AWS_INVOKES.getSubnets]: this.defaultVpcLookup(AWS_INVOKES.getSubnets, defaults.getSubnets),
            [AWS_INVOKES.getSubnet]: this.defaultVpcLookup(AWS_INVOKES.getSubnet, defaults.getSubnet),
            [AWS_INVOKES.getSecurityGroup]: this.defaultVpcLookup(
                AWS_INVOKES.getSecurityGroup,
                defaults.getSecurityGroup,
            ),
            [AWS_INVOKES.getSessionContext]: (inputs) => {
                const match = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(String(inputs.arn));
                if (!match) return { id: inputs.arn, arn: inputs.arn, issuerArn: inputs.arn };
                const [, partition, account, roleName, session] = match;
                return {
                    id: inputs.arn,
                    arn: inputs.arn,
                    issuerArn: `arn:${partition}:iam::${account}:role/${roleName}`,
                    issuerId: "AROAEXAMPLEDEPLOYER",
                    issuerName: roleName,
                    sessionName: session,
                };
            },
        };
    }

    /**
     * The zones (of those getAvailabilityZones lists) that offer the types an `instance-type` filter
     * names, one row per zone and type, as DescribeInstanceTypeOfferings answers for
     * `locationType: "availability-zone"`. Other lookups name filters these mocks cannot judge.
     */
    private instanceTypeOfferings(inputs: Record<string, any>): Record<string, any> {
        const filters: { name: string; values: string[] }[] = inputs.filters ?? [];
        const types = filters.find((f) => f.name === "instance-type")?.values;
        if (inputs.locationType !== "availability-zone" || !types || filters.length !== 1)
            throw new Error(
                `unmocked invoke ${AWS_INVOKES.getInstanceTypeOfferings}(${JSON.stringify(inputs)}): only one instance-type filter by availability-zone is mocked`,
            );
        const zones: string[] = this.call({ token: AWS_INVOKES.getAvailabilityZones, inputs: {} }).names;
        const rows = zones.flatMap((zone) =>
            types
                .filter((type) => !this.options.instanceTypesNotOffered?.[zone]?.includes(type))
                .map((type) => ({ zone, type })),
        );
        return {
            ...inputs,
            id: this.region,
            region: this.region,
            instanceTypes: rows.map((row) => row.type),
            locations: rows.map((row) => row.zone),
            locationTypes: rows.map(() => "availability-zone"),
        };
    }

    /** An AMI matching the lookup's name and architecture filters, the same one for the same lookup. */
    private ami(inputs: Record<string, any>): Record<string, any> {
        const filter = (name: string): string | undefined =>
            (inputs.filters ?? []).find((f: { name: string }) => f.name === name)?.values?.[0]?.replace(/[*?]/g, "0");
        const owner = String(inputs.owners?.[0] ?? "amazon");
        const id = `ami-${hexOf(JSON.stringify(inputs), 17)}`;
        return {
            ...inputs,
            id,
            imageId: id,
            arn: `arn:aws:ec2:${this.region}::image/${id}`,
            name: filter("name") ?? `image-${id}`,
            architecture: filter("architecture") ?? "x86_64",
            ownerId: /^\d{12}$/.test(owner) ? owner : owner === "self" ? this.accountId : "137112412989",
            imageOwnerAlias: owner === "amazon" ? "amazon" : undefined,
            platformDetails: "Linux/UNIX",
            rootDeviceName: "/dev/xvda",
            rootDeviceType: "ebs",
            virtualizationType: "hvm",
            state: "available",
        };
    }

    /** Only the region's default VPC: any other lookup names a VPC these mocks cannot know. */
    private defaultVpc(inputs: Record<string, any>): Record<string, any> {
        if (inputs.default !== true) unansweredLookup(AWS_INVOKES.getVpc, inputs, ": only { default: true } is mocked");
        return defaults.defaultVpc({
            region: this.region,
            accountId: this.accountId,
            idOf: (prefix, role) => `${prefix}-${hexOf(role, 17)}`,
        });
    }

    private computed(type: string, name: string, id: string, inputs: Record<string, any>): Record<string, any> {
        const { accountId, region } = this;
        const out: Record<string, any> = {};
        const nameKey = AUTO_NAMED[type];
        if (nameKey && inputs[nameKey] === undefined) out[nameKey] = `${name}-${hexOf(name, 7)}`;
        const physicalName = nameKey ? (inputs[nameKey] ?? out[nameKey]) : undefined;
        switch (type) {
            case AWS_TYPES.vpc:
                out.arn = `arn:aws:ec2:${region}:${accountId}:vpc/${id}`;
                out.mainRouteTableId = `rtb-${hexOf(`${name}-main`, 17)}`;
                out.defaultNetworkAclId = `acl-${hexOf(`${name}-acl`, 17)}`;
                out.defaultSecurityGroupId = `sg-${hexOf(`${name}-default`, 17)}`;
                break;
            case AWS_TYPES.subnet:
                this.subnets.set(id, { cidr: inputs.cidrBlock, hostsUsed: 0 });
                out.arn = `arn:aws:ec2:${region}:${accountId}:subnet/${id}`;
                break;
            case AWS_TYPES.instance:
                out.privateIp = this.nextAddress(inputs.subnetId);
                out.publicIp = inputs.associatePublicIpAddress ? "203.0.113.10" : "";
                out.arn = `arn:aws:ec2:${region}:${accountId}:instance/${id}`;
                out.primaryNetworkInterfaceId = `eni-${hexOf(name, 17)}`;
                break;
            case AWS_TYPES.peering:
                out.acceptStatus = inputs.autoAccept ? "active" : "pending-acceptance";
                break;
            case AWS_TYPES.securityGroup:
                out.arn = `arn:aws:ec2:${region}:${accountId}:security-group/${id}`;
                break;
            case AWS_TYPES.role:
            case AWS_TYPES.instanceProfile:
                out.arn = `arn:aws:iam::${accountId}:${type.endsWith("Role") ? "role" : "instance-profile"}/${physicalName}`;
                out.uniqueId = `AROA${hexOf(name, 16).toUpperCase()}`;
                break;
            case AWS_TYPES.iamPolicy:
                out.arn = `arn:aws:iam::${accountId}:policy/${physicalName}`;
                break;
            case AWS_TYPES.logGroup:
                out.arn = `arn:aws:logs:${region}:${accountId}:log-group:${physicalName}`;
                break;
            case AWS_TYPES.flowLog:
                out.arn = `arn:aws:ec2:${region}:${accountId}:vpc-flow-log/${id}`;
                break;
            case AWS_TYPES.bucket:
            case AWS_TYPES.bucketV2:
                out.arn = `arn:aws:s3:::${physicalName}`;
                out.bucketRegionalDomainName = `${physicalName}.s3.${region}.amazonaws.com`;
                break;
            case AWS_TYPES.vpcEndpoint:
                out.arn = `arn:aws:ec2:${region}:${accountId}:vpc-endpoint/${id}`;
                out.prefixListId = `pl-${hexOf(name, 8)}`;
                break;
            case AWS_TYPES.kmsKey:
                out.keyId = `${hexOf(name, 8)}-${hexOf(name + "k", 4)}-${hexOf(name + "l", 4)}-${hexOf(name + "m", 4)}-${hexOf(name + "n", 12)}`;
                out.arn = `arn:aws:kms:${region}:${accountId}:key/${out.keyId}`;
                break;
            case AWS_TYPES.snsTopic:
                out.arn = `arn:aws:sns:${region}:${accountId}:${physicalName}`;
                break;
            case AWS_TYPES.snsTopicSubscription:
                out.arn = `arn:aws:sns:${region}:${accountId}:${inputs.topic?.split?.(":").pop()}:${hexOf(name, 8)}`;
                break;
            case AWS_TYPES.metricAlarm:
                out.arn = `arn:aws:cloudwatch:${region}:${accountId}:alarm:${physicalName}`;
                break;
            case AWS_TYPES.dashboard:
                out.dashboardArn = `arn:aws:cloudwatch::${accountId}:dashboard/${inputs.dashboardName}`;
                break;
            case AWS_TYPES.contributorInsightRule:
                out.resourceArn = `arn:aws:cloudwatch:${region}:${accountId}:insight-rule/${inputs.ruleName}`;
                break;
            case AWS_TYPES.glueDatabase:
                out.arn = `arn:aws:glue:${region}:${accountId}:database/${inputs.name}`;
                break;
            case AWS_TYPES.glueTable:
                out.arn = `arn:aws:glue:${region}:${accountId}:table/${inputs.databaseName}/${inputs.name}`;
                break;
            case AWS_TYPES.athenaWorkgroup:
                // Auto-named by the provider, as the types above.
                out.name = inputs.name ?? `${name}-${hexOf(name, 7)}`;
                out.arn = `arn:aws:athena:${region}:${accountId}:workgroup/${out.name}`;
                break;
            case AWS_TYPES.queryDefinition:
                out.queryDefinitionId = `${hexOf(name, 8)}-${hexOf(name + "q", 4)}-${hexOf(name + "r", 4)}`;
                break;
        }
        return out;
    }

    /** The next free address of a subnet, skipping the five AWS reserves (network, router, DNS, future, broadcast). */
    private nextAddress(subnetId: unknown): string | undefined {
        const subnet = typeof subnetId === "string" ? this.subnets.get(subnetId) : undefined;
        const block = parseCidr(subnet?.cidr);
        if (!subnet || !block) return undefined;
        subnet.hostsUsed += 1;
        return addressText(block.first + 9n + BigInt(subnet.hostsUsed), block.version);
    }
}
