import { strict as assert } from "assert";
import { isAllowed, Request } from "../helpers/iamEvaluation";
import { RecordedResource } from "../../checker/program/awsMocks";
import {
    ProgramRun,
    devConfig,
    devStackRun,
    only,
    policyOf,
    runFailingProgram,
    runInfraProgram,
    withConfig,
    withoutFlowLogs,
} from "../helpers/pulumi";
import { AWS_TYPES } from "../../model/awsTypes";
import { FLOW_LOG_FIELDS, FLOW_LOG_FORMAT } from "../../model/flowLogFormat";
import { LOG_DELIVERY_SERVICE } from "../../model/iamDocuments";
import { HIVE_PARTITIONS } from "../../infra/lib/flowLogTable";
import { FLOW_LOG_ARCHIVE_DEFAULTS } from "../../infra/flowLogArchiveConfig";

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const ARCHIVE = "flow-log-archive";

/** A key as the flow-logs service writes it with Hive-compatible, per-hour prefixes. */
const deliveredKey = (account = ACCOUNT, region = REGION) =>
    `AWSLogs/aws-account-id=${account}/aws-service=vpcflowlogs/aws-region=${region}/year=2025/month=07/day=15/hour=11/${account}_vpcflowlogs_${region}_fl-1_20250715T1105Z_hash.log.parquet`;

describe("the flow-log archive in the dev stack", () => {
    let run: ProgramRun;
    let bucketArn: string;
    let bucketName: string;
    const byName = (name: string) => run.resources.find((r) => r.name === name)!;

    before(async () => {
        run = await devStackRun();
        const bucket = only(run.resources, AWS_TYPES.bucket, `${ARCHIVE}-bucket`);
        bucketArn = bucket.state.arn;
        bucketName = bucket.state.bucket;
    });

    describe("delivery", () => {
        const s3FlowLogs = () =>
            run.resources.filter((r) => r.type === AWS_TYPES.flowLog && r.inputs.logDestinationType === "s3");

        it("records every flow-logged VPC into the bucket, as Parquet in Hive-compatible hourly partitions", () => {
            const flowLogs = s3FlowLogs();
            assert.deepEqual(
                flowLogs.map((r) => r.name),
                [`${ARCHIVE}-vpc1`, `${ARCHIVE}-vpc2`],
            );
            for (const flowLog of flowLogs) {
                assert.equal(flowLog.inputs.logDestination, bucketArn, flowLog.name);
                assert.deepEqual(flowLog.inputs.destinationOptions, {
                    fileFormat: "parquet",
                    hiveCompatiblePartitions: true,
                    perHourPartition: true,
                });
                assert.equal(flowLog.inputs.logFormat, FLOW_LOG_FORMAT);
                assert.equal(
                    flowLog.inputs.iamRoleArn,
                    undefined,
                    "the delivery service writes under the bucket policy",
                );
            }
        });

        it("records the same VPCs, traffic and aggregation interval as the CloudWatch flow logs", () => {
            for (const name of ["vpc1", "vpc2"]) {
                const toS3 = byName(`${ARCHIVE}-${name}`).inputs;
                const toCloudWatch = byName(`flow-logs-${name}`).inputs;
                assert.equal(toS3.vpcId, toCloudWatch.vpcId);
                assert.equal(toS3.trafficType, toCloudWatch.trafficType);
                assert.equal(toS3.maxAggregationInterval, toCloudWatch.maxAggregationInterval);
            }
        });

        it("follows a changed aggregation interval and traffic type of the flowLogs config", async () => {
            const changed = await runInfraProgram(
                withConfig(devConfig(), "flowLogs", (f) => ({
                    ...f,
                    aggregationIntervalSeconds: 600,
                    trafficType: "REJECT",
                })),
            );
            const archived = changed.resources.find((r) => r.name === `${ARCHIVE}-vpc1`)!.inputs;
            assert.deepEqual([archived.maxAggregationInterval, archived.trafficType], [600, "REJECT"]);
        });

        it("creates no IAM role", () => {
            assert.deepEqual(
                run.resources.filter((r) => r.type === AWS_TYPES.role && r.name.startsWith(ARCHIVE)),
                [],
            );
        });
    });

    describe("the bucket policy, evaluated", () => {
        let policy: any;
        before(() => {
            policy = policyOf(byName(`${ARCHIVE}-bucket-policy`), "policy");
        });
        const delivery = (
            overrides: Partial<Request> & { key?: string; context?: Record<string, string | boolean> } = {},
        ) => {
            const { key = deliveredKey(), context = {}, ...rest } = overrides;
            return {
                action: "s3:PutObject",
                resource: `${bucketArn}/${key}`,
                principalService: LOG_DELIVERY_SERVICE,
                ...rest,
                context: {
                    "aws:SecureTransport": true,
                    "aws:SourceAccount": ACCOUNT,
                    "aws:SourceArn": `arn:aws:logs:${REGION}:${ACCOUNT}:*`,
                    "s3:x-amz-acl": "bucket-owner-full-control",
                    ...context,
                },
            };
        };
        // Requests are built in the tests, once the run has named the bucket.
        const cases: { name: string; request: () => Request; allowed: boolean }[] = [
            {
                name: "lets the delivery service of this account and region write a flow-log file",
                request: () => delivery(),
                allowed: true,
            },
            {
                name: "lets it check the bucket's ACL",
                request: () => ({ ...delivery(), action: "s3:GetBucketAcl", resource: bucketArn }),
                allowed: true,
            },
            {
                name: "refuses a delivery on behalf of another account",
                request: () =>
                    delivery({
                        context: {
                            "aws:SourceAccount": "999999999999",
                            "aws:SourceArn": "arn:aws:logs:us-east-1:999999999999:*",
                        },
                    }),
                allowed: false,
            },
            {
                name: "refuses a delivery from another region's log deliveries",
                request: () => delivery({ context: { "aws:SourceArn": `arn:aws:logs:eu-west-1:${ACCOUNT}:*` } }),
                allowed: false,
            },
            {
                name: "refuses a write under another account's prefix",
                request: () => delivery({ key: deliveredKey("999999999999") }),
                allowed: false,
            },
            {
                name: "refuses a write outside AWSLogs/",
                request: () => delivery({ key: "elsewhere/file.parquet" }),
                allowed: false,
            },
            {
                name: "refuses a write that would not hand the object to the bucket owner",
                request: () => delivery({ context: { "s3:x-amz-acl": "private" } }),
                allowed: false,
            },
            {
                name: "refuses a delivery without TLS",
                request: () => delivery({ context: { "aws:SecureTransport": false } }),
                allowed: false,
            },
            {
                name: "refuses another service",
                request: () => delivery({ principalService: "ec2.amazonaws.com" }),
                allowed: false,
            },
            {
                name: "refuses an anonymous write",
                request: () => delivery({ principalService: undefined }),
                allowed: false,
            },
        ];
        for (const c of cases) {
            it(c.name, () => {
                const request = c.request();
                assert.equal(isAllowed(request, { resource: policy }), c.allowed);
            });
        }
    });

    describe("the buckets", () => {
        for (const bucket of [`${ARCHIVE}-bucket`, `${ARCHIVE}-results`]) {
            it(`keeps ${bucket} private: every public-access block, ACLs off, AES-256, TLS only`, () => {
                const block = byName(`${bucket}-public-access-block`).inputs;
                for (const key of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"])
                    assert.equal(block[key], true, key);
                assert.equal(byName(`${bucket}-ownership`).inputs.rule.objectOwnership, "BucketOwnerEnforced");
                const [rule] = byName(`${bucket}-encryption`).inputs.rules;
                assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
                const arn = byName(bucket).state.arn;
                const get = {
                    action: "s3:GetObject",
                    resource: `${arn}/x`,
                    principalArn: `arn:aws:iam::${ACCOUNT}:role/admin`,
                };
                const policy = policyOf(byName(`${bucket}-policy`), "policy");
                assert.equal(
                    isAllowed({ ...get, context: { "aws:SecureTransport": false } }, { resource: policy }),
                    false,
                );
            });
        }

        it("moves flow-log files to the configured class and deletes them on the configured day", () => {
            const [rule] = byName(`${ARCHIVE}-bucket-lifecycle`).inputs.rules;
            assert.deepEqual(rule.filter, { prefix: "AWSLogs/" });
            assert.deepEqual(rule.transitions, [
                {
                    days: FLOW_LOG_ARCHIVE_DEFAULTS.transitionDays,
                    storageClass: FLOW_LOG_ARCHIVE_DEFAULTS.transitionStorageClass,
                },
            ]);
            assert.deepEqual(rule.expiration, { days: FLOW_LOG_ARCHIVE_DEFAULTS.expirationDays });
            assert.equal(byName(`${ARCHIVE}-bucket-versioning`).inputs.versioningConfiguration.status, "Enabled");
        });

        it("keeps query results for their own, shorter time, and drops abandoned uploads", () => {
            const [rule] = byName(`${ARCHIVE}-results-lifecycle`).inputs.rules;
            assert.deepEqual(rule.expiration, { days: FLOW_LOG_ARCHIVE_DEFAULTS.resultsExpirationDays });
            assert.deepEqual(rule.abortIncompleteMultipartUpload, { daysAfterInitiation: 1 });
        });
    });

    describe("the table", () => {
        let table: RecordedResource;
        before(() => {
            table = only(run.resources, AWS_TYPES.glueTable);
        });

        it("has exactly the log format's fields as columns, in order, with their Parquet types", () => {
            assert.deepEqual(
                table.inputs.storageDescriptor.columns.map((c: any) => [c.name, c.type]),
                FLOW_LOG_FIELDS.map((f) => [f.name.replace(/-/g, "_"), f.type]),
            );
            assert.equal(
                table.inputs.storageDescriptor.serDeInfo.serializationLibrary,
                "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
            );
        });

        it("projects every Hive partition AWS writes, in its order, onto the partition columns", () => {
            const parameters = table.inputs.parameters;
            assert.equal(parameters["projection.enabled"], "true");
            const columns = table.inputs.partitionKeys.map((k: any) => k.name);
            assert.deepEqual(
                columns,
                HIVE_PARTITIONS.map((p) => p.column),
            );
            for (const column of columns) assert.ok(parameters[`projection.${column}.type`], column);
            const template = parameters["storage.location.template"];
            const levels = template.replace(`s3://${bucketName}/AWSLogs/`, "").split("/").filter(Boolean);
            assert.deepEqual(
                levels,
                ["aws-account-id", "aws-service", "aws-region", "year", "month", "day", "hour"].map(
                    (key, i) => `${key}=\${${columns[i]}}`,
                ),
            );
            assert.equal(parameters["projection.aws_account_id.values"], ACCOUNT);
            assert.equal(parameters["projection.aws_region.values"], REGION);
            assert.equal(parameters["projection.aws_service.values"], "vpcflowlogs");
            for (const column of ["month", "day", "hour"]) assert.equal(parameters[`projection.${column}.digits`], "2");
        });

        it("lies over the delivered prefix", () => {
            assert.equal(table.inputs.storageDescriptor.location, `s3://${bucketName}/AWSLogs/`);
            const key = deliveredKey();
            const template = table.inputs.parameters["storage.location.template"];
            const values: Record<string, string> = {
                aws_account_id: ACCOUNT,
                aws_service: "vpcflowlogs",
                aws_region: REGION,
                year: "2025",
                month: "07",
                day: "15",
                hour: "11",
            };
            const prefix = template.replace(/\$\{(\w+)\}/g, (_: string, column: string) => values[column]);
            assert.ok(`s3://${bucketName}/${key}`.startsWith(prefix), `${key} under ${prefix}`);
        });
    });

    describe("the engine", () => {
        it("enforces its settings: encrypted results in the results bucket, the cutoff, CloudWatch metrics", () => {
            const { configuration } = only(run.resources, AWS_TYPES.athenaWorkgroup).inputs;
            const results = byName(`${ARCHIVE}-results`).state.bucket;
            assert.equal(configuration.enforceWorkgroupConfiguration, true);
            assert.equal(configuration.publishCloudwatchMetricsEnabled, true);
            assert.equal(
                configuration.bytesScannedCutoffPerQuery,
                FLOW_LOG_ARCHIVE_DEFAULTS.bytesScannedCutoffPerQuery,
            );
            assert.equal(configuration.resultConfiguration.outputLocation, `s3://${results}/`);
            assert.deepEqual(configuration.resultConfiguration.encryptionConfiguration, { encryptionOption: "SSE_S3" });
        });

        it("saves the four queries in the workgroup, against the table's database", () => {
            const workgroup = only(run.resources, AWS_TYPES.athenaWorkgroup).state.name;
            const database = only(run.resources, AWS_TYPES.glueDatabase).inputs.name;
            const queries = run.resources.filter((r) => r.type === AWS_TYPES.athenaNamedQuery);
            assert.equal(queries.length, 4);
            for (const query of queries) {
                assert.deepEqual([query.inputs.workgroup, query.inputs.database], [workgroup, database], query.name);
                assert.match(
                    query.inputs.query,
                    /FROM flow_logs WHERE year = \? AND month = \? AND day = \? AND hour BETWEEN \? AND \?/,
                );
            }
        });
    });

    it("exports the bucket, database, table and workgroup names, and the workgroup's console page", () => {
        const workgroup = only(run.resources, AWS_TYPES.athenaWorkgroup).state.name;
        assert.deepEqual(run.outputs.flowLogArchive, {
            bucketName,
            databaseName: "vpc_flow_monitoring_test_flow_logs",
            tableName: "flow_logs",
            workgroupName: workgroup,
            workgroupConsoleUrl: `https://${REGION}.console.aws.amazon.com/athena/home?region=${REGION}#/workgroups/details/${workgroup}`,
            queryNames: run.resources.filter((r) => r.type === AWS_TYPES.athenaNamedQuery).map((r) => r.inputs.name),
        });
    });

    it("builds nothing of it when the stack switches it off", async () => {
        const off = await runInfraProgram(withConfig(devConfig(), "flowLogArchive", () => ({ enabled: false })));
        assert.deepEqual(
            off.resources.filter((r) => r.name.startsWith(ARCHIVE)).map((r) => r.name),
            [],
        );
        assert.equal(off.outputs.flowLogArchive, undefined);
    });

    it("stops before declaring anything when it is on but no VPC has flow logs", async () => {
        const config = withConfig(devConfig(), "vpcs", withoutFlowLogs);
        const { error, resources } = await runFailingProgram(config);
        assert.match(
            error.message,
            /vpc-flow-monitoring:flowLogArchive\.enabled = true: .*vpcs\.vpc1\.flowLogs and vpcs\.vpc2\.flowLogs/,
        );
        assert.deepEqual(resources, []);
    });
});
