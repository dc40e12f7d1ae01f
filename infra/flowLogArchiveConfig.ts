import { z } from "zod";
import { ConfigIssue } from "./lib/configErrors";
import { bucketNameProblem } from "./lib/s3Policies";

/**
 * Stack config of the flow-log archive (`flowLogArchive`): flow logs to S3 as Parquet, a Glue
 * table and an Athena workgroup. Its schema, its defaults (the one source of them), and the
 * checks across its keys and the VPCs'.
 */

/**
 * Storage classes a lifecycle rule may move the archive to, with the fewest days after creation
 * S3 accepts for each: Standard-IA and One Zone-IA need 30, the others none.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html
 */
export const TRANSITION_MINIMUM_DAYS = {
    STANDARD_IA: 30,
    ONEZONE_IA: 30,
    INTELLIGENT_TIERING: 0,
    GLACIER_IR: 0,
    GLACIER: 0,
    DEEP_ARCHIVE: 0,
} as const;
export type TransitionStorageClass = keyof typeof TRANSITION_MINIMUM_DAYS;

/**
 * Least per-query bytes-scanned cutoff. Athena's API takes at least 10,000,000 bytes; the AWS
 * provider refuses less than 10 MiB (10,485,760), the stricter of the two. No upper bound is
 * documented (the API's type is a long); the config takes integers JSON numbers carry exactly.
 * @see https://docs.aws.amazon.com/athena/latest/APIReference/API_WorkGroupConfiguration.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html
 */
export const MIN_BYTES_SCANNED_CUTOFF = 10_485_760;

const GIB = 1024 ** 3;

const days = z.number().int("a whole number of days").positive("a positive number of days");

export const FlowLogArchiveConfigSchema = z.strictObject({
    /** Whether flow logs also go to S3 as Parquet, with a Glue table and an Athena workgroup. */
    enabled: z.boolean().default(false),
    /** The archive bucket's name. Default: auto-named. */
    bucketName: z
        .string()
        .superRefine((name, ctx) => {
            const message = bucketNameProblem(name);
            if (message) ctx.addIssue({ code: "custom", message });
        })
        .optional(),
    /** Days after delivery before flow-log files move to `transitionStorageClass`. */
    transitionDays: days.default(30),
    /** The cheaper class the files move to. */
    transitionStorageClass: z
        .enum(Object.keys(TRANSITION_MINIMUM_DAYS) as [TransitionStorageClass, ...TransitionStorageClass[]])
        .default("STANDARD_IA"),
    /** Days after delivery before flow-log files are deleted. */
    expirationDays: days.default(365),
    /** Days Athena's query results are kept. */
    resultsExpirationDays: days.default(7),
    /** Bytes one query may scan before Athena cancels it. */
    bytesScannedCutoffPerQuery: z
        .number()
        // zod's int() also refuses integers beyond 2^53 - 1, which JSON numbers do not carry exactly.
        .int(`a whole number of bytes up to ${Number.MAX_SAFE_INTEGER}`)
        .min(
            MIN_BYTES_SCANNED_CUTOFF,
            `Athena's smallest per-query cutoff is ${MIN_BYTES_SCANNED_CUTOFF} bytes (10 MiB)`,
        )
        .default(GIB),
    /** Let `pulumi destroy` delete the buckets while they still hold files. */
    forceDestroy: z.boolean().default(false),
});

export type FlowLogArchiveConfig = z.infer<typeof FlowLogArchiveConfigSchema>;

/** What the cross-key checks read of the whole stack config. */
export interface FlowLogArchiveContext {
    readonly flowLogArchive: FlowLogArchiveConfig;
    readonly vpcs: Readonly<Record<string, { readonly flowLogs: boolean }>>;
}

/** Rules across keys: lifecycle days in order and within S3's minimums; some VPC to archive. */
export function flowLogArchiveIssues({ flowLogArchive: archive, vpcs }: FlowLogArchiveContext): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const at = (key: string) => ["flowLogArchive", key];
    const minimum = TRANSITION_MINIMUM_DAYS[archive.transitionStorageClass];
    if (archive.transitionDays < minimum) {
        issues.push({
            path: at("transitionDays"),
            message: `S3 moves objects to ${archive.transitionStorageClass} no sooner than ${minimum} days after creation; use ${minimum} or more`,
        });
    }
    if (archive.expirationDays <= archive.transitionDays) {
        issues.push({
            path: at("expirationDays"),
            message: `expires files no later than they move to ${archive.transitionStorageClass} (transitionDays = ${archive.transitionDays}); make it larger than transitionDays`,
        });
    }
    const names = Object.keys(vpcs);
    if (archive.enabled && !names.some((name) => vpcs[name].flowLogs)) {
        const keys = names.map((name) => `vpcs.${name}.flowLogs`).join(" and ");
        issues.push({
            path: at("enabled"),
            message: `archives flow logs, but no VPC has them (${keys} are false); set flowLogs: true on a VPC, or flowLogArchive.enabled: false`,
        });
    }
    return issues;
}

/** Every default of the archive: the schema's, so the component and the config never disagree. */
export const FLOW_LOG_ARCHIVE_DEFAULTS: FlowLogArchiveConfig = FlowLogArchiveConfigSchema.parse({});
