import * as path from "path";
import * as aws from "./lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmTopic } from "./alarmTopic";
import { parseStackConfig, resolveVpcs } from "./config";
import { ContributorInsights } from "./contributorInsights";
import { FlowLogMetrics } from "./flowLogMetrics";
import { FlowLogArchive, glueName } from "./flowLogArchive";
import { FlowLogQueries } from "./flowLogQueries";
import { VpcFlowLogs } from "./flowLogs";
import { ConfigError } from "./lib/configErrors";
import { insightsQueries } from "./lib/insightsQueries";
import { metricNamespace } from "./lib/metricFilters";
import { dashboardName } from "./lib/dashboard";
import { MonitoringDashboard } from "./monitoringDashboard";
import { firstZoneOffering } from "./lib/zones";
import { VpcPeering } from "./peering";
import { PingHost } from "./pingHost";
import { PrivateS3Access } from "./privateS3Access";
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

const zones = aws.getAvailabilityZonesOutput({
    state: "available",
    filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
}).names;
const offeredIn = aws.ec2.getInstanceTypeOfferingsOutput({
    locationType: "availability-zone",
    filters: [{ name: "instance-type", values: [config.pingHosts.instanceType] }],
}).locations;
const defaultZone = pulumi
    .all([zones, offeredIn])
    .apply(([names, offered]) => firstZoneOffering(names, offered, config.pingHosts.instanceType));

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

// Off (or without routes) only to replay the seeds' failing ping: see the README.
const peering = config.peering.enabled
    ? new VpcPeering(`${name1}-${name2}`, {
          requester: { name: name1, vpcId: vpc1.vpcId, cidrBlock: vpc1.cidrBlock, routeTableIds: vpc1.routeTableIds },
          accepter: { name: name2, vpcId: vpc2.vpcId, cidrBlock: vpc2.cidrBlock, routeTableIds: vpc2.routeTableIds },
          routes: config.peering.routes,
          tags,
      })
    : undefined;

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
/** Each VPC with its host, by the VPC's name in the config. */
const sites: Record<string, { vpc: Vpc; host: PingHost }> = {
    [name1]: { vpc: vpc1, host: host1 },
    [name2]: { vpc: vpc2, host: host2 },
};

/** The seed's private bucket for one VPC's host, reached through that VPC's S3 gateway endpoint. */
function privateS3For(vpcName: string) {
    const { vpc, host } = sites[vpcName];
    const { bucketName, adminPrincipalArns, includeDeployer, forceDestroy } = config.s3Access;
    const access = new PrivateS3Access(`${vpcName}-s3`, {
        vpcId: vpc.vpcId,
        // Every table of the VPC that carries traffic, so every subnet an instance uses is covered.
        routeTableIds: vpc.routeTableIds,
        instanceRoleName: host.roleName,
        instanceRoleArn: host.roleArn,
        bucketName,
        adminPrincipalArns,
        includeDeployer,
        forceDestroy,
        demoObjectsDir: path.join(__dirname, "demo-objects"),
        tags,
    });
    return { access, host };
}
const privateS3 = config.s3Access.enabled ? privateS3For(config.s3Access.vpc!) : undefined;

const flowLogged = vpcConfigs
    .filter((vpc) => vpc.flowLogs)
    .map((vpc) => ({ name: vpc.name, vpcId: sites[vpc.name].vpc.vpcId }));
const flowLogs =
    flowLogged.length > 0 ? new VpcFlowLogs("flow-logs", { vpcs: flowLogged, ...config.flowLogs, tags }) : undefined;
const queries =
    flowLogs &&
    new FlowLogQueries("flow-log-queries", {
        logGroupName: flowLogs.logGroupName,
        vpcCidrBlocks: [vpc1.cidrBlock, vpc2.cidrBlock],
        folder: `${pulumi.getProject()}-${pulumi.getStack()}`,
    });

/** Metrics and alarms over the flow logs, notifying the alarm topic; top contributors; a dashboard of it all. */
function monitor(logs: VpcFlowLogs) {
    const { rejectedFlowsAlarm, pingStoppedAlarm, alarmEmails } = config.monitoring;
    const [project, stack] = [pulumi.getProject(), pulumi.getStack()];
    const namespace = metricNamespace(project, stack);
    const blocks = vpcConfigs.map((vpc) => vpc.cidrBlock);
    const topic = new AlarmTopic("alarms", { emails: alarmEmails, tags });
    const metrics = new FlowLogMetrics("flow-log-metrics", {
        logGroupName: logs.logGroupName,
        namespace,
        vpcCidrBlocks: blocks,
        alarmTopicArn: topic.topicArn,
        rejectedFlows: rejectedFlowsAlarm,
        pingStopped: pingStoppedAlarm.enabled ? pingStoppedAlarm : undefined,
        tags,
    });
    const contributors = new ContributorInsights("flow-log-contributors", {
        logGroupName: logs.logGroupName,
        rulePrefix: `${project}-${stack}`,
        tags,
    });
    const dashboard = new MonitoringDashboard("monitoring", {
        dashboardName: dashboardName(project, stack),
        logGroupName: logs.logGroupName,
        namespace,
        queries: insightsQueries(blocks),
        metrics: metrics.metricTitles,
        alarmArns: metrics.alarmArns,
        contributorRules: contributors.rules,
        periodSeconds: rejectedFlowsAlarm.periodSeconds,
    });
    return { topic, dashboard };
}
// The config refuses monitoring without flow logs, so `flowLogs` is there whenever monitoring is on.
const monitoring = config.monitoring.enabled && flowLogs ? monitor(flowLogs) : undefined;
/** Flow logs at scale: the same VPCs' records also in S3 as Parquet, queried with Athena. */
const { enabled: archiveEnabled, ...archiveSettings } = config.flowLogArchive;
const archive =
    archiveEnabled && flowLogged.length > 0
        ? new FlowLogArchive("flow-log-archive", {
              vpcs: flowLogged,
              trafficType: config.flowLogs.trafficType,
              aggregationIntervalSeconds: config.flowLogs.aggregationIntervalSeconds,
              vpcCidrBlocks: [vpc1.cidrBlock, vpc2.cidrBlock],
              databaseName: glueName(`${pulumi.getProject()}-${pulumi.getStack()}-flow-logs`),
              ...archiveSettings,
              tags,
          })
        : undefined;

const region = aws.getRegionOutput().region;

export const vpcIds = { [name1]: vpc1.vpcId, [name2]: vpc2.vpcId };
export const vpcCidrBlocks = { [name1]: vpc1.cidrBlock, [name2]: vpc2.cidrBlock };
export const instanceIds = { [name1]: host1.instanceId, [name2]: host2.instanceId };
export const privateIps = { [name1]: host1.privateIp, [name2]: host2.privateIp };
export const peeringConnectionId = peering?.connectionId;
export const flowLogGroupName = flowLogs?.logGroupName;
export const queryNames = queries?.queryNames;
/** The stack's CloudWatch dashboard: flow-log queries, metrics, alarms and top contributors. */
export const monitoringDashboardUrl = monitoring?.dashboard.url;
export const alarmTopicArn = monitoring?.topic.topicArn;
/** Where the archived flow logs are and how to query them (see the README's "Flow logs at scale"). */
export const flowLogArchive = archive && {
    bucketName: archive.bucketName,
    databaseName: archive.databaseName,
    tableName: archive.tableName,
    workgroupName: archive.workgroupName,
    workgroupConsoleUrl: archive.workgroupConsoleUrl,
    queryNames: archive.queryNames,
};
/** The seeds' test: open a shell on instance 1 without keys, then ping instance 2's private address. */
export const pingTest = {
    connectToInstance1: pulumi.interpolate`aws ssm start-session --region ${region} --target ${host1.instanceId}`,
    pingInstance2: pulumi.interpolate`ping -c 4 ${host2.privateIp}`,
};
export const s3BucketName = privateS3?.access.bucketName;
export const s3EndpointId = privateS3?.access.endpointId;
/** The seed's S3 test, in a Session Manager shell on the host: list the bucket, upload a file, list again. */
export const s3Test = privateS3 && {
    connectToInstance: pulumi.interpolate`aws ssm start-session --region ${region} --target ${privateS3.host.instanceId}`,
    listBucket: pulumi.interpolate`aws s3 ls s3://${privateS3.access.bucketName}/ --region ${region}`,
    createTestFile: "sudo touch /tmp/test.txt",
    uploadTestFile: pulumi.interpolate`aws s3 cp /tmp/test.txt s3://${privateS3.access.bucketName}/ --region ${region}`,
};
