import { strict as assert } from "assert";
import { AwsMocks } from "../../checker/program/awsMocks";
import { VpcPeering } from "../../infra/peering";
import { Vpc } from "../../infra/vpc";
import { promiseOf, settle, useMocks } from "../helpers/pulumi";
import { AWS_TYPES } from "../../model/awsTypes";

describe("VpcPeering component", () => {
    let mocks: AwsMocks;
    let left: Vpc;
    let right: Vpc;
    let peering: VpcPeering;

    before(async () => {
        mocks = await useMocks();
        left = new Vpc("left", { cidrBlock: "10.1.0.0/16", publicSubnetCidr: "10.1.1.0/24" });
        right = new Vpc("right", { cidrBlock: "10.2.0.0/16", publicSubnetCidr: "10.2.0.0/24" });
        peering = new VpcPeering("pair", {
            requester: {
                name: "left",
                vpcId: left.vpcId,
                cidrBlock: left.cidrBlock,
                routeTableIds: left.routeTableIds,
            },
            accepter: {
                name: "right",
                vpcId: right.vpcId,
                cidrBlock: right.cidrBlock,
                routeTableIds: right.routeTableIds,
            },
        });
        await settle();
    });

    it("requests a same-account connection that is accepted at creation", async () => {
        const [connection] = mocks.find(AWS_TYPES.peering);
        assert.equal(connection.inputs.vpcId, await promiseOf(left.vpcId));
        assert.equal(connection.inputs.peerVpcId, await promiseOf(right.vpcId));
        assert.equal(connection.inputs.autoAccept, true);
        assert.equal(connection.inputs.peerOwnerId, undefined, "another account would need its own acceptance");
        assert.equal(await promiseOf(peering.connectionId), connection.id);
    });

    it("routes to the peer CIDR through the peering connection on both sides", async () => {
        const [connection] = mocks.find(AWS_TYPES.peering);
        const peeringRoutes = mocks
            .find(AWS_TYPES.route)
            .filter((route) => route.inputs.vpcPeeringConnectionId !== undefined)
            .map((route) => [
                route.inputs.routeTableId,
                route.inputs.destinationCidrBlock,
                route.inputs.vpcPeeringConnectionId,
            ]);
        assert.deepEqual(
            peeringRoutes.sort(),
            [
                [await promiseOf(left.publicRouteTableId), "10.2.0.0/16", connection.id],
                [await promiseOf(right.publicRouteTableId), "10.1.0.0/16", connection.id],
            ].sort(),
        );
    });

    it("adds one route per route table of a side", async () => {
        const fresh = await useMocks();
        new VpcPeering("many", {
            requester: {
                name: "a",
                vpcId: "vpc-a",
                cidrBlock: "10.1.0.0/16",
                routeTableIds: ["rtb-1", "rtb-2", "rtb-3"],
            },
            accepter: { name: "b", vpcId: "vpc-b", cidrBlock: "10.2.0.0/16", routeTableIds: ["rtb-4"] },
        });
        await settle();
        const routes = fresh.find(AWS_TYPES.route);
        assert.deepEqual(routes.map((r) => r.name).sort(), [
            "many-a-to-b-0",
            "many-a-to-b-1",
            "many-a-to-b-2",
            "many-b-to-a-0",
        ]);
    });
});
