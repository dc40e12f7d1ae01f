import { strict as assert } from "assert";
import { AwsMocks } from "../../checker/program/awsMocks";
import { Vpc } from "../../infra/vpc";
import { only, promiseOf, registrationsOf, settle, useMocks } from "../helpers/pulumi";
import { AWS_TYPES } from "../../model/awsTypes";

describe("Vpc component", () => {
    let mocks: AwsMocks;
    let vpc: Vpc;

    before(async () => {
        mocks = await useMocks();
        vpc = new Vpc("net", { cidrBlock: "10.9.0.0/16", publicSubnetCidr: "10.9.3.0/24", tags: { Team: "network" } });
        await settle();
    });

    it("turns DNS support and DNS hostnames on", () => {
        const { inputs } = only(mocks.resources, AWS_TYPES.vpc);
        assert.equal(inputs.cidrBlock, "10.9.0.0/16");
        assert.equal(inputs.enableDnsSupport, true);
        assert.equal(inputs.enableDnsHostnames, true);
    });

    it("puts the public subnet inside the VPC, handing out no public addresses by itself", async () => {
        const subnet = only(mocks.resources, AWS_TYPES.subnet);
        assert.equal(subnet.inputs.cidrBlock, "10.9.3.0/24");
        assert.equal(subnet.inputs.vpcId, await promiseOf(vpc.vpcId));
        assert.equal(subnet.inputs.mapPublicIpOnLaunch, false);
    });

    it("routes the subnet's default route to its own internet gateway, with a standalone route", async () => {
        const table = only(mocks.resources, AWS_TYPES.routeTable);
        assert.equal(table.inputs.routes, undefined, "inline routes would fight the peering routes");
        const route = only(mocks.resources, AWS_TYPES.route);
        assert.equal(route.inputs.routeTableId, table.id);
        assert.equal(route.inputs.destinationCidrBlock, "0.0.0.0/0");
        assert.equal(route.inputs.gatewayId, only(mocks.resources, AWS_TYPES.internetGateway).id);
        const association = only(mocks.resources, AWS_TYPES.routeTableAssociation);
        assert.equal(association.inputs.subnetId, only(mocks.resources, AWS_TYPES.subnet).id);
        assert.equal(association.inputs.routeTableId, table.id);
        assert.deepEqual(await Promise.all(vpc.routeTableIds.map(promiseOf)), [table.id]);
    });

    it("strips every rule from the VPC's default security group", () => {
        const group = only(mocks.resources, AWS_TYPES.defaultSecurityGroup);
        assert.deepEqual([group.inputs.ingress, group.inputs.egress], [[], []]);
    });

    it("names every child from the component and tags it", () => {
        const children = mocks.resources.filter((r) => r.type.startsWith("aws:"));
        assert.equal(children.length, 7);
        for (const child of children) {
            assert.ok(child.name.startsWith("net-"), child.name);
            if (child.inputs.tags) assert.equal(child.inputs.tags.Team, "network", child.name);
        }
    });

    it("replaces its subnet delete-first, so the replacement can take the same block (no InvalidSubnet.Conflict)", () => {
        const subnet = registrationsOf(mocks).find((r) => r.type === AWS_TYPES.subnet);
        assert.equal(subnet?.deleteBeforeReplace, true);
    });
});

describe("Vpc component, used on its own", () => {
    it("defaults its public subnet to the VPC's first /24", async () => {
        const mocks = await useMocks();
        const vpc = new Vpc("plain", { cidrBlock: "10.7.0.0/16" });
        await settle();
        assert.equal(only(mocks.resources, AWS_TYPES.subnet).inputs.cidrBlock, "10.7.0.0/24");
        assert.equal(vpc.publicSubnetCidr, "10.7.0.0/24");
    });

    it("refuses a subnet outside the VPC before declaring anything", async () => {
        const mocks = await useMocks();
        assert.throws(
            () => new Vpc("bad", { cidrBlock: "10.7.0.0/16", publicSubnetCidr: "10.8.0.0/24" }),
            /^Error: Vpc bad: publicSubnetCidr "10\.8\.0\.0\/24": lies outside the VPC's block 10\.7\.0\.0\/16/,
        );
        await settle();
        assert.deepEqual(mocks.resources, []);
    });
});
