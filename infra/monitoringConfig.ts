import { z } from "zod";
import type { ConfigIssue } from "./lib/configErrors";

/**
 * Stack config of the monitoring (metric filters, alarms, alarm topic, Contributor Insights,
 * dashboard): its schema, its defaults (the one source for them) and its cross-key checks.
 */

/**
 * Periods an alarm on a metric-filter metric can use. PutMetricAlarm accepts 10, 20, 30 and any
 * multiple of 60, but the sub-minute ones only for high-resolution metrics; metric filters publish
 * one-minute data, so an alarm with a sub-minute period would lapse into INSUFFICIENT_DATA.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (Period)
 */
const alarmPeriod = z
    .number()
    .int("a whole number of seconds")
    .superRefine((seconds, ctx) => {
        if ([10, 20, 30].includes(seconds)) {
            ctx.addIssue({
                code: "custom",
                message:
                    "sub-minute periods need high-resolution metrics, and metric filters publish one-minute data; use a multiple of 60",
            });
        } else if (seconds <= 0 || seconds % 60 !== 0) {
            ctx.addIssue({
                code: "custom",
                message: "not a period CloudWatch alarms accept (10, 20, 30 or a multiple of 60)",
            });
        }
    });

const evaluationPeriods = z.number().int("a whole number").positive("must be 1 or more");

const RejectedFlowsAlarmSchema = z.strictObject({
    /** Rejected flow records per period above which the alarm fires. */
    threshold: z.number().positive("a threshold must be positive").default(100),
    /** Seconds per evaluated period. */
    periodSeconds: alarmPeriod.default(300),
    /** Consecutive periods above the threshold before the alarm fires. */
    evaluationPeriods: evaluationPeriods.default(3),
});

const PingStoppedAlarmSchema = z.strictObject({
    /** Alarm when no ICMP is accepted between the VPCs; needs a periodic ping on a host (see README). */
    enabled: z.boolean().default(false),
    periodSeconds: alarmPeriod.default(300),
    evaluationPeriods: evaluationPeriods.default(3),
});

export const MonitoringConfigSchema = z.strictObject({
    /** Metric filters, alarms, alarm topic, Contributor Insights rules and dashboard over the flow logs. */
    enabled: z.boolean().default(false),
    rejectedFlowsAlarm: RejectedFlowsAlarmSchema.prefault({}),
    pingStoppedAlarm: PingStoppedAlarmSchema.prefault({}),
    /** Addresses the alarm topic mails; each recipient must confirm the subscription. */
    alarmEmails: z.array(z.email("not an email address")).default([]),
});

export type MonitoringConfig = z.infer<typeof MonitoringConfigSchema>;
type AlarmSettings = { periodSeconds: number; evaluationPeriods: number };

/**
 * An alarm's whole evaluation range is at most one day when its period is under an hour, and at
 * most seven days otherwise ("Period multiplied by EvaluationPeriods").
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
function evaluationRangeIssue(key: string, alarm: AlarmSettings): ConfigIssue | undefined {
    const range = alarm.periodSeconds * alarm.evaluationPeriods;
    const limit = alarm.periodSeconds < 3600 ? 86_400 : 604_800;
    if (range <= limit) return undefined;
    return {
        path: ["monitoring", key, "evaluationPeriods"],
        message: `times periodSeconds ${alarm.periodSeconds} spans ${range} s; CloudWatch evaluates at most ${limit} s${limit === 86_400 ? " for periods under an hour" : ""}`,
    };
}

/** Monitoring reads the flow logs: on while no VPC is recorded, it would watch an empty log group. */
export function monitoringIssues(
    monitoring: MonitoringConfig,
    vpcs: Readonly<Record<string, { flowLogs: boolean }>>,
): ConfigIssue[] {
    if (!monitoring.enabled) return [];
    const issues: ConfigIssue[] = [];
    if (!Object.values(vpcs).some((vpc) => vpc.flowLogs)) {
        const flowLogKeys = Object.keys(vpcs).map((name) => `vpcs.${name}.flowLogs`);
        issues.push({
            path: ["monitoring", "enabled"],
            message: `needs flow logs, but ${flowLogKeys.join(" and ")} are all false; set one of them to true, or monitoring.enabled to false`,
        });
    }
    for (const key of ["rejectedFlowsAlarm", "pingStoppedAlarm"] as const) {
        const issue = evaluationRangeIssue(key, monitoring[key]);
        if (issue) issues.push(issue);
    }
    return issues;
}
