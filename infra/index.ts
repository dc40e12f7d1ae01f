import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, resolveVpcs } from "./config";
import { FlowLogQueries } from "./flowLogQueries";
import { VpcFlowLogs } from "./flowLogs";
import { ConfigError } from "./lib/configErrors";
import { VpcPeering } from "./peering";
import { PingHost } from "./pingHost";
import { Vpc } from "./vpc";

/** Validates every key before a single resource is declared: bad config never half-applies. */
function loadConfig() {
    try {
        return parseStackConfig(pulumi.runtime.allConfig(), pulumi.getProject());
    } catch (error) {
        if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
        throw error;
    }
}

const config = loadConfig();
const tags = { Project: pulumi.getProject(), Stack: pulumi.getStack(), ...config.tags };
const vpcConfigs = resolveVpcs(config);

const defaultZone = aws
    .getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] })
    .names.apply((names) => names[0]);

const [vpc1, vpc2] = vpcConfigs.map(
    (vpc) =>
        new Vpc(vpc.name, {
            cidrBlock: vpc.cidrBlock,
            publicSubnetCidr: vpc.publicSubnetCidr,
            availabilityZone: vpc.availabilityZone ?? defaultZone,
            tags,
        }),
);
const [name1, name2] = vpcConfigs.map((vpc) => vpc.name);

const peering = new VpcPeering(`${name1}-${name2}`, {
    requester: { name: name1, vpcId: vpc1.vpcId, cidrBlock: vpc1.cidrBlock, routeTableIds: vpc1.routeTableIds },
    accepter: { name: name2, vpcId: vpc2.vpcId, cidrBlock: vpc2.cidrBlock, routeTableIds: vpc2.routeTableIds },
    tags,
});

const { ssh, ...hostSettings } = config.pingHosts;
const pingHostIn = (name: string, vpc: Vpc, peer: Vpc) =>
    new PingHost(`${name}-host`, {
        vpcId: vpc.vpcId,
        subnetId: vpc.publicSubnetId,
        peerCidrBlocks: [peer.cidrBlock],
        ...hostSettings,
        ssh: ssh.enabled ? ssh : undefined,
        tags,
    });
const host1 = pingHostIn(name1, vpc1, vpc2);
const host2 = pingHostIn(name2, vpc2, vpc1);

const flowLogged = vpcConfigs.flatMap((vpc, index) => (vpc.flowLogs ? [{ name: vpc.name, vpcId: [vpc1, vpc2][index].vpcId }] : []));
const flowLogs = flowLogged.length > 0 ? new VpcFlowLogs("flow-logs", { vpcs: flowLogged, ...config.flowLogs, tags }) : undefined;
const queries =
    flowLogs &&
    new FlowLogQueries("flow-log-queries", {
        logGroupName: flowLogs.logGroupName,
        vpcCidrBlocks: [vpc1.cidrBlock, vpc2.cidrBlock],
        folder: `${pulumi.getProject()}-${pulumi.getStack()}`,
    });

const region = aws.getRegionOutput().region;

export const vpcIds = { [name1]: vpc1.vpcId, [name2]: vpc2.vpcId };
export const vpcCidrBlocks = { [name1]: vpc1.cidrBlock, [name2]: vpc2.cidrBlock };
export const instanceIds = { [name1]: host1.instanceId, [name2]: host2.instanceId };
export const privateIps = { [name1]: host1.privateIp, [name2]: host2.privateIp };
export const peeringConnectionId = peering.connectionId;
export const flowLogGroupName = flowLogs?.logGroupName;
export const queryNames = queries?.queryNames;
/** The seeds' test: open a shell on instance 1 without keys, then ping instance 2's private address. */
export const pingTest = {
    connectToInstance1: pulumi.interpolate`aws ssm start-session --region ${region} --target ${host1.instanceId}`,
    pingInstance2: pulumi.interpolate`ping -c 4 ${host2.privateIp}`,
};
