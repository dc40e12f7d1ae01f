/**
 * The settings of VPC flow logs that both the stack config and the `VpcFlowLogs` component read:
 * what AWS accepts and what the project defaults to, written once.
 */

/** Retention periods CloudWatch Logs accepts (`PutRetentionPolicy`); 0 means never expire. */
export const LOG_RETENTION_DAYS = [
    0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Aggregation intervals a flow log accepts, in seconds (`MaxAggregationInterval`). */
export const AGGREGATION_INTERVALS = [60, 600] as const;
export type AggregationInterval = (typeof AGGREGATION_INTERVALS)[number];

/** Which flows a flow log records (`TrafficType`). */
export const TRAFFIC_TYPES = ["ALL", "ACCEPT", "REJECT"] as const;
export type TrafficType = (typeof TRAFFIC_TYPES)[number];

/** The defaults: a month of records, one-minute aggregation (the seeds' ping shows up fast), every flow. */
export const FLOW_LOG_DEFAULTS = {
    retentionInDays: 30,
    aggregationIntervalSeconds: 60,
    trafficType: "ALL",
} as const satisfies {
    retentionInDays: (typeof LOG_RETENTION_DAYS)[number];
    aggregationIntervalSeconds: AggregationInterval;
    trafficType: TrafficType;
};

/**
 * Every problem with a `VpcFlowLogs`' plain arguments, each naming the argument and its value;
 * empty when they are fine. The component throws them before declaring any resource.
 */
export function flowLogArgsProblems(args: {
    readonly vpcs: readonly unknown[];
    readonly retentionInDays?: number;
    readonly aggregationIntervalSeconds?: number;
}): string[] {
    const problems: string[] = [];
    if (args.vpcs.length === 0) problems.push("vpcs is empty: flow logs of no VPC record nothing");
    const days = args.retentionInDays;
    if (days !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(days))
        problems.push(`retentionInDays ${days}: ${RETENTION_MESSAGE}`);
    const interval = args.aggregationIntervalSeconds;
    if (interval !== undefined && !(AGGREGATION_INTERVALS as readonly number[]).includes(interval))
        problems.push(`aggregationIntervalSeconds ${interval}: ${AGGREGATION_MESSAGE}`);
    return problems;
}

/** Why a retention is refused, in the config's words and the component's. */
export const RETENTION_MESSAGE = `not a retention CloudWatch Logs accepts (one of ${LOG_RETENTION_DAYS.join(", ")})`;
/** Why an aggregation interval is refused. */
export const AGGREGATION_MESSAGE = "flow logs aggregate over 60 or 600 seconds";
