import { denyWithoutTls, onBehalfOfThisAccount } from "../../model/iamDocuments";
import type { AccountScope, PolicyDocument } from "../../model/iamDocuments";

/**
 * The alarm topic's two documents: the policy of the customer-managed key that encrypts it, and
 * the topic's own policy. CloudWatch alarms cannot publish to a topic encrypted with the AWS
 * managed key `alias/aws/sns`: its key policy does not let CloudWatch call kms:GenerateDataKey and
 * kms:Decrypt, and nobody can edit it. Hence a key of our own whose policy lets CloudWatch use it.
 * @see https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */

export const CLOUDWATCH_SERVICE = "cloudwatch.amazonaws.com";

/** What a publisher needs of the key to publish to an encrypted topic. */
export const ALARM_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey*"] as const;

/** `aws:SourceAccount` and `aws:SourceArn` of this account's alarms in this region (confused deputy). */
function fromThisAccountsAlarms(scope: AccountScope) {
    return onBehalfOfThisAccount(scope, "cloudwatch", "alarm:*");
}

/**
 * The key's policy: the account administers the key (through its IAM policies, as in AWS's
 * default key policy: without it nobody could ever change the key again), and CloudWatch may use
 * it on behalf of this account's alarms only. No other account appears.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
 */
export function alarmTopicKeyPolicy(scope: AccountScope): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministersThroughIam",
                Effect: "Allow",
                Principal: { AWS: `arn:${scope.partition}:iam::${scope.accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "CloudWatchAlarmsEncryptNotifications",
                Effect: "Allow",
                Principal: { Service: CLOUDWATCH_SERVICE },
                Action: [...ALARM_KEY_ACTIONS],
                Resource: "*",
                Condition: fromThisAccountsAlarms(scope),
            },
        ],
    };
}

/**
 * The topic's policy: only this account's CloudWatch alarms may publish, and nothing reaches the
 * topic without TLS. Administration stays with the account's IAM policies (same account).
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit
 * @see https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
 */
export function alarmTopicPolicy(scope: AccountScope, topicArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ThisAccountsAlarmsPublish",
                Effect: "Allow",
                Principal: { Service: CLOUDWATCH_SERVICE },
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: fromThisAccountsAlarms(scope),
            },
            denyWithoutTls("sns:*", topicArn),
        ],
    };
}
