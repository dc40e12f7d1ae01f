/* eslint-disable @typescript-eslint/no-explicit-any -- lookup inputs and results in the mocks' loose shapes, as awsMocks.ts takes them */
/**
 * The region's default VPC as AWS creates it in every account: 172.31.0.0/16, one default /20
 * subnet per availability zone (172.31.0.0/20, 172.31.16.0/20, ...), and a security group named
 * `default` that admits only its own members and lets everything out.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc-components.html
 *
 * Only lookups that select the default VPC's parts are answered: anything else names a network
 * this offline check cannot know, and the caller says so (see awsMocks.ts).
 */

export interface Filter {
    readonly name: string;
    readonly values: readonly string[];
}

export interface DefaultVpcContext {
    readonly region: string;
    readonly accountId: string;
    /** A stable id from a role, e.g. `vpc-<hex>`. */
    readonly idOf: (prefix: string, role: string) => string;
}

const ZONES = ["a", "b", "c"];

function filterValues(inputs: Record<string, any>, name: string): readonly string[] | undefined {
    return ((inputs.filters ?? []) as Filter[]).find((f) => f.name === name)?.values;
}

export function defaultVpc(c: DefaultVpcContext): Record<string, any> {
    const id = c.idOf("vpc", "default");
    return {
        id,
        default: true,
        cidrBlock: "172.31.0.0/16",
        arn: `arn:aws:ec2:${c.region}:${c.accountId}:vpc/${id}`,
        ownerId: c.accountId,
        mainRouteTableId: c.idOf("rtb", "default-main"),
        enableDnsHostnames: true,
        enableDnsSupport: true,
        instanceTenancy: "default",
        state: "available",
    };
}

/** The default subnets, one per zone, as `aws ec2 describe-subnets` would list them. */
export function defaultSubnets(c: DefaultVpcContext): Record<string, any>[] {
    const vpcId = defaultVpc(c).id;
    return ZONES.map((zone, index) => {
        const id = c.idOf("subnet", `default-${zone}`);
        return {
            id,
            arn: `arn:aws:ec2:${c.region}:${c.accountId}:subnet/${id}`,
            vpcId,
            availabilityZone: `${c.region}${zone}`,
            cidrBlock: `172.31.${index * 16}.0/20`,
            defaultForAz: true,
            mapPublicIpOnLaunch: true,
            ownerId: c.accountId,
            state: "available",
        };
    });
}

export function defaultSecurityGroup(c: DefaultVpcContext): Record<string, any> {
    const id = c.idOf("sg", "default");
    return {
        id,
        arn: `arn:aws:ec2:${c.region}:${c.accountId}:security-group/${id}`,
        name: "default",
        description: "default VPC security group",
        vpcId: defaultVpc(c).id,
        ownerId: c.accountId,
    };
}

/** Whether a lookup's `vpc-id` filter, `vpcId` or `default-for-az` filter pins it to the default VPC. */
function selectsDefaultVpc(c: DefaultVpcContext, inputs: Record<string, any>): boolean {
    const vpcIds = filterValues(inputs, "vpc-id") ?? (inputs.vpcId ? [inputs.vpcId] : undefined);
    if (vpcIds) return vpcIds.length > 0 && vpcIds.every((v) => v === defaultVpc(c).id);
    return filterValues(inputs, "default-for-az")?.includes("true") ?? inputs.defaultForAz === true;
}

function inZones(subnet: Record<string, any>, inputs: Record<string, any>): boolean {
    const zones =
        filterValues(inputs, "availability-zone") ?? (inputs.availabilityZone ? [inputs.availabilityZone] : undefined);
    return zones === undefined || zones.includes(subnet.availabilityZone);
}

/** `aws.ec2.getSubnets`, for the default VPC's subnets only; undefined for any other selection. */
export function getSubnets(c: DefaultVpcContext, inputs: Record<string, any>): Record<string, any> | undefined {
    if (!selectsDefaultVpc(c, inputs)) return undefined;
    const ids = defaultSubnets(c)
        .filter((s) => inZones(s, inputs))
        .map((s) => s.id);
    return { id: c.region, ids, filters: inputs.filters, tags: inputs.tags };
}

/** `aws.ec2.getSubnet`, by a default subnet's id or by default-VPC filters that leave exactly one. */
export function getSubnet(c: DefaultVpcContext, inputs: Record<string, any>): Record<string, any> | undefined {
    const subnets = defaultSubnets(c);
    if (inputs.id) return subnets.find((s) => s.id === inputs.id);
    if (!selectsDefaultVpc(c, inputs)) return undefined;
    const matching = subnets.filter((s) => inZones(s, inputs));
    return matching.length === 1 ? matching[0] : undefined;
}

/** `aws.ec2.getSecurityGroup`, for the default VPC's `default` group only. */
export function getSecurityGroup(c: DefaultVpcContext, inputs: Record<string, any>): Record<string, any> | undefined {
    const group = defaultSecurityGroup(c);
    if (inputs.id) return inputs.id === group.id ? group : undefined;
    const names = filterValues(inputs, "group-name") ?? (inputs.name ? [inputs.name] : undefined);
    if (!names?.includes("default")) return undefined;
    const vpcIds = filterValues(inputs, "vpc-id") ?? (inputs.vpcId ? [inputs.vpcId] : undefined);
    return vpcIds === undefined || vpcIds.includes(group.vpcId) ? group : undefined;
}
