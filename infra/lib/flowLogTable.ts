import { ACCOUNT_HIVE_KEY, FLOW_LOG_FIELDS, FLOW_LOG_ROOT } from "../../model/flowLogFormat";

/**
 * The Glue table over flow logs delivered to S3 as Parquet with Hive-compatible, per-hour
 * partitions, as plain data: its columns (the shared record format's fields), its partition keys
 * (the Hive keys AWS writes), and the partition projection that makes every hour queryable the
 * moment it lands, with no crawler, no Lambda and no `MSCK REPAIR TABLE`.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html
 */

/** A Glue column: name and Hive/Athena type. */
export interface TableColumn {
    readonly name: string;
    readonly type: string;
}

/** One level of the delivered prefix: its Hive key as AWS writes it, its column, and how it is projected. */
export interface HivePartition {
    /** As in the S3 key, e.g. `aws-account-id` in `aws-account-id=123456789012/`. */
    readonly hiveKey: string;
    /** Its partition column: Athena names allow no dashes, so `aws_account_id`. */
    readonly column: string;
    readonly type: "string" | "int";
}

/**
 * The levels of a delivered key with Hive-compatible prefixes and per-hour partitions, in order:
 * `AWSLogs/aws-account-id=…/aws-service=vpcflowlogs/aws-region=…/year=…/month=…/day=…/hour=…/file`.
 * Month, day and hour are written with two digits.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 */
export const HIVE_PARTITIONS: readonly HivePartition[] = [
    { hiveKey: ACCOUNT_HIVE_KEY, column: "aws_account_id", type: "string" },
    { hiveKey: "aws-service", column: "aws_service", type: "string" },
    { hiveKey: "aws-region", column: "aws_region", type: "string" },
    { hiveKey: "year", column: "year", type: "int" },
    { hiveKey: "month", column: "month", type: "int" },
    { hiveKey: "day", column: "day", type: "int" },
    { hiveKey: "hour", column: "hour", type: "int" },
];

/** The `aws-service` value of VPC flow logs' keys. */
export const FLOW_LOG_SERVICE_KEY = "vpcflowlogs";

/**
 * First and last year the projection covers. A query names its year; the span only bounds what a
 * query that does not could enumerate (75 × 12 × 31 × 24 hours, under Athena's 1,000,000
 * projected partitions per query).
 */
export const PROJECTED_YEARS = { first: 2025, last: 2099 } as const;

/** The columns: the shared format's fields, in order, with the types AWS documents for Parquet. */
export function tableColumns(): TableColumn[] {
    return FLOW_LOG_FIELDS.map((field) => ({ name: field.column, type: field.type }));
}

export function partitionKeys(): TableColumn[] {
    return HIVE_PARTITIONS.map((p) => ({ name: p.column, type: p.type }));
}

export interface ProjectionArgs {
    readonly bucketName: string;
    readonly accountId: string;
    readonly region: string;
}

/** `s3://bucket/AWSLogs/aws-account-id=${aws_account_id}/…/hour=${hour}/`: each Hive key bound to its column. */
export function storageLocationTemplate(bucketName: string): string {
    const levels = HIVE_PARTITIONS.map((p) => `${p.hiveKey}=\${${p.column}}`);
    return `s3://${bucketName}/${FLOW_LOG_ROOT}/${levels.join("/")}/`;
}

const twoDigits = (column: string, from: number, to: number): Record<string, string> => ({
    [`projection.${column}.type`]: "integer",
    [`projection.${column}.range`]: `${from},${to}`,
    [`projection.${column}.digits`]: "2",
});

/**
 * The table's parameters: Parquet, and a projection of every partition column. The account,
 * service and region take the one value this stack's flow logs write; the time columns are
 * integers with the zero padding AWS writes.
 */
export function projectionParameters(args: ProjectionArgs): Record<string, string> {
    return {
        EXTERNAL: "TRUE",
        classification: "parquet",
        "projection.enabled": "true",
        "projection.aws_account_id.type": "enum",
        "projection.aws_account_id.values": args.accountId,
        "projection.aws_service.type": "enum",
        "projection.aws_service.values": FLOW_LOG_SERVICE_KEY,
        "projection.aws_region.type": "enum",
        "projection.aws_region.values": args.region,
        "projection.year.type": "integer",
        "projection.year.range": `${PROJECTED_YEARS.first},${PROJECTED_YEARS.last}`,
        ...twoDigits("month", 1, 12),
        ...twoDigits("day", 1, 31),
        ...twoDigits("hour", 0, 23),
        "storage.location.template": storageLocationTemplate(args.bucketName),
    };
}

/** Hive's Parquet SerDe and formats, as Athena expects of a Parquet table. */
export const PARQUET_STORAGE = {
    inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
} as const;
