import * as aws from "./lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { nameTags, typeToken } from "./lib/component";
import { FLOW_LOG_FORMAT } from "../model/flowLogFormat";
import { AggregationInterval, FLOW_LOG_DEFAULTS, flowLogArgsProblems, TrafficType } from "./lib/flowLogArgs";
import { flowLogsDeliveryPolicy, flowLogsTrustPolicy } from "../model/iamDocuments";
import { accountScope } from "./lib/accountScope";

/** A VPC whose traffic is recorded. */
export interface FlowLoggedVpc {
    /** A short name, used in the flow log's resource name. */
    readonly name: string;
    readonly vpcId: pulumi.Input<string>;
}

export interface VpcFlowLogsArgs {
    /** The VPCs to record; one flow log each, all into the same log group. */
    readonly vpcs: readonly FlowLoggedVpc[];
    /**
     * Days CloudWatch keeps the records; 0 keeps them forever.
     * @default 30
     */
    readonly retentionInDays?: number;
    /**
     * Seconds over which a flow is aggregated into one record: 60 or 600.
     * @default 60
     */
    readonly aggregationIntervalSeconds?: AggregationInterval;
    /**
     * Which flows to record.
     * @default "ALL"
     */
    readonly trafficType?: TrafficType;
    /**
     * KMS key to encrypt the log group with; its key policy must let the region's CloudWatch Logs use it.
     * @default undefined (CloudWatch Logs' own encryption)
     * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /**
     * Tags for every resource of the component; each also gets a `Name`.
     * @default {}
     */
    readonly tags?: Record<string, string>;
}

/**
 * VPC Flow Logs into one CloudWatch log group, delivered through a role that only the flow-logs
 * service may assume, on behalf of this account's flow logs, and that may only write to that group.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html
 */
export class VpcFlowLogs extends pulumi.ComponentResource {
    /** The log group's name. */
    public readonly logGroupName: pulumi.Output<string>;
    /** The log group's ARN. */
    public readonly logGroupArn: pulumi.Output<string>;
    /** The delivery role's ARN. */
    public readonly roleArn: pulumi.Output<string>;
    /** One flow log id per VPC, in the order given. */
    public readonly flowLogIds: pulumi.Output<string>[];

    constructor(name: string, args: VpcFlowLogsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const problems = flowLogArgsProblems(args);
        if (problems.length > 0) throw new Error(`VpcFlowLogs ${name}: ${problems.join("; ")}`);
        super(typeToken("monitoring", "VpcFlowLogs"), name, {}, opts);
        const tags = args.tags ?? {};

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                retentionInDays: args.retentionInDays ?? FLOW_LOG_DEFAULTS.retentionInDays,
                kmsKeyId: args.kmsKeyArn,
                tags: nameTags(`${name}-logs`, tags),
            },
            { parent: this },
        );

        const scope = accountScope(this);
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `Delivers ${name}'s VPC flow logs to CloudWatch Logs`,
                assumeRolePolicy: scope.apply((s) => JSON.stringify(flowLogsTrustPolicy(s))),
                tags: nameTags(`${name}-role`, tags),
            },
            { parent: this },
        );
        const delivery = new aws.iam.RolePolicy(
            `${name}-delivery`,
            { role: role.name, policy: logGroup.arn.apply((arn) => JSON.stringify(flowLogsDeliveryPolicy(arn))) },
            { parent: role },
        );

        const flowLogs = args.vpcs.map(
            (vpc) =>
                new aws.ec2.FlowLog(
                    `${name}-${vpc.name}`,
                    {
                        vpcId: vpc.vpcId,
                        trafficType: args.trafficType ?? FLOW_LOG_DEFAULTS.trafficType,
                        logDestinationType: "cloud-watch-logs",
                        logDestination: logGroup.arn,
                        iamRoleArn: role.arn,
                        maxAggregationInterval:
                            args.aggregationIntervalSeconds ?? FLOW_LOG_DEFAULTS.aggregationIntervalSeconds,
                        // The one record format every reader (queries, metric filters, rules) relies on.
                        logFormat: FLOW_LOG_FORMAT,
                        tags: nameTags(`${name}-${vpc.name}`, tags),
                    },
                    // Created before the role may write, the flow log's first deliveries fail.
                    // Every argument but tags forces a new flow log (aws_flow_log: all ForceNew, "Tags
                    // only" updates), and the replacement records the same VPC into the same group:
                    // CreateFlowLogs refuses one with the configuration and destination of an existing
                    // flow log (FlowLogAlreadyExists). Delete-first costs at most a minute of records.
                    { parent: this, dependsOn: [delivery], deleteBeforeReplace: true },
                ),
        );

        this.logGroupName = logGroup.name;
        this.logGroupArn = logGroup.arn;
        this.roleArn = role.arn;
        this.flowLogIds = flowLogs.map((flowLog) => flowLog.id);
        this.registerOutputs({
            logGroupName: this.logGroupName,
            logGroupArn: this.logGroupArn,
            roleArn: this.roleArn,
            flowLogIds: this.flowLogIds,
        });
    }
}
