import { accountPrefix } from "./flowLogFormat";
/**
 * IAM policy documents the components attach, as plain data so they are tested without mocks
 * and read the same in code review as in the console.
 */

export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: "*" | Record<string, string | string[]>;
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/** The only principal that may assume a flow-log delivery role. */
export const FLOW_LOGS_SERVICE = "vpc-flow-logs.amazonaws.com";

/**
 * The actions VPC Flow Logs needs to deliver into an existing log group, and no others; the same
 * three AWS CDK's `FlowLog` grants its role on its log group's ARN (`CloudWatchLogsDestination.bind`
 * in aws-cdk-lib/aws-ec2/lib/vpc-flow-logs.ts). Not
 * `logs:DescribeLogGroups`: the Service Authorization Reference lists no resource type for it, so
 * granted on `<log group ARN>:*` it never applies, and granting it on `*` would let the role list
 * every log group of the account for nothing the delivery needs.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
 */
export const FLOW_LOG_DELIVERY_ACTIONS = [
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "logs:DescribeLogStreams",
] as const;

/** Where this account's and region's flow logs live, to pin `aws:SourceArn`. */
export interface AccountScope {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
}

/**
 * The conditions against the confused deputy: a service acts only on behalf of this account
 * (`aws:SourceAccount`) and of its own `service` resources in this region matching `resource`
 * (`aws:SourceArn`, e.g. `vpc-flow-log/*` of `ec2`).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function onBehalfOfThisAccount(scope: AccountScope, service: string, resource: string) {
    return {
        StringEquals: { "aws:SourceAccount": scope.accountId },
        ArnLike: {
            "aws:SourceArn": `arn:${scope.partition}:${service}:${scope.region}:${scope.accountId}:${resource}`,
        },
    };
}

/**
 * Trust policy of a flow-log delivery role: only the flow-logs service, only `sts:AssumeRole`,
 * and only on behalf of this account's flow logs in this region (confused deputy).
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
 */
export function flowLogsTrustPolicy(scope: AccountScope): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "VpcFlowLogsOnly",
                Effect: "Allow",
                Principal: { Service: FLOW_LOGS_SERVICE },
                Action: "sts:AssumeRole",
                Condition: onBehalfOfThisAccount(scope, "ec2", "vpc-flow-log/*"),
            },
        ],
    };
}

/**
 * Permissions of a flow-log delivery role: write streams of one log group. Never
 * `logs:CreateLogGroup` (the group is ours, with its retention) and never `*`.
 */
export function flowLogsDeliveryPolicy(logGroupArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DeliverToOneLogGroup",
                Effect: "Allow",
                Action: [...FLOW_LOG_DELIVERY_ACTIONS],
                Resource: `${logGroupArn}:*`,
            },
        ],
    };
}

/** Trust policy of an instance role: EC2 may hand it to the instance's profile. */
export function ec2TrustPolicy(): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "Ec2Instances",
                Effect: "Allow",
                Principal: { Service: "ec2.amazonaws.com" },
                Action: "sts:AssumeRole",
            },
        ],
    };
}

/** The service that writes vended logs (flow logs among them) into S3 buckets. */
export const LOG_DELIVERY_SERVICE = "delivery.logs.amazonaws.com";

/** A bucket and every object in it, as a policy's `Resource`. */
export function bucketObjectsAndItself(bucketArn: string): string[] {
    return [bucketArn, `${bucketArn}/*`];
}

/** Refuses every request of a service's actions (`s3:*`, `sns:*`) on the resources that does not use TLS. */
export function denyWithoutTls(action: string, resource: string | string[]): PolicyStatement {
    return {
        Sid: "DenyWithoutTls",
        Effect: "Deny",
        Principal: "*",
        Action: action,
        Resource: resource,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/** A bucket's policy that grants nothing and refuses requests without TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
    return { Version: "2012-10-17", Statement: [denyWithoutTls("s3:*", bucketObjectsAndItself(bucketArn))] };
}

/**
 * Policy of a bucket that receives flow logs with Hive-compatible prefixes: the log delivery
 * service may write only under this account's `AWSLogs/aws-account-id=<account>/` prefix, and
 * check the bucket's ACL, only on behalf of this account's log deliveries in this region
 * (`aws:SourceAccount`, `aws:SourceArn`), as AWS documents it; nothing without TLS. No role:
 * flow logs to S3 are delivered by the service itself.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
 */
export function flowLogsBucketPolicy(scope: AccountScope & { readonly bucketArn: string }): PolicyDocument {
    const logDeliveries = onBehalfOfThisAccount(scope, "logs", "*");
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AWSLogDeliveryWrite",
                Effect: "Allow",
                Principal: { Service: LOG_DELIVERY_SERVICE },
                Action: "s3:PutObject",
                Resource: `${scope.bucketArn}/${accountPrefix(scope.accountId)}*`,
                Condition: {
                    ...logDeliveries,
                    StringEquals: {
                        ...logDeliveries.StringEquals,
                        "s3:x-amz-acl": "bucket-owner-full-control",
                    },
                },
            },
            {
                Sid: "AWSLogDeliveryAclCheck",
                Effect: "Allow",
                Principal: { Service: LOG_DELIVERY_SERVICE },
                Action: ["s3:GetBucketAcl", "s3:ListBucket"],
                Resource: scope.bucketArn,
                Condition: logDeliveries,
            },
            denyWithoutTls("s3:*", bucketObjectsAndItself(scope.bucketArn)),
        ],
    };
}
