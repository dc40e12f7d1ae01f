import * as aws from "./lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { nameTags, typeToken } from "./lib/component";

/** One side of a peering connection. */
export interface PeeringSide {
    /** A short name for the side, used in resource names. */
    readonly name: string;
    /** The VPC's id. */
    readonly vpcId: pulumi.Input<string>;
    /** The VPC's IPv4 block: the other side routes it through the connection. */
    readonly cidrBlock: string;
    /**
     * Every route table of the VPC whose subnets must reach the other side. A plain array: one
     * route is declared per table.
     */
    readonly routeTableIds: readonly pulumi.Input<string>[];
}

export interface VpcPeeringArgs {
    /** The side that requests the connection. */
    readonly requester: PeeringSide;
    /** The side that accepts it; same account and region, so it is accepted at creation. */
    readonly accepter: PeeringSide;
    /**
     * Add the routes to the peer through the connection. Off, the connection routes nothing: the
     * seeds' second failing ping, kept to replay it.
     * @default true
     */
    readonly routes?: boolean;
    /**
     * Tags for the connection.
     * @default {}
     */
    readonly tags?: Record<string, string>;
}

/**
 * A same-account, same-region VPC peering connection, auto-accepted, with a route to the peer's
 * block in every route table of both sides. Peering alone routes nothing: without the routes
 * the seeds' first ping went unanswered.
 * @see https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html
 */
export class VpcPeering extends pulumi.ComponentResource {
    /** The peering connection's id (`pcx-…`). */
    public readonly connectionId: pulumi.Output<string>;
    /** Ids of the routes added, requester's tables first. */
    public readonly routeIds: pulumi.Output<string>[];

    constructor(name: string, args: VpcPeeringArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(typeToken("network", "VpcPeering"), name, {}, opts);
        const { requester, accepter } = args;

        const connection = new aws.ec2.VpcPeeringConnection(
            `${name}-pcx`,
            {
                vpcId: requester.vpcId,
                peerVpcId: accepter.vpcId,
                autoAccept: true,
                tags: nameTags(`${name} (${requester.name} <-> ${accepter.name})`, args.tags),
            },
            { parent: this },
        );

        const routesFrom = (from: PeeringSide, to: PeeringSide) =>
            from.routeTableIds.map(
                (routeTableId, index) =>
                    new aws.ec2.Route(
                        `${name}-${from.name}-to-${to.name}-${index}`,
                        { routeTableId, destinationCidrBlock: to.cidrBlock, vpcPeeringConnectionId: connection.id },
                        { parent: connection },
                    ),
            );
        const routes =
            (args.routes ?? true) ? [...routesFrom(requester, accepter), ...routesFrom(accepter, requester)] : [];

        this.connectionId = connection.id;
        this.routeIds = routes.map((route) => route.id);
        this.registerOutputs({ connectionId: this.connectionId, routeIds: this.routeIds });
    }
}
