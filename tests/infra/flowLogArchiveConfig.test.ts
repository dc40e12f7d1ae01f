import { strict as assert } from "assert";
import { parseStackConfig } from "../../infra/config";
import { FLOW_LOG_ARCHIVE_DEFAULTS } from "../../infra/flowLogArchiveConfig";
import { onlyConfigProblem, rawConfig, TWO_VPCS } from "../helpers/config";
import { PROJECT, withoutFlowLogs } from "../helpers/pulumi";

const NS = PROJECT;
const onlyProblem = (flowLogArchive: unknown, vpcs: unknown = TWO_VPCS) => onlyConfigProblem({ vpcs, flowLogArchive });

describe("stack config: flowLogArchive", () => {
    it("is off unless asked for, with a lifecycle and a cutoff within AWS's limits", () => {
        const { flowLogArchive } = parseStackConfig(rawConfig({ vpcs: TWO_VPCS }), NS);
        assert.deepEqual(flowLogArchive, {
            enabled: false,
            transitionDays: 30,
            transitionStorageClass: "STANDARD_IA",
            expirationDays: 365,
            resultsExpirationDays: 7,
            bytesScannedCutoffPerQuery: 1024 ** 3,
            forceDestroy: false,
        });
        assert.deepEqual(FLOW_LOG_ARCHIVE_DEFAULTS, flowLogArchive, "the component's defaults are the schema's");
    });

    it("accepts a class without a minimum transition age sooner than Standard-IA's 30 days", () => {
        const { flowLogArchive } = parseStackConfig(
            rawConfig({
                vpcs: TWO_VPCS,
                flowLogArchive: {
                    enabled: true,
                    transitionStorageClass: "GLACIER_IR",
                    transitionDays: 1,
                    expirationDays: 2,
                },
            }),
            NS,
        );
        assert.deepEqual([flowLogArchive.transitionDays, flowLogArchive.expirationDays], [1, 2]);
    });

    describe("rejects, naming the key and its value", () => {
        const cases: { name: string; archive: unknown; problem: string }[] = [
            {
                name: "a transition to Standard-IA sooner than S3 allows",
                archive: { transitionDays: 7 },
                problem: `${NS}:flowLogArchive.transitionDays = 7: S3 moves objects to STANDARD_IA no sooner than 30 days after creation; use 30 or more`,
            },
            {
                name: "a default transition too soon for a class the user chose",
                archive: { transitionStorageClass: "ONEZONE_IA", transitionDays: 29 },
                problem: `${NS}:flowLogArchive.transitionDays = 29: S3 moves objects to ONEZONE_IA no sooner than 30 days after creation; use 30 or more`,
            },
            {
                name: "an expiry no later than the transition",
                archive: { expirationDays: 30 },
                problem: `${NS}:flowLogArchive.expirationDays = 30: expires files no later than they move to STANDARD_IA (transitionDays = 30); make it larger than transitionDays`,
            },
            {
                name: "days that are not positive",
                archive: { resultsExpirationDays: 0 },
                problem: `${NS}:flowLogArchive.resultsExpirationDays = 0: a positive number of days`,
            },
            {
                name: "days that are not whole",
                archive: { expirationDays: 400.5 },
                problem: `${NS}:flowLogArchive.expirationDays = 400.5: a whole number of days`,
            },
            {
                name: "a storage class lifecycle rules cannot move to",
                archive: { transitionStorageClass: "REDUCED_REDUNDANCY" },
                problem: `${NS}:flowLogArchive.transitionStorageClass = "REDUCED_REDUNDANCY": Invalid option: expected one of "STANDARD_IA"|"ONEZONE_IA"|"INTELLIGENT_TIERING"|"GLACIER_IR"|"GLACIER"|"DEEP_ARCHIVE"`,
            },
            {
                name: "a cutoff below Athena's smallest",
                archive: { bytesScannedCutoffPerQuery: 10_000_000 },
                problem: `${NS}:flowLogArchive.bytesScannedCutoffPerQuery = 10000000: Athena's smallest per-query cutoff is 10485760 bytes (10 MiB)`,
            },
            {
                name: "a cutoff beyond what JSON numbers carry exactly",
                archive: { bytesScannedCutoffPerQuery: 2 ** 60 },
                problem: `${NS}:flowLogArchive.bytesScannedCutoffPerQuery = 1152921504606847000: a whole number of bytes up to 9007199254740991`,
            },
            {
                name: "a bucket name S3 would refuse",
                archive: { bucketName: "Flow_Logs" },
                problem: `${NS}:flowLogArchive.bucketName = "Flow_Logs": S3 bucket names use only lower-case letters, digits, dots and hyphens`,
            },
            {
                name: "a misspelt key, with the key it meant",
                archive: { expirationDay: 400 },
                problem: `${NS}:flowLogArchive.expirationDay = 400: unknown key; did you mean expirationDays?`,
            },
        ];
        for (const c of cases) it(c.name, () => assert.equal(onlyProblem(c.archive), c.problem));

        it("the archive on while no VPC has flow logs, naming both keys", () => {
            const vpcs = withoutFlowLogs(TWO_VPCS);
            assert.equal(
                onlyProblem({ enabled: true }, vpcs),
                `${NS}:flowLogArchive.enabled = true: archives flow logs, but no VPC has them (vpcs.vpc1.flowLogs and vpcs.vpc2.flowLogs are false); set flowLogs: true on a VPC, or flowLogArchive.enabled: false`,
            );
            assert.equal(
                parseStackConfig(rawConfig({ vpcs, flowLogArchive: { enabled: false } }), NS).vpcs.vpc1.flowLogs,
                false,
            );
        });
    });
});
