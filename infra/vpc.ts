import * as aws from "./lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { nameTags, typeToken } from "./lib/component";
import { defaultPublicSubnetCidr, vpcArgsProblems } from "./lib/vpcArgs";
import { parseCidr } from "../model/cidr";

export interface VpcArgs {
    /**
     * The VPC's IPv4 block. A plain string: peering routes and security-group rules of other
     * components are computed from it before anything is deployed.
     * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
     */
    readonly cidrBlock: string;
    /**
     * The public subnet's block; must lie inside `cidrBlock`.
     * @default the first /24 of the VPC (the whole VPC when it is smaller)
     */
    readonly publicSubnetCidr?: string;
    /**
     * Availability zone of the public subnet.
     * @default chosen by AWS
     */
    readonly availabilityZone?: pulumi.Input<string>;
    /**
     * Take over the VPC's default security group and strip its rules, so nothing that falls back
     * to it is reachable (CIS AWS Foundations 5.4).
     * @default true
     */
    readonly restrictDefaultSecurityGroup?: boolean;
    /**
     * Tags for every resource of the component; each also gets a `Name`.
     * @default {}
     */
    readonly tags?: Record<string, string>;
}

/**
 * A VPC with DNS on and one public subnet: internet gateway, a route table whose default route
 * leads to it, associated with the subnet.
 */
export class Vpc extends pulumi.ComponentResource {
    /** The VPC's id. */
    public readonly vpcId: pulumi.Output<string>;
    /** The VPC's IPv4 block, as configured (plain, for CIDR math in other components). */
    public readonly cidrBlock: string;
    /** The public subnet's id. */
    public readonly publicSubnetId: pulumi.Output<string>;
    /** The public subnet's block. */
    public readonly publicSubnetCidr: string;
    /** The public subnet's route table. */
    public readonly publicRouteTableId: pulumi.Output<string>;
    /**
     * Every route table of the VPC that carries traffic; peering routes go into each one.
     * A plain array so that the number of routes is known at preview.
     */
    public readonly routeTableIds: pulumi.Output<string>[];

    constructor(name: string, args: VpcArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const problems = vpcArgsProblems(args);
        if (problems.length > 0) throw new Error(`Vpc ${name}: ${problems.join("; ")}`);
        super(typeToken("network", "Vpc"), name, {}, opts);
        const tags = args.tags ?? {};
        const publicSubnetCidr = args.publicSubnetCidr ?? defaultPublicSubnetCidr(parseCidr(args.cidrBlock)!);

        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.cidrBlock,
                enableDnsSupport: true,
                enableDnsHostnames: true,
                tags: nameTags(name, tags),
            },
            { parent: this },
        );

        if (args.restrictDefaultSecurityGroup ?? true) {
            new aws.ec2.DefaultSecurityGroup(
                `${name}-default-sg`,
                { vpcId: vpc.id, ingress: [], egress: [], tags: nameTags(`${name}-default (no rules)`, tags) },
                { parent: vpc },
            );
        }

        const subnet = new aws.ec2.Subnet(
            `${name}-public`,
            {
                vpcId: vpc.id,
                cidrBlock: publicSubnetCidr,
                availabilityZone: args.availabilityZone,
                // Instances ask for a public address explicitly; nothing gets one by accident.
                mapPublicIpOnLaunch: false,
                tags: nameTags(`${name}-public`, tags),
            },
            // A new zone or block replaces the subnet (both ForceNew in the provider's aws_subnet
            // schema). Created first, the replacement would claim the block the old subnet still
            // holds and fail with InvalidSubnet.Conflict; deleted first, the block is free.
            { parent: vpc, deleteBeforeReplace: true },
        );

        const internetGateway = new aws.ec2.InternetGateway(
            `${name}-igw`,
            { vpcId: vpc.id, tags: nameTags(`${name}-igw`, tags) },
            { parent: vpc },
        );

        // Routes are standalone resources, never inline: the peering component adds its own to
        // this table, and inline routes would fight over them on every update.
        const routeTable = new aws.ec2.RouteTable(
            `${name}-public-rt`,
            { vpcId: vpc.id, tags: nameTags(`${name}-public`, tags) },
            { parent: vpc },
        );
        new aws.ec2.Route(
            `${name}-public-default`,
            { routeTableId: routeTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id },
            { parent: routeTable },
        );
        new aws.ec2.RouteTableAssociation(
            `${name}-public-rta`,
            { subnetId: subnet.id, routeTableId: routeTable.id },
            { parent: routeTable },
        );

        this.vpcId = vpc.id;
        this.cidrBlock = args.cidrBlock;
        this.publicSubnetId = subnet.id;
        this.publicSubnetCidr = publicSubnetCidr;
        this.publicRouteTableId = routeTable.id;
        this.routeTableIds = [routeTable.id];
        this.registerOutputs({
            vpcId: this.vpcId,
            cidrBlock: this.cidrBlock,
            publicSubnetId: this.publicSubnetId,
            publicRouteTableId: this.publicRouteTableId,
        });
    }
}
