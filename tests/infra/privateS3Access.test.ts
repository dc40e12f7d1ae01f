import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { evaluate, Request } from "../helpers/iamEvaluation";
import { amazonLinuxRepositoryBucket, lockoutProblem, ssmAgentBuckets } from "../../infra/lib/s3Policies";
import { AwsMocks, RecordedResource } from "../../checker/program/awsMocks";
import {
    devConfig,
    devStackRun,
    only,
    policyOf,
    PROJECT,
    ProgramRun,
    promiseOf,
    registrationsOf,
    ROOT,
    runFailingProgram,
    runInfraProgram,
    settle,
    useMocks,
    withConfig,
} from "../helpers/pulumi";
import { AWS_TYPES } from "../../model/awsTypes";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const T = {
    bucket: AWS_TYPES.bucket,
    policy: AWS_TYPES.bucketPolicy,
    endpoint: AWS_TYPES.vpcEndpoint,
    rolePolicy: AWS_TYPES.rolePolicy,
    object: AWS_TYPES.bucketObject,
};
const DEMO_OBJECTS = path.join(ROOT, "infra", "demo-objects");
const ROLE_ARN = "arn:aws:iam::123456789012:role/probe-role";
/** The role behind the mocks' deploying session (`assumed-role/deployer/pulumi-session`). */
const DEPLOYER = "arn:aws:iam::123456789012:role/deployer";

const tls = (action: string, resource: string, principalArn?: string, endpoint?: string): Request => ({
    action,
    resource,
    principalArn,
    context: { "aws:SecureTransport": true, ...(endpoint && { "aws:SourceVpce": endpoint }) },
});

describe("PrivateS3Access component", () => {
    let mocks: AwsMocks;
    let bucket: RecordedResource;
    const dependsOn = new Map<string, unknown>();

    before(async () => {
        mocks = await useMocks();
        const { PrivateS3Access } = await import("../../infra/privateS3Access");
        new PrivateS3Access(
            "probe",
            {
                vpcId: "vpc-1",
                routeTableIds: ["rtb-public", "rtb-private"],
                instanceRoleName: "probe-role",
                instanceRoleArn: ROLE_ARN,
                adminPrincipalArns: ["arn:aws:iam::123456789012:role/console-admin"],
                demoObjectsDir: DEMO_OBJECTS,
                tags: { Environment: "test" },
            },
            // Legacy transformations run in-process and see each child's options, dependsOn included.
            { transformations: [({ name, opts }) => void dependsOn.set(name, opts.dependsOn)] },
        );
        await settle();
        bucket = only(mocks.resources, T.bucket);
    });

    it("versions, encrypts and owns every object, and blocks all four kinds of public access", () => {
        const name = bucket.state.bucket;
        const settings = (type: string) => only(mocks.resources, type).inputs;
        assert.deepEqual(settings(AWS_TYPES.bucketVersioning), {
            bucket: name,
            versioningConfiguration: { status: "Enabled" },
        });
        const encryption = settings(AWS_TYPES.bucketEncryption);
        assert.equal(encryption.bucket, name);
        assert.equal(encryption.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
        assert.deepEqual(settings(AWS_TYPES.bucketPublicAccessBlock), {
            bucket: name,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        assert.equal(settings(AWS_TYPES.bucketOwnershipControls).rule.objectOwnership, "BucketOwnerEnforced");
        assert.equal(bucket.inputs.forceDestroy, false, "a bucket with data is not destroyed by default");
    });

    it("uploads one object per file of the demo folder, keyed by its name", () => {
        const objects = mocks.find(T.object);
        assert.deepEqual(objects.map((o) => o.inputs.key).sort(), fs.readdirSync(DEMO_OBJECTS).sort());
        assert.ok(objects.length >= 3);
        for (const o of objects) assert.equal(o.inputs.bucket, bucket.state.bucket);
    });

    it("attaches a gateway endpoint for the region's S3 to every route table it is given", () => {
        const endpoint = only(mocks.resources, T.endpoint);
        assert.equal(endpoint.inputs.vpcEndpointType, "Gateway");
        assert.equal(endpoint.inputs.serviceName, "com.amazonaws.us-east-1.s3");
        assert.equal(endpoint.inputs.vpcId, "vpc-1");
        assert.deepEqual(endpoint.inputs.routeTableIds, ["rtb-public", "rtb-private"]);
    });

    it("lets the endpoint carry the instance role to this bucket, dnf to the repositories and SSM Agent to its buckets, nothing else", () => {
        const endpoint = only(mocks.resources, T.endpoint);
        const doc = policyOf(endpoint, "policy");
        const arn = bucket.state.arn;
        assert.equal(evaluate(doc, tls("s3:PutObject", `${arn}/test.txt`, ROLE_ARN, endpoint.id)), "Allow");
        assert.equal(evaluate(doc, tls("s3:PutObject", `${arn}/test.txt`, DEPLOYER, endpoint.id)), "NotApplicable");
        assert.equal(
            evaluate(doc, tls("s3:GetObject", "arn:aws:s3:::any-other-bucket/x", ROLE_ARN, endpoint.id)),
            "NotApplicable",
        );
        const repository = `arn:aws:s3:::${amazonLinuxRepositoryBucket("us-east-1")}/*`;
        assert.deepEqual(
            [...new Set(doc.Statement.flatMap((s: any) => [s.Resource].flat()))].sort(),
            [arn, `${arn}/*`, repository, ...ssmAgentBuckets("us-east-1").map((b) => `arn:aws:s3:::${b}/*`)].sort(),
        );
    });

    it("denies the bucket to everyone outside the endpoint except the configured admins and the deployer", () => {
        const doc = policyOf(only(mocks.resources, T.policy), "policy");
        const endpointId = only(mocks.resources, T.endpoint).id;
        const read = (principal: string, endpoint?: string) =>
            evaluate(doc, tls("s3:GetObject", `${bucket.state.arn}/final-report.txt`, principal, endpoint));
        assert.equal(read(ROLE_ARN), "Deny");
        assert.equal(read(ROLE_ARN, endpointId), "NotApplicable");
        assert.equal(read("arn:aws:iam::123456789012:role/console-admin"), "NotApplicable");
        assert.equal(read(DEPLOYER), "NotApplicable", "getSessionContext turned the caller's session into its role");
        assert.equal(only(mocks.resources, T.policy).inputs.bucket, bucket.state.bucket);
    });

    it("applies the bucket policy only after every setting and object Pulumi writes, so it never locks Pulumi out midway", async () => {
        const resources = [dependsOn.get("probe-policy") ?? []].flat() as pulumi.Resource[];
        const names = await Promise.all(resources.map(async (r) => (await promiseOf(r.urn)).split("::").pop()));
        const expected = mocks.resources
            .filter((r) => r.type.startsWith("aws:s3/") && !([T.bucket, T.policy] as string[]).includes(r.type))
            .map((r) => r.name);
        assert.ok(expected.length >= 8, expected.join());
        assert.deepEqual(names.sort(), expected.sort());
    });

    it("gives the instance role list, get and put on this bucket alone, and read of the region's SSM Agent buckets", () => {
        const rolePolicy = only(mocks.resources, T.rolePolicy);
        assert.equal(rolePolicy.inputs.role, "probe-role");
        const statements = policyOf(rolePolicy, "policy").Statement;
        assert.deepEqual(
            statements.map((s: any) => [s.Effect, s.Action, s.Resource]),
            [
                ["Allow", ["s3:ListBucket"], bucket.state.arn],
                ["Allow", ["s3:GetObject", "s3:PutObject"], `${bucket.state.arn}/*`],
                ["Allow", "s3:GetObject", ssmAgentBuckets("us-east-1").map((b) => `arn:aws:s3:::${b}/*`)],
            ],
        );
    });

    it("names and tags every child after the component", () => {
        for (const r of mocks.resources.filter((r) => r.type.startsWith("aws:")))
            assert.ok(r.name.startsWith("probe-"), r.name);
        assert.deepEqual(bucket.inputs.tags, { Environment: "test", Name: "probe-bucket" });
        assert.equal(mocks.find(AWS_TYPES.accessKey).length, 0);
    });

    it("replaces a named bucket delete-first (its global name would collide), an auto-named one create-first", async () => {
        const autoNamed = registrationsOf(mocks).find((r) => r.type === T.bucket);
        assert.equal(autoNamed?.deleteBeforeReplace, false);
        const fresh = await useMocks();
        const { PrivateS3Access } = await import("../../infra/privateS3Access");
        new PrivateS3Access("named", {
            vpcId: "vpc-1",
            routeTableIds: ["rtb-1"],
            instanceRoleName: "r",
            instanceRoleArn: ROLE_ARN,
            bucketName: "seed-report-bucket",
        });
        await settle();
        assert.equal(registrationsOf(fresh).find((r) => r.type === T.bucket)?.deleteBeforeReplace, true);
    });

    describe("refuses arguments AWS or the lock-out rule would reject, before declaring anything", () => {
        const base = { vpcId: "vpc-1", routeTableIds: ["rtb-1"], instanceRoleName: "r", instanceRoleArn: ROLE_ARN };
        const cases: [string, object, RegExp][] = [
            ["no route table", { routeTableIds: [] }, /routeTableIds is empty/],
            [
                "a bucket name S3 rejects",
                { bucketName: "Seed_Report" },
                /bucketName "Seed_Report": S3 bucket names use only lower-case/,
            ],
            [
                "a role session as administrator",
                { adminPrincipalArns: ["arn:aws:sts::123456789012:assumed-role/admin/me"] },
                /adminPrincipalArns\[0\].*role session/,
            ],
            [
                "nobody exempt (the lock-out rule's one wording)",
                { includeDeployer: false },
                new RegExp(`includeDeployer false: ${escapeRegExp(lockoutProblem([], false)!)}`),
            ],
            [
                "a missing demo folder",
                { demoObjectsDir: path.join(ROOT, "no-such-folder") },
                /demoObjectsDir .* is not a folder/,
            ],
        ];
        for (const [what, change, why] of cases) {
            it(what, async () => {
                const fresh = await useMocks();
                const { PrivateS3Access } = await import("../../infra/privateS3Access");
                assert.throws(() => new PrivateS3Access("bad", { ...base, ...change }), why);
                await settle();
                assert.deepEqual(fresh.resources, []);
            });
        }
    });
});

describe("private S3 access in the dev stack", () => {
    let run: ProgramRun;

    before(async () => {
        run = await devStackRun();
    });

    it("puts the endpoint in vpc1, on the route table of the subnet vpc1's instance runs in", () => {
        const endpoint = only(run.resources, T.endpoint);
        const instance = only(run.resources, AWS_TYPES.instance, "vpc1-host-instance");
        const association = run.resources.find(
            (r) => r.type === AWS_TYPES.routeTableAssociation && r.inputs.subnetId === instance.inputs.subnetId,
        );
        assert.ok(association, "the instance's subnet has a route table");
        assert.ok(endpoint.inputs.routeTableIds.includes(association.inputs.routeTableId));
        assert.equal(endpoint.inputs.vpcId, only(run.resources, AWS_TYPES.vpc, "vpc1-vpc").id);
    });

    it("grants vpc1's instance role, the one in its instance profile, and no other", () => {
        const role = only(run.resources, AWS_TYPES.role, "vpc1-host-role");
        const profile = only(run.resources, AWS_TYPES.instanceProfile, "vpc1-host-profile");
        assert.equal(profile.inputs.role, role.state.name);
        assert.equal(only(run.resources, T.rolePolicy, "vpc1-s3-instance-access").inputs.role, role.state.name);
        const conditions = policyOf(only(run.resources, T.endpoint), "policy").Statement.flatMap((s: any) =>
            s.Condition ? [s.Condition.ArnEquals["aws:PrincipalArn"]] : [],
        );
        assert.deepEqual([...new Set(conditions)], [role.state.arn]);
    });

    it("lets `pulumi destroy` empty every bucket of the dev stack of its versions (forceDestroy in Pulumi.dev.yaml; off by default)", () => {
        const buckets = run.resources.filter((r) => r.type === T.bucket);
        assert.ok(buckets.length >= 3, buckets.map((b) => b.name).join());
        for (const bucket of buckets) assert.equal(bucket.inputs.forceDestroy, true, bucket.name);
    });

    it("holds no access key and no IAM user anywhere: the instance uses its role", () => {
        for (const type of [AWS_TYPES.accessKey, AWS_TYPES.iamUser])
            assert.equal(run.resources.filter((r) => r.type === type).length, 0, type);
    });

    it("exports the bucket, the endpoint and the seed's test commands", () => {
        const bucketName = only(run.resources, T.bucket, "vpc1-s3-bucket").state.bucket;
        const { s3BucketName, s3EndpointId, s3Test, instanceIds } = run.outputs;
        assert.equal(s3BucketName, bucketName);
        assert.equal(s3EndpointId, only(run.resources, T.endpoint).id);
        assert.deepEqual(s3Test, {
            connectToInstance: `aws ssm start-session --region us-east-1 --target ${instanceIds.vpc1}`,
            listBucket: `aws s3 ls s3://${bucketName}/ --region us-east-1`,
            createTestFile: "sudo touch /tmp/test.txt",
            uploadTestFile: `aws s3 cp /tmp/test.txt s3://${bucketName}/ --region us-east-1`,
        });
    });

    it("builds nothing of it when the stack switches it off", async () => {
        const off = await runInfraProgram(withConfig(devConfig(), "s3Access", (s3) => ({ ...s3, enabled: false })));
        assert.deepEqual(
            // The flow-log archive's buckets are another component's, switched by its own key.
            off.resources.filter(
                (r) =>
                    (r.type.startsWith("aws:s3/") || r.type === T.endpoint) && !r.name.startsWith("flow-log-archive"),
            ),
            [],
        );
        assert.equal(off.outputs.s3Test, undefined);
    });

    it("stops before declaring anything when the endpoint's VPC is not in the stack", async () => {
        const { error, resources } = await runFailingProgram(
            withConfig(devConfig(), "s3Access", (s3) => ({ ...s3, vpc: "vpc3" })),
        );
        assert.match(
            error.message,
            new RegExp(`${PROJECT}:s3Access\\.vpc = "vpc3": names no VPC of this stack; use one of vpc1, vpc2`),
        );
        assert.deepEqual(resources, []);
    });
});
