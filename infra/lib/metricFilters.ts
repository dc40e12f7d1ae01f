import { parseCidr } from "../../model/cidr";
import { FLOW_LOG_FIELDS, ICMP_PROTOCOL } from "../../model/flowLogFormat";
import { vpcPairs } from "./vpcPairs";

/**
 * Metric filters over flow-log records in the project's one format (model/flowLogFormat.ts), as
 * space-delimited filter patterns: one bracketed name per field, in the record's order, with
 * conditions on some of them. Field names are the fields' column names (`account_id`), because a
 * pattern's field names take no dashes.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-space-delimited-log-events
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html
 */

/** A field of the record, by its column name. */
export type FlowLogColumn = (typeof FLOW_LOG_FIELDS)[number]["column"];

/** Conditions on some fields, each written in the pattern syntax after the field's name (`= "REJECT"`). */
export type FieldConditions = Partial<Record<FlowLogColumn, string>>;

const columns = FLOW_LOG_FIELDS.map((field) => field.column);

/** The pattern matching records whose fields meet every condition given. */
export function flowLogPattern(conditions: FieldConditions): string {
    for (const key of Object.keys(conditions)) {
        if (!columns.includes(key)) throw new Error(`flowLogPattern: ${key} is not a field of the flow-log format`);
    }
    const terms = columns.map((column) => {
        const condition = conditions[column];
        return condition === undefined ? column : `${column} ${condition}`;
    });
    return `[${terms.join(", ")}]`;
}

/** A value published from a matching record: a constant, or a field's value (`$bytes`). */
export type MetricValue = "1" | `$${FlowLogColumn}`;

export interface FlowLogMetric {
    /** Stable key for resource names. */
    readonly key: string;
    /** The metric's name in the namespace. */
    readonly metricName: string;
    /** Its title on the dashboard. */
    readonly title: string;
    /** CloudWatch unit of the published value. */
    readonly unit: "Count" | "Bytes";
    readonly pattern: string;
    readonly value: MetricValue;
}

export const METRIC_NAMES = {
    rejectedFlows: "RejectedFlows",
    rejectedPackets: "RejectedPackets",
    rejectedBytes: "RejectedBytes",
    icmpBetweenVpcs: "AcceptedIcmpPacketsBetweenVpcs",
} as const;

const REJECTED = { action: '= "REJECT"' };

/**
 * Wildcard address patterns (`"10.1.*"`) that cover a block: exactly, as the octet-aligned
 * blocks inside it, when there are at most `maxParts` of them; otherwise the enclosing
 * octet-aligned block (a superset: the pattern syntax compares whole strings, not addresses).
 */
export function addressWildcards(cidr: string, maxParts = 4): string[] {
    const block = parseCidr(cidr);
    if (block?.version !== 4) throw new Error(`addressWildcards: ${cidr} is not an IPv4 block`);
    const octets = (address: bigint, count: number) =>
        [24, 16, 8, 0].slice(0, count).map((shift) => Number((address >> BigInt(shift)) & 0xffn));
    const wildcard = (address: bigint, count: number) =>
        count === 4 ? `"${octets(address, 4).join(".")}"` : `"${[...octets(address, count), "*"].join(".")}"`;
    const down = Math.floor(block.prefixLength / 8);
    if (down * 8 === block.prefixLength) return [wildcard(block.first, down)];
    const up = down + 1;
    const parts = 2 ** (up * 8 - block.prefixLength);
    if (parts > maxParts) return [wildcard(block.first, down)];
    const step = 1n << BigInt(32 - up * 8);
    return Array.from({ length: parts }, (_, i) => wildcard(block.first + step * BigInt(i), up));
}

function anyOf(column: FlowLogColumn, wildcards: readonly string[]): string {
    return wildcards.map((w, i) => (i === 0 ? `= ${w}` : `|| ${column} = ${w}`)).join(" ");
}

/**
 * The metrics the monitoring publishes: rejected flows, packets and bytes, and accepted ICMP
 * packets from each VPC to each other one (one filter per direction, all into one metric: a
 * pattern's conditions hold field by field, so "A to B or B to A" takes two patterns).
 */
export function flowLogMetrics(vpcCidrBlocks: readonly string[]): FlowLogMetric[] {
    const metrics: FlowLogMetric[] = [
        {
            key: "rejected-flows",
            metricName: METRIC_NAMES.rejectedFlows,
            title: "Rejected flows",
            unit: "Count",
            pattern: flowLogPattern(REJECTED),
            value: "1",
        },
        {
            key: "rejected-packets",
            metricName: METRIC_NAMES.rejectedPackets,
            title: "Rejected packets",
            unit: "Count",
            pattern: flowLogPattern(REJECTED),
            value: "$packets",
        },
        {
            key: "rejected-bytes",
            metricName: METRIC_NAMES.rejectedBytes,
            title: "Rejected bytes",
            unit: "Bytes",
            pattern: flowLogPattern(REJECTED),
            value: "$bytes",
        },
    ];
    for (const { from, to, fromIndex, toIndex } of vpcPairs(vpcCidrBlocks)) {
        metrics.push({
            key: `icmp-${fromIndex + 1}-to-${toIndex + 1}`,
            metricName: METRIC_NAMES.icmpBetweenVpcs,
            title: "Accepted ICMP packets between the VPCs (the seeds' ping)",
            unit: "Count",
            pattern: flowLogPattern({
                srcaddr: anyOf("srcaddr", addressWildcards(from)),
                dstaddr: anyOf("dstaddr", addressWildcards(to)),
                protocol: `= ${ICMP_PROTOCOL}`,
                action: '= "ACCEPT"',
            }),
            value: "$packets",
        });
    }
    return metrics;
}

/** The metrics' namespace: one per project and stack, so stacks never mix their data. */
export function metricNamespace(project: string, stack: string): string {
    return `${project}/${stack}`;
}
