import * as aws from "./lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { nameTags, typeToken } from "./lib/component";
import { FlowLogMetric, flowLogMetrics, METRIC_NAMES } from "./lib/metricFilters";
import { MonitoringConfigSchema } from "./monitoringConfig";

/** An alarm's evaluation: periods of `periodSeconds`, `evaluationPeriods` of them in a row. */
export interface AlarmEvaluation {
    readonly periodSeconds: number;
    readonly evaluationPeriods: number;
}

export interface FlowLogMetricsArgs {
    /** The flow-log group the metric filters read. */
    readonly logGroupName: pulumi.Input<string>;
    /** The metrics' namespace, one per project and stack. */
    readonly namespace: string;
    /** The stack's VPC blocks, for the ICMP between them (plain: they decide the filters). */
    readonly vpcCidrBlocks: readonly string[];
    /** Where alarms send their notifications. */
    readonly alarmTopicArn: pulumi.Input<string>;
    /**
     * The rejected-flows alarm: more than `threshold` rejected flow records per period, for
     * `evaluationPeriods` periods in a row.
     * @default the `monitoring.rejectedFlowsAlarm` defaults of the stack config
     */
    readonly rejectedFlows?: AlarmEvaluation & { readonly threshold: number };
    /**
     * The ping-stopped alarm: no ICMP accepted between the VPCs for `evaluationPeriods` periods;
     * undefined for none.
     * @default undefined
     */
    readonly pingStopped?: AlarmEvaluation;
    /**
     * Tags for every alarm; each also gets a `Name`.
     * @default {}
     */
    readonly tags?: Record<string, string>;
}

/** The one source of the alarm defaults: the config schema's. */
const DEFAULTS = MonitoringConfigSchema.parse({});

/**
 * Metric filters on the flow-log group (rejected flows, packets and bytes; accepted ICMP between
 * the VPCs) and the alarms on them, which notify the alarm topic.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringPolicyExamples.html
 */
export class FlowLogMetrics extends pulumi.ComponentResource {
    /** The metrics, each once, with their titles. */
    public readonly metricTitles: { readonly metricName: string; readonly title: string }[];
    /** The published metrics, one entry per filter. */
    public readonly metrics: readonly FlowLogMetric[];
    /** The alarms' ARNs: rejected flows, then ping stopped when enabled. */
    public readonly alarmArns: pulumi.Output<string>[];

    constructor(name: string, args: FlowLogMetricsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(typeToken("monitoring", "FlowLogMetrics"), name, {}, opts);
        const tags = args.tags ?? {};
        this.metrics = flowLogMetrics(args.vpcCidrBlocks);
        const filters = this.metrics.map(
            (metric) =>
                new aws.cloudwatch.LogMetricFilter(
                    `${name}-${metric.key}`,
                    {
                        logGroupName: args.logGroupName,
                        pattern: metric.pattern,
                        metricTransformation: {
                            namespace: args.namespace,
                            name: metric.metricName,
                            value: metric.value,
                            unit: metric.unit,
                        },
                    },
                    { parent: this },
                ),
        );
        const alarm = (role: string, alarmArgs: Omit<aws.cloudwatch.MetricAlarmArgs, "namespace" | "statistic">) =>
            new aws.cloudwatch.MetricAlarm(
                `${name}-${role}`,
                {
                    namespace: args.namespace,
                    statistic: "Sum",
                    alarmActions: [args.alarmTopicArn],
                    okActions: [args.alarmTopicArn],
                    tags: nameTags(`${name}-${role}`, tags),
                    ...alarmArgs,
                },
                // An alarm on a metric no filter publishes yet would sit in INSUFFICIENT_DATA for nothing.
                { parent: this, dependsOn: filters },
            );

        const rejected = args.rejectedFlows ?? DEFAULTS.rejectedFlowsAlarm;
        const alarms = [
            alarm("rejected-flows", {
                alarmDescription: `More than ${rejected.threshold} rejected flows per ${rejected.periodSeconds} s, ${rejected.evaluationPeriods} periods in a row: something is knocking on a closed port or a rule blocks wanted traffic. See the dashboard's top rejected sources.`,
                metricName: METRIC_NAMES.rejectedFlows,
                comparisonOperator: "GreaterThanThreshold",
                threshold: rejected.threshold,
                period: rejected.periodSeconds,
                evaluationPeriods: rejected.evaluationPeriods,
                // No record rejected, no data point: that is the good case, not a breach.
                treatMissingData: "notBreaching",
            }),
        ];
        if (args.pingStopped) {
            const ping = args.pingStopped;
            alarms.push(
                alarm("ping-stopped", {
                    alarmDescription: `No ICMP accepted between the VPCs for ${ping.evaluationPeriods} periods of ${ping.periodSeconds} s: the periodic ping stopped, a host is down, or peering, routes or security groups changed.`,
                    metricName: METRIC_NAMES.icmpBetweenVpcs,
                    comparisonOperator: "LessThanThreshold",
                    threshold: 1,
                    period: ping.periodSeconds,
                    evaluationPeriods: ping.evaluationPeriods,
                    // No accepted ICMP means no data point: exactly what this alarm is for.
                    treatMissingData: "breaching",
                }),
            );
        }

        const names = [...new Set(this.metrics.map((m) => m.metricName))];
        this.metricTitles = names.map((metricName) => ({
            metricName,
            title: this.metrics.find((m) => m.metricName === metricName)!.title,
        }));
        this.alarmArns = alarms.map((a) => a.arn);
        this.registerOutputs({ metricTitles: this.metricTitles, alarmArns: this.alarmArns });
    }
}
