import * as aws from "./lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { nameTags, typeToken } from "./lib/component";
import { FLOW_LOG_FORMAT, FLOW_LOG_ROOT } from "../model/flowLogFormat";
import { flowLogsBucketPolicy, PolicyDocument, tlsOnlyBucketPolicy } from "../model/iamDocuments";
import { athenaQueries, WINDOW_PARAMETERS } from "./lib/athenaQueries";
import { PARQUET_STORAGE, partitionKeys, projectionParameters, tableColumns } from "./lib/flowLogTable";
import { FLOW_LOG_ARCHIVE_DEFAULTS, TransitionStorageClass } from "./flowLogArchiveConfig";
import { FlowLoggedVpc } from "./flowLogs";
import { accountScope } from "./lib/accountScope";
import { bucketSettings } from "./lib/bucketSettings";

export interface FlowLogArchiveArgs {
    /** The VPCs to record; one S3 flow log each, all into the same bucket. */
    readonly vpcs: readonly FlowLoggedVpc[];
    /** Which flows to record: the same as the CloudWatch flow logs'. No default here: the stack config holds it. */
    readonly trafficType: "ALL" | "ACCEPT" | "REJECT";
    /** Seconds per record: the same as the CloudWatch flow logs'. No default here: the stack config holds it. */
    readonly aggregationIntervalSeconds: 60 | 600;
    /** Blocks of the peered VPCs, for the named query of ICMP between them. */
    readonly vpcCidrBlocks: readonly string[];
    /**
     * The Glue database; lower-case letters, digits and underscores (Athena quotes nothing else).
     * @default the component's name with every other character as `_`
     */
    readonly databaseName?: string;
    /**
     * The archive bucket's name.
     * @default auto-named from the component's name
     */
    readonly bucketName?: string;
    /**
     * Days after delivery before files move to `transitionStorageClass`.
     * @default 30
     */
    readonly transitionDays?: number;
    /**
     * @default "STANDARD_IA"
     */
    readonly transitionStorageClass?: TransitionStorageClass;
    /**
     * Days after delivery before files are deleted.
     * @default 365
     */
    readonly expirationDays?: number;
    /**
     * Days Athena's query results are kept.
     * @default 7
     */
    readonly resultsExpirationDays?: number;
    /**
     * Bytes one query may scan before Athena cancels it.
     * @default 1073741824 (1 GiB)
     * @see https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html
     */
    readonly bytesScannedCutoffPerQuery?: number;
    /**
     * Let `pulumi destroy` delete the buckets while they still hold files.
     * @default false
     */
    readonly forceDestroy?: boolean;
    /**
     * Tags for every resource of the component that takes them; each also gets a `Name`.
     * @default {}
     */
    readonly tags?: Record<string, string>;
}

/** Days a deleted or replaced flow-log file stays recoverable in the versioned archive. */
const NONCURRENT_DAYS = 30;

/** The Glue table's name: the one the named queries read. */
export const FLOW_LOG_TABLE = "flow_logs";

/** A name Glue and Athena take unquoted. */
export function glueName(text: string): string {
    return text.toLowerCase().replace(/[^a-z0-9_]/g, "_");
}

export function workgroupConsoleUrl(region: string, workgroup: string): string {
    return `https://${region}.console.aws.amazon.com/athena/home?region=${region}#/workgroups/details/${encodeURIComponent(workgroup)}`;
}

/**
 * VPC flow logs at scale: delivered to S3 as Parquet in Hive-compatible hourly partitions,
 * read through a Glue table with partition projection, queried in an Athena workgroup whose
 * settings are enforced. No Lambda, no crawler, no IAM role (the delivery service writes under
 * the bucket policy).
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html
 */
export class FlowLogArchive extends pulumi.ComponentResource {
    public readonly bucketName: pulumi.Output<string>;
    public readonly resultsBucketName: pulumi.Output<string>;
    public readonly databaseName: pulumi.Output<string>;
    public readonly tableName: pulumi.Output<string>;
    public readonly workgroupName: pulumi.Output<string>;
    /** The workgroup's page in the Athena console. */
    public readonly workgroupConsoleUrl: pulumi.Output<string>;
    /** The named queries' names, as the console lists them. */
    public readonly queryNames: pulumi.Output<string>[];
    /** One flow log id per VPC, in the order given. */
    public readonly flowLogIds: pulumi.Output<string>[];

    constructor(name: string, args: FlowLogArchiveArgs, opts: pulumi.ComponentResourceOptions = {}) {
        if (args.vpcs.length === 0) throw new Error(`FlowLogArchive ${name}: no VPC to record`);
        super(typeToken("monitoring", "FlowLogArchive"), name, {}, opts);
        const tags = args.tags ?? {};
        const d = FLOW_LOG_ARCHIVE_DEFAULTS;
        const forceDestroy = args.forceDestroy ?? d.forceDestroy;
        const scope = accountScope(this);

        const archive = this.secureBucket(`${name}-bucket`, {
            bucketName: args.bucketName,
            forceDestroy,
            versioned: true,
            tags,
            rules: [
                {
                    id: "flow-logs",
                    status: "Enabled",
                    filter: { prefix: `${FLOW_LOG_ROOT}/` },
                    transitions: [
                        {
                            days: args.transitionDays ?? d.transitionDays,
                            storageClass: args.transitionStorageClass ?? d.transitionStorageClass,
                        },
                    ],
                    expiration: { days: args.expirationDays ?? d.expirationDays },
                    noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_DAYS },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
                {
                    id: "expired-delete-markers",
                    status: "Enabled",
                    filter: {},
                    expiration: { expiredObjectDeleteMarker: true },
                },
            ],
            policy: (bucketArn) => scope.apply((s) => flowLogsBucketPolicy({ ...s, bucketArn })),
        });
        const results = this.secureBucket(`${name}-results`, {
            forceDestroy,
            versioned: false,
            tags,
            rules: [
                {
                    id: "query-results",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: args.resultsExpirationDays ?? d.resultsExpirationDays },
                    // Athena writes with multipart uploads; a cancelled query leaves parts behind.
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
            ],
            policy: (bucketArn) => pulumi.output(tlsOnlyBucketPolicy(bucketArn)),
        });

        const flowLogs = args.vpcs.map(
            (vpc) =>
                new aws.ec2.FlowLog(
                    `${name}-${vpc.name}`,
                    {
                        vpcId: vpc.vpcId,
                        trafficType: args.trafficType,
                        maxAggregationInterval: args.aggregationIntervalSeconds,
                        logFormat: FLOW_LOG_FORMAT,
                        logDestinationType: "s3",
                        logDestination: archive.bucket.arn,
                        destinationOptions: {
                            fileFormat: "parquet",
                            hiveCompatiblePartitions: true,
                            perHourPartition: true,
                        },
                        tags: nameTags(`${name}-${vpc.name}`, tags),
                    },
                    // Before its policy lets the delivery service write, AWS would write its own over it.
                    // Delete-first, as the CloudWatch flow logs (see ./flowLogs): every argument forces a
                    // new flow log, and AWS refuses a second one of the same VPC and destination.
                    { parent: this, dependsOn: archive.ready, deleteBeforeReplace: true },
                ),
        );

        const database = new aws.glue.CatalogDatabase(
            `${name}-database`,
            {
                name: args.databaseName ?? glueName(name),
                description: "VPC flow logs delivered to S3 as Parquet",
                tags: nameTags(`${name}-database`, tags),
            },
            { parent: this },
        );
        const table = new aws.glue.CatalogTable(
            `${name}-table`,
            {
                databaseName: database.name,
                name: FLOW_LOG_TABLE,
                description: "VPC flow logs, one partition per account, region and hour, projected",
                tableType: "EXTERNAL_TABLE",
                parameters: pulumi
                    .all([archive.bucket.bucket, scope])
                    .apply(([bucketName, s]) => projectionParameters({ bucketName, ...s })),
                partitionKeys: partitionKeys(),
                storageDescriptor: {
                    location: pulumi.interpolate`s3://${archive.bucket.bucket}/${FLOW_LOG_ROOT}/`,
                    inputFormat: PARQUET_STORAGE.inputFormat,
                    outputFormat: PARQUET_STORAGE.outputFormat,
                    serDeInfo: { serializationLibrary: PARQUET_STORAGE.serializationLibrary },
                    columns: tableColumns(),
                },
            },
            { parent: database },
        );

        const workgroup = new aws.athena.Workgroup(
            `${name}-workgroup`,
            {
                description: "Queries over the VPC flow-log archive",
                state: "ENABLED",
                // Athena refuses to delete a workgroup that has run any query unless recursively; its
                // history is no data of ours (results live in their bucket), its saved queries are ours.
                forceDestroy: true,
                configuration: {
                    enforceWorkgroupConfiguration: true,
                    publishCloudwatchMetricsEnabled: true,
                    bytesScannedCutoffPerQuery: args.bytesScannedCutoffPerQuery ?? d.bytesScannedCutoffPerQuery,
                    resultConfiguration: {
                        outputLocation: pulumi.interpolate`s3://${results.bucket.bucket}/`,
                        encryptionConfiguration: { encryptionOption: "SSE_S3" },
                        expectedBucketOwner: scope.accountId,
                    },
                },
                tags: nameTags(`${name}-workgroup`, tags),
            },
            { parent: this, dependsOn: results.ready },
        );
        const queries = athenaQueries({ table: FLOW_LOG_TABLE, vpcCidrBlocks: args.vpcCidrBlocks }).map(
            (query) =>
                new aws.athena.NamedQuery(
                    `${name}-${query.key}`,
                    {
                        name: query.title,
                        description: `Parameters: ${WINDOW_PARAMETERS.join(", ")} (UTC)`,
                        database: database.name,
                        workgroup: workgroup.name,
                        query: query.queryString,
                    },
                    { parent: workgroup, dependsOn: [table] },
                ),
        );

        this.bucketName = archive.bucket.bucket;
        this.resultsBucketName = results.bucket.bucket;
        this.databaseName = database.name;
        this.tableName = table.name;
        this.workgroupName = workgroup.name;
        this.workgroupConsoleUrl = pulumi
            .all([scope, workgroup.name])
            .apply(([s, workgroupName]) => workgroupConsoleUrl(s.region, workgroupName));
        this.queryNames = queries.map((query) => query.name);
        this.flowLogIds = flowLogs.map((flowLog) => flowLog.id);
        this.registerOutputs({
            bucketName: this.bucketName,
            resultsBucketName: this.resultsBucketName,
            databaseName: this.databaseName,
            tableName: this.tableName,
            workgroupName: this.workgroupName,
            workgroupConsoleUrl: this.workgroupConsoleUrl,
            queryNames: this.queryNames,
            flowLogIds: this.flowLogIds,
        });
    }

    /**
     * A private bucket: every public-access block, ACLs off, AES-256 by default, its lifecycle and
     * its policy. `ready` is every setting, for resources that must not write before them.
     */
    private secureBucket(
        name: string,
        args: {
            bucketName?: string;
            forceDestroy: boolean;
            versioned: boolean;
            tags: Record<string, string>;
            rules: aws.s3.BucketLifecycleConfigurationArgs["rules"];
            policy: (bucketArn: string) => pulumi.Output<PolicyDocument>;
        },
    ): { bucket: aws.s3.Bucket; ready: pulumi.Resource[] } {
        const bucket = new aws.s3.Bucket(
            name,
            { bucket: args.bucketName, forceDestroy: args.forceDestroy, tags: nameTags(name, args.tags) },
            // A fixed name is global: its replacement created first would fail (see ./privateS3Access).
            { parent: this, deleteBeforeReplace: args.bucketName !== undefined },
        );
        const opts = { parent: bucket };
        const id = bucket.bucket;
        const ready = bucketSettings(name, bucket, { versioned: args.versioned });
        ready.push(
            new aws.s3.BucketLifecycleConfiguration(
                `${name}-lifecycle`,
                { bucket: id, rules: args.rules },
                // S3 refuses noncurrent-version rules before versioning is on.
                { ...opts, dependsOn: [...ready] },
            ),
            new aws.s3.BucketPolicy(
                `${name}-policy`,
                {
                    bucket: id,
                    policy: bucket.arn.apply((arn) => args.policy(arn).apply((doc) => JSON.stringify(doc))),
                },
                // A policy is public-access checked: it lands once the blocks are in place.
                { ...opts, dependsOn: [...ready] },
            ),
        );
        return { bucket, ready };
    }
}
