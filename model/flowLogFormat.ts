/**
 * The one VPC flow-log record format of this project, shared by every destination (CloudWatch
 * Logs, S3) and every reader (Logs Insights queries, metric filters, the Athena table): AWS's
 * default format, the version 2 fields in their default order. Logs Insights discovers each of
 * these fields on its own for the default format, so its queries need no `parse`.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html#flow-logs-default
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_AnalyzeLogData-discoverable-fields.html
 */

/** A field of the record: its name in the format string, and its type in Parquet files delivered to S3. */
export interface FlowLogField {
    /** As written in `${…}` in a log format, e.g. `srcaddr`. */
    readonly name: string;
    /** Its column name in Parquet and Athena (dashes become underscores), e.g. `account_id`. */
    readonly column: string;
    /** The Parquet/Athena type AWS documents for the field ("Available fields", Parquet type column). */
    readonly type: "int" | "bigint" | "string";
}

const field = (name: string, type: FlowLogField["type"]): FlowLogField => ({
    name,
    column: name.replace(/-/g, "_"),
    type,
});

/** The default format's fields, in order. */
export const FLOW_LOG_FIELDS: readonly FlowLogField[] = [
    field("version", "int"),
    field("account-id", "string"),
    field("interface-id", "string"),
    field("srcaddr", "string"),
    field("dstaddr", "string"),
    field("srcport", "int"),
    field("dstport", "int"),
    field("protocol", "int"),
    field("packets", "bigint"),
    field("bytes", "bigint"),
    field("start", "bigint"),
    field("end", "bigint"),
    field("action", "string"),
    field("log-status", "string"),
];

/** The `logFormat` of every flow log of the stack: the fields above, space-separated. */
export const FLOW_LOG_FORMAT = FLOW_LOG_FIELDS.map((f) => "${" + f.name + "}").join(" ");

/** The `protocol` field's value for ICMP (IANA protocol number 1), the seeds' ping. */
export const ICMP_PROTOCOL = 1;

/** The S3 prefix every flow log delivered to S3 writes under, below the bucket. */
export const FLOW_LOG_ROOT = "AWSLogs";

/** The first Hive partition key of a delivered key, naming the account. */
export const ACCOUNT_HIVE_KEY = "aws-account-id";

/**
 * The prefix of one account's delivered files with Hive-compatible prefixes,
 * `AWSLogs/aws-account-id=<account>/`.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 */
export function accountPrefix(accountId: string): string {
    return `${FLOW_LOG_ROOT}/${ACCOUNT_HIVE_KEY}=${accountId}/`;
}
