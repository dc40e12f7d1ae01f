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
