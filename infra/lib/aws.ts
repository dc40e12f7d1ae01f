/**
 * The parts of `@pulumi/aws` the components use, imported per service. Importing the package's
 * root pulls the type declarations of every AWS service into each type-check (about 800,000 lines);
 * these few services are half of that, which halves `tsc --noEmit`. Components import this module
 * as `aws` and read exactly as they would with the root package.
 */
export * as athena from "@pulumi/aws/athena";
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as ec2 from "@pulumi/aws/ec2";
export { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
export { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
export { getPartitionOutput } from "@pulumi/aws/getPartition";
export { getRegionOutput } from "@pulumi/aws/getRegion";
export * as glue from "@pulumi/aws/glue";
export * as iam from "@pulumi/aws/iam";
export * as kms from "@pulumi/aws/kms";
export * as s3 from "@pulumi/aws/s3";
export * as sns from "@pulumi/aws/sns";
export * as ssm from "@pulumi/aws/ssm";
export * as vpc from "@pulumi/aws/vpc";
