import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";

/**
 * The settings every bucket of the stack gets, as children of the bucket: every public-access
 * block, ACLs off (owner-enforced), default encryption with customer-provided keys refused (objects
 * the bucket's own encryption could not read back), and versioning where asked. Writes that must
 * land on a hardened bucket (objects, policies, lifecycles) depend on what this returns.
 */
export function bucketSettings(
    name: string,
    bucket: aws.s3.Bucket,
    options: { versioned: boolean },
): pulumi.Resource[] {
    const opts = { parent: bucket };
    const id = bucket.bucket;
    const settings: pulumi.Resource[] = [
        new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access-block`,
            {
                bucket: id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            opts,
        ),
        new aws.s3.BucketOwnershipControls(
            `${name}-ownership`,
            { bucket: id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            opts,
        ),
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket: id,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" },
                        blockedEncryptionTypes: ["SSE-C"],
                    },
                ],
            },
            opts,
        ),
    ];
    if (options.versioned) {
        settings.push(
            new aws.s3.BucketVersioning(
                `${name}-versioning`,
                { bucket: id, versioningConfiguration: { status: "Enabled" } },
                opts,
            ),
        );
    }
    return settings;
}
