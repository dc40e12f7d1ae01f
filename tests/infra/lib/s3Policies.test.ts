import { strict as assert } from "assert";
import fc from "fast-check";
import { PolicyDocument } from "../../../model/iamDocuments";
import { evaluate, isAllowed, Request } from "../../helpers/iamEvaluation";
import {
    amazonLinuxRepositoryBucket,
    bucketNameProblem,
    bucketPolicy,
    endpointPolicy,
    instanceBucketPolicy,
    principalArnProblem,
    ssmAgentBuckets,
    lockoutProblem,
} from "../../../infra/lib/s3Policies";

const BUCKET = "arn:aws:s3:::seed-report";
const ENDPOINT = "vpce-0123456789abcdef0";
const INSTANCE_ROLE = "arn:aws:iam::111122223333:role/vpc1-host-role";
const ADMIN = "arn:aws:iam::111122223333:role/admin";
const SSO_ADMINS = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_*";
const REPO = `arn:aws:s3:::${amazonLinuxRepositoryBucket("us-east-1")}`;
const SSM_AGENT_OBJECTS = ssmAgentBuckets("us-east-1").map((bucket) => `arn:aws:s3:::${bucket}/*`);

const bucketDoc = bucketPolicy({ bucketArn: BUCKET, endpointId: ENDPOINT, adminPrincipalArns: [ADMIN, SSO_ADMINS] });
const endpointDoc = endpointPolicy({
    partition: "aws",
    region: "us-east-1",
    bucketArn: BUCKET,
    instanceRoleArn: INSTANCE_ROLE,
});
const instanceDoc = instanceBucketPolicy(BUCKET, { partition: "aws", region: "us-east-1" });
const adminDoc: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

/** A request with TLS, optionally through an endpoint. */
function request(
    action: string,
    resource: string,
    principalArn: string | undefined,
    endpoint?: string,
    tls = true,
): Request {
    return {
        action,
        resource,
        principalArn,
        context: { "aws:SecureTransport": tls, ...(endpoint && { "aws:SourceVpce": endpoint }) },
    };
}

/** Every resource a document names, flattened. */
const resourcesOf = (doc: PolicyDocument) =>
    doc.Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
const actionsOf = (doc: PolicyDocument) =>
    doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe("S3 access policies", () => {
    describe("the bucket policy", () => {
        it("denies a request unless it is over TLS and comes through this endpoint or from an administrator", () => {
            const principals = fc.constantFrom(
                INSTANCE_ROLE,
                ADMIN,
                "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_42",
                "arn:aws:iam::444455556666:user/outsider",
                undefined,
            );
            const actions = fc.constantFrom(
                "s3:GetObject",
                "s3:PutObject",
                "s3:ListBucket",
                "s3:DeleteObject",
                "s3:PutBucketPolicy",
            );
            const endpoints = fc.constantFrom(ENDPOINT, "vpce-0fedcba9876543210", undefined);
            fc.assert(
                fc.property(
                    principals,
                    actions,
                    endpoints,
                    fc.boolean(),
                    fc.boolean(),
                    (principal, action, endpoint, tls, onObject) => {
                        const resource = onObject ? `${BUCKET}/reports/q1.txt` : BUCKET;
                        const admin = principal === ADMIN || (principal?.includes("AWSReservedSSO_Admin_") ?? false);
                        const expectDeny = !tls || (endpoint !== ENDPOINT && !admin);
                        assert.equal(
                            evaluate(bucketDoc, request(action, resource, principal, endpoint, tls)),
                            expectDeny ? "Deny" : "NotApplicable",
                        );
                    },
                ),
            );
        });

        it("grants nothing by itself, so S3 never counts it as public", () => {
            assert.deepEqual([...new Set(bucketDoc.Statement.map((s) => s.Effect))], ["Deny"]);
            assert.deepEqual([...new Set(resourcesOf(bucketDoc))], [BUCKET, `${BUCKET}/*`]);
        });

        it("lists each administrator once, and refuses to be built with none", () => {
            const doc = bucketPolicy({ bucketArn: BUCKET, endpointId: ENDPOINT, adminPrincipalArns: [ADMIN, ADMIN] });
            assert.deepEqual(doc.Statement[1].Condition?.ArnNotLike["aws:PrincipalArn"], [ADMIN]);
            assert.throws(() => bucketPolicy({ bucketArn: BUCKET, endpointId: ENDPOINT, adminPrincipalArns: [] }), {
                message: `bucketPolicy: ${lockoutProblem([], false)}`,
            });
        });
    });

    describe("the endpoint policy", () => {
        describe("lets the instance role list this bucket and read and write its objects", () => {
            for (const [action, resource] of [
                ["s3:ListBucket", BUCKET],
                ["s3:GetObject", `${BUCKET}/a.txt`],
                ["s3:PutObject", `${BUCKET}/test.txt`],
            ])
                it(`${action} ${resource}`, () =>
                    assert.equal(evaluate(endpointDoc, request(action, resource, INSTANCE_ROLE, ENDPOINT)), "Allow"));
        });

        describe("stops everything else: other buckets, other actions, other principals", () => {
            const refused: Request[] = [
                request("s3:GetObject", "arn:aws:s3:::someone-elses-bucket/data", INSTANCE_ROLE, ENDPOINT),
                request("s3:PutObject", "arn:aws:s3:::exfiltration-target/dump", INSTANCE_ROLE, ENDPOINT),
                request("s3:DeleteObject", `${BUCKET}/a.txt`, INSTANCE_ROLE, ENDPOINT),
                request("s3:PutBucketPolicy", BUCKET, INSTANCE_ROLE, ENDPOINT),
                request("s3:GetObject", `${BUCKET}/a.txt`, "arn:aws:iam::111122223333:role/other-instance", ENDPOINT),
                request("s3:GetObject", `${BUCKET}/a.txt`, undefined, ENDPOINT),
                request("s3:PutObject", `${REPO}/poisoned.rpm`, undefined, ENDPOINT),
            ];
            for (const r of refused)
                it(`${r.action} ${r.resource} by ${r.principalArn ?? "an anonymous caller"}`, () =>
                    assert.equal(evaluate(endpointDoc, r), "NotApplicable"));
        });

        it("lets dnf read this region's Amazon Linux 2023 repositories, and no other region's", () => {
            assert.equal(REPO, "arn:aws:s3:::al2023-repos-us-east-1-de612dc2");
            assert.equal(
                evaluate(
                    endpointDoc,
                    request("s3:GetObject", `${REPO}/core/mirrors/latest/x86_64/mirror.list`, undefined, ENDPOINT),
                ),
                "Allow",
            );
            const elsewhere = `arn:aws:s3:::${amazonLinuxRepositoryBucket("eu-west-1")}/core/repodata.xml`;
            assert.equal(
                evaluate(endpointDoc, request("s3:GetObject", elsewhere, undefined, ENDPOINT)),
                "NotApplicable",
            );
        });

        it("names only this bucket, the repository and the SSM Agent buckets, never a wildcard resource or action", () => {
            assert.deepEqual(
                resourcesOf(endpointDoc).sort(),
                [BUCKET, `${BUCKET}/*`, `${REPO}/*`, ...SSM_AGENT_OBJECTS].sort(),
            );
            assert.ok(
                actionsOf(endpointDoc).every((a) => !a.includes("*")),
                actionsOf(endpointDoc).join(),
            );
        });
    });

    describe("the instance role's policy", () => {
        it("allows list on the bucket, get and put on its objects and read of the SSM Agent buckets, nothing wider", () => {
            assert.deepEqual(
                instanceDoc.Statement.map((s) => [s.Action, s.Resource]),
                [
                    [["s3:ListBucket"], BUCKET],
                    [["s3:GetObject", "s3:PutObject"], `${BUCKET}/*`],
                    ["s3:GetObject", SSM_AGENT_OBJECTS],
                ],
            );
            assert.equal(instanceBucketPolicy(BUCKET).Statement.length, 2, "no region given, no agent statement");
            for (const [action, resource] of [
                ["s3:DeleteObject", `${BUCKET}/a`],
                ["s3:GetObject", "arn:aws:s3:::other/a"],
                ["s3:ListAllMyBuckets", "*"],
            ]) {
                assert.equal(evaluate(instanceDoc, request(action, resource, INSTANCE_ROLE)), "NotApplicable", action);
            }
        });
    });

    describe("SSM Agent through the endpoint (SSM's guide: SSM Agent communications with AWS managed S3 buckets)", () => {
        const regions = [
            {
                region: "eu-west-1",
                buckets: [
                    "aws-windows-downloads-eu-west-1",
                    "amazon-ssm-eu-west-1",
                    "amazon-ssm-packages-eu-west-1",
                    "eu-west-1-birdwatcher-prod",
                    "aws-ssm-document-attachments-eu-west-1",
                    "patch-baseline-snapshot-eu-west-1",
                    "aws-ssm-eu-west-1",
                    "aws-patchmanager-macos-eu-west-1",
                ],
            },
            { region: "af-south-1", swapped: ["af-south-1-birdwatcher-prod", "aws-ssm-distributor-file-af-south-1"] },
            { region: "eu-south-1", swapped: ["eu-south-1-birdwatcher-prod", "aws-ssm-distributor-file-eu-south-1"] },
            {
                region: "me-south-1",
                swapped: ["patch-baseline-snapshot-me-south-1", "patch-baseline-snapshot-me-south-1-uduvl7q8"],
            },
        ];
        for (const c of regions) {
            it(`lists the guide's buckets for ${c.region}${c.swapped ? `: ${c.swapped[1]}, not ${c.swapped[0]}` : ""}`, () => {
                const buckets = ssmAgentBuckets(c.region);
                if (c.buckets) assert.deepEqual(buckets, c.buckets);
                if (c.swapped) {
                    assert.ok(buckets.includes(c.swapped[1]), buckets.join());
                    assert.ok(!buckets.includes(c.swapped[0]), buckets.join());
                    assert.equal(buckets.length, 8);
                }
            });
        }

        // AWS's own bucket policies allow the reads; the endpoint and the instance role must not stop them.
        const agentFetches = [
            ["agent update manifest", "arn:aws:s3:::amazon-ssm-us-east-1/ssm-agent-manifest.json"],
            ["Run Command plugin", "arn:aws:s3:::aws-ssm-us-east-1/aws-runShellScript/plugin.zip"],
            ["document attachment", "arn:aws:s3:::aws-ssm-document-attachments-us-east-1/doc/attachment.zip"],
            ["Distributor package", "arn:aws:s3:::us-east-1-birdwatcher-prod/AmazonCloudWatchAgent/manifest.json"],
            ["patch baseline snapshot", "arn:aws:s3:::patch-baseline-snapshot-us-east-1/snapshot.json"],
        ];
        for (const [what, resource] of agentFetches) {
            it(`lets the agent fetch a ${what} with the instance role through the endpoint`, () => {
                const fetch = request("s3:GetObject", resource, INSTANCE_ROLE, ENDPOINT);
                assert.equal(evaluate(endpointDoc, fetch), "Allow");
                assert.equal(evaluate(instanceDoc, fetch), "Allow");
            });
        }

        it("allows no write to them, and no other region's", () => {
            for (const r of [
                request("s3:PutObject", "arn:aws:s3:::amazon-ssm-us-east-1/evil", INSTANCE_ROLE, ENDPOINT),
                request("s3:GetObject", "arn:aws:s3:::amazon-ssm-eu-west-1/x", INSTANCE_ROLE, ENDPOINT),
                request("s3:ListBucket", "arn:aws:s3:::amazon-ssm-us-east-1", INSTANCE_ROLE, ENDPOINT),
            ]) {
                assert.equal(evaluate(endpointDoc, r), "NotApplicable", `${r.action} ${r.resource}`);
                assert.equal(evaluate(instanceDoc, r), "NotApplicable", `${r.action} ${r.resource}`);
            }
        });
    });

    describe("all three together, as S3 decides", () => {
        const instance = (action: string, resource: string, endpoint?: string) =>
            isAllowed(request(action, resource, INSTANCE_ROLE, endpoint), {
                identity: [instanceDoc],
                resource: bucketDoc,
                endpoint: endpoint === ENDPOINT ? endpointDoc : undefined,
            });

        it("runs the seed's test from the instance through the endpoint: list, upload", () => {
            assert.ok(instance("s3:ListBucket", BUCKET, ENDPOINT));
            assert.ok(instance("s3:PutObject", `${BUCKET}/test.txt`, ENDPOINT));
        });

        it("refuses the instance's credentials used from anywhere else", () => {
            assert.ok(!instance("s3:GetObject", `${BUCKET}/final-report.txt`));
            assert.ok(!instance("s3:GetObject", `${BUCKET}/final-report.txt`, "vpce-0fedcba9876543210"));
        });

        it("keeps the console and Pulumi working for administrators outside the VPC", () => {
            assert.ok(
                isAllowed(request("s3:ListBucket", BUCKET, ADMIN), { identity: [adminDoc], resource: bucketDoc }),
            );
            assert.ok(
                isAllowed(request("s3:PutBucketPolicy", BUCKET, ADMIN), { identity: [adminDoc], resource: bucketDoc }),
            );
            assert.ok(
                !isAllowed(request("s3:ListBucket", BUCKET, ADMIN, undefined, false), {
                    identity: [adminDoc],
                    resource: bucketDoc,
                }),
            );
        });
    });

    describe("bucket names", () => {
        describe("accepts what S3 accepts", () => {
            for (const name of ["abc", "seed-report", "my.bucket.2024", "a".repeat(63), "1-starts-with-a-digit"])
                it(name, () => assert.equal(bucketNameProblem(name), undefined));
        });

        describe("says why S3 would refuse the others", () => {
            const cases: [string, RegExp][] = [
                ["ab", /3 to 63/],
                ["a".repeat(64), /3 to 63/],
                ["Seed-Report", /lower-case/],
                ["seed_report", /lower-case/],
                ["-seed", /begin and end/],
                ["seed.", /begin and end/],
                ["seed..report", /adjacent dots/],
                ["192.168.5.4", /IP address/],
                ["xn--seed", /prefix xn--/],
                ["amzn-s3-demo-bucket", /prefix amzn-s3-demo-/],
                ["seed-s3alias", /suffix -s3alias/],
                ["seed--table-s3", /suffix --table-s3/],
            ];
            for (const [name, why] of cases)
                it(`${name}: ${why.source}`, () => assert.match(bucketNameProblem(name) ?? "accepted", why));
        });
    });

    describe("administrator ARNs", () => {
        describe("accepts users, roles with paths, the account root, and wildcards inside a name", () => {
            for (const arn of [
                ADMIN,
                SSO_ADMINS,
                "arn:aws:iam::111122223333:user/ops/alice",
                "arn:aws:iam::111122223333:root",
                "arn:aws-us-gov:iam::111122223333:role/ci",
            ])
                it(arn, () => assert.equal(principalArnProblem(arn), undefined));
        });

        it("turns a role session into the role ARN aws:PrincipalArn carries", () => {
            assert.match(
                principalArnProblem("arn:aws:sts::111122223333:assumed-role/admin/alice") ?? "",
                /role session.*arn:aws:iam::111122223333:role\/admin$/,
            );
        });

        describe("refuses what is not an IAM principal, and wildcards that exempt a whole account", () => {
            const cases: [string, RegExp][] = [
                ["admin", /not an IAM user, role or account-root ARN/],
                ["arn:aws:s3:::bucket", /not an IAM user, role or account-root ARN/],
                ["arn:aws:iam::*:role/admin", /not an IAM user, role or account-root ARN/],
                ["arn:aws:iam::111122223333:group/admins", /not an IAM user, role or account-root ARN/],
                ["arn:aws:iam::111122223333:role/*", /every user or role/],
                ["arn:aws:iam::111122223333:user/team/*", /every user or role/],
            ];
            for (const [arn, why] of cases) it(arn, () => assert.match(principalArnProblem(arn) ?? "accepted", why));
        });
    });
});
