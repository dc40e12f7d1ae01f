import * as fs from "fs";
import * as path from "path";
import * as aws from "./lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { bucketSettings } from "./lib/bucketSettings";
import { nameTags, typeToken } from "./lib/component";
import {
    bucketNameProblem,
    bucketPolicy,
    endpointPolicy,
    instanceBucketPolicy,
    lockoutProblem,
    principalArnProblem,
} from "./lib/s3Policies";

export interface PrivateS3AccessArgs {
    /** The VPC whose instances reach the bucket. */
    readonly vpcId: pulumi.Input<string>;
    /**
     * The route tables of every subnet an instance uses: the endpoint routes S3's prefix list
     * through each. At least one; an endpoint attached to no route table routes nothing.
     * A plain array so that a missing table is caught before anything is deployed.
     * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
     */
    readonly routeTableIds: readonly pulumi.Input<string>[];
    /** The instance role that gets list, get and put on this bucket, and nothing else. */
    readonly instanceRoleName: pulumi.Input<string>;
    /** That role's ARN: the only principal the endpoint lets through to this bucket. */
    readonly instanceRoleArn: pulumi.Input<string>;
    /**
     * The bucket's name; validated against S3's naming rules.
     * @default auto-named from the component's name, with a random suffix
     */
    readonly bucketName?: string;
    /**
     * `aws:PrincipalArn` patterns (IAM users, roles, account root; `*` allowed inside a name, e.g.
     * for SSO roles) that may use the bucket from outside the endpoint: the console's operators.
     * @default []
     * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
     */
    readonly adminPrincipalArns?: readonly string[];
    /**
     * Exempt the identity running `pulumi up` too (the role behind its session), so that Pulumi can
     * still refresh, update and destroy the bucket. Turn off only with `adminPrincipalArns` set.
     * @default true
     */
    readonly includeDeployer?: boolean;
    /**
     * A folder whose files are uploaded as the bucket's demo objects, keyed by file name.
     * @default undefined (no objects)
     */
    readonly demoObjectsDir?: string;
    /**
     * Let `pulumi destroy` delete the bucket with every object version in it, uploads from the
     * instance included. Off, destroy stops at a non-empty bucket and the data stays.
     * @default false
     */
    readonly forceDestroy?: boolean;
    /**
     * Tags for every resource of the component; each also gets a `Name`.
     * @default {}
     */
    readonly tags?: Record<string, string>;
}

const CONTENT_TYPES: Record<string, string> = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".json": "application/json",
};

/**
 * A private, versioned, encrypted bucket that a VPC's instance reaches through an S3 gateway
 * endpoint with its instance role: no access keys, no internet path for the data. The bucket
 * refuses plain HTTP, and anything not coming through the endpoint unless it comes from an
 * administrator; the endpoint lets through only the instance's access to this bucket and the
 * Amazon Linux repositories.
 */
export class PrivateS3Access extends pulumi.ComponentResource {
    /** The bucket's name, for `aws s3 ls s3://<name>`. */
    public readonly bucketName: pulumi.Output<string>;
    /** The bucket's ARN. */
    public readonly bucketArn: pulumi.Output<string>;
    /** The gateway endpoint's id, the value of `aws:SourceVpce` for requests through it. */
    public readonly endpointId: pulumi.Output<string>;

    constructor(name: string, args: PrivateS3AccessArgs, opts: pulumi.ComponentResourceOptions = {}) {
        validate(args);
        super(typeToken("storage", "PrivateS3Access"), name, {}, opts);
        const tags = args.tags ?? {};
        const partition = aws.getPartitionOutput({}, { parent: this });
        const region = aws.getRegionOutput({}, { parent: this }).region;

        const bucket = new aws.s3.Bucket(
            `${name}-bucket`,
            {
                bucket: args.bucketName,
                forceDestroy: args.forceDestroy ?? false,
                tags: nameTags(`${name}-bucket`, tags),
            },
            // `bucket` forces a new bucket (ForceNew in the provider's aws_s3_bucket schema). A fixed
            // name is global: created first, its replacement would fail with BucketAlreadyOwnedByYou,
            // so a named bucket is deleted first. An auto-named one gets a fresh suffix and need not be.
            { parent: this, deleteBeforeReplace: args.bucketName !== undefined },
        );
        const settings = bucketSettings(name, bucket, { versioned: true });
        const objects = this.demoObjects(name, bucket, args.demoObjectsDir, settings);

        const endpoint = new aws.ec2.VpcEndpoint(
            `${name}-endpoint`,
            {
                vpcId: args.vpcId,
                vpcEndpointType: "Gateway",
                serviceName: pulumi.interpolate`${partition.reverseDnsPrefix}.${region}.s3`,
                routeTableIds: [...args.routeTableIds],
                policy: pulumi
                    .all([partition.partition, region, bucket.arn, args.instanceRoleArn])
                    .apply(([p, r, bucketArn, instanceRoleArn]) =>
                        JSON.stringify(endpointPolicy({ partition: p, region: r, bucketArn, instanceRoleArn })),
                    ),
                tags: nameTags(`${name}-endpoint`, tags),
            },
            { parent: this },
        );

        new aws.s3.BucketPolicy(
            `${name}-policy`,
            {
                bucket: bucket.bucket,
                policy: pulumi
                    .all([bucket.arn, endpoint.id, this.administrators(args)])
                    .apply(([bucketArn, endpointId, adminPrincipalArns]) =>
                        JSON.stringify(bucketPolicy({ bucketArn, endpointId, adminPrincipalArns })),
                    ),
            },
            // Last in, first out: the deny lands only once everything Pulumi writes to the bucket
            // exists, and on destroy it goes first, so Pulumi never works against its own policy.
            { parent: bucket, dependsOn: [...settings, ...objects] },
        );

        new aws.iam.RolePolicy(
            `${name}-instance-access`,
            {
                role: args.instanceRoleName,
                policy: pulumi
                    .all([partition.partition, region, bucket.arn])
                    .apply(([p, r, arn]) => JSON.stringify(instanceBucketPolicy(arn, { partition: p, region: r }))),
            },
            { parent: this },
        );

        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.endpointId = endpoint.id;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, endpointId: this.endpointId });
    }

    /** One object per file of the folder, written after the bucket's settings so each is versioned and encrypted. */
    private demoObjects(
        name: string,
        bucket: aws.s3.Bucket,
        dir: string | undefined,
        settings: pulumi.Resource[],
    ): pulumi.Resource[] {
        if (dir === undefined) return [];
        const files = fs
            .readdirSync(dir, { withFileTypes: true })
            .filter((entry) => entry.isFile())
            .map((entry) => entry.name)
            .sort();
        return files.map(
            (file) =>
                new aws.s3.BucketObjectv2(
                    `${name}-object-${file}`,
                    {
                        bucket: bucket.bucket,
                        key: file,
                        source: new pulumi.asset.FileAsset(path.join(dir, file)),
                        contentType: CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream",
                        tags: { Name: file },
                    },
                    { parent: bucket, dependsOn: settings },
                ),
        );
    }

    /** The configured administrators, plus the role behind the deploying session unless told otherwise. */
    private administrators(args: PrivateS3AccessArgs): pulumi.Output<string[]> {
        const configured = [...(args.adminPrincipalArns ?? [])];
        if (!(args.includeDeployer ?? true)) return pulumi.output(configured);
        // getCallerIdentity names the session (sts::...:assumed-role/R/session); aws:PrincipalArn carries
        // the role's ARN (iam::...:role/path/R). getSessionContext maps one to the other.
        const caller = aws.getCallerIdentityOutput({}, { parent: this });
        const deployer = aws.iam.getSessionContextOutput({ arn: caller.arn }, { parent: this }).issuerArn;
        return deployer.apply((arn) => [...new Set([...configured, arn])]);
    }
}

/** Plain-valued arguments are checked before any resource exists; errors name the argument. */
function validate(args: PrivateS3AccessArgs): void {
    const problems: string[] = [];
    if (args.routeTableIds.length === 0)
        problems.push("routeTableIds is empty: an endpoint on no route table routes nothing");
    const nameProblem = args.bucketName === undefined ? undefined : bucketNameProblem(args.bucketName);
    if (nameProblem) problems.push(`bucketName ${JSON.stringify(args.bucketName)}: ${nameProblem}`);
    (args.adminPrincipalArns ?? []).forEach((arn, index) => {
        const problem = principalArnProblem(arn);
        if (problem) problems.push(`adminPrincipalArns[${index}] ${JSON.stringify(arn)}: ${problem}`);
    });
    if (
        args.demoObjectsDir !== undefined &&
        !fs.statSync(args.demoObjectsDir, { throwIfNoEntry: false })?.isDirectory()
    ) {
        problems.push(`demoObjectsDir ${JSON.stringify(args.demoObjectsDir)} is not a folder`);
    }
    const lockout = lockoutProblem(args.adminPrincipalArns ?? [], args.includeDeployer ?? true);
    if (lockout) problems.push(`includeDeployer false: ${lockout}`);
    if (problems.length > 0) throw new Error(`PrivateS3Access: ${problems.join("; ")}`);
}
