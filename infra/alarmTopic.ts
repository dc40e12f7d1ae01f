import * as aws from "./lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { alarmTopicKeyPolicy, alarmTopicPolicy } from "./lib/alarmTopicPolicies";
import { nameTags, typeToken } from "./lib/component";
import { accountScope } from "./lib/accountScope";

export interface AlarmTopicArgs {
    /**
     * Email addresses to notify; each recipient must confirm the subscription from the mail AWS
     * sends before any alarm reaches them.
     * @default []
     * @see https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html
     */
    readonly emails?: readonly string[];
    /**
     * Tags for every resource of the component; each also gets a `Name`.
     * @default {}
     */
    readonly tags?: Record<string, string>;
}

/**
 * The SNS topic alarms notify, encrypted with a customer-managed KMS key that CloudWatch may use
 * (alarms cannot publish to a topic under the AWS managed `alias/aws/sns`), publishable only by
 * this account's CloudWatch alarms and only over TLS, with email subscriptions.
 * @see https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns
 */
export class AlarmTopic extends pulumi.ComponentResource {
    /** The topic's ARN, for alarm actions. */
    public readonly topicArn: pulumi.Output<string>;
    /** The key's ARN. */
    public readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: AlarmTopicArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        super(typeToken("monitoring", "AlarmTopic"), name, {}, opts);
        const tags = args.tags ?? {};
        const scope = accountScope(this);

        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `Encrypts ${name}'s alarm notifications; CloudWatch alarms of this account may use it`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: scope.apply((s) => JSON.stringify(alarmTopicKeyPolicy(s))),
                tags: nameTags(`${name}-key`, tags),
            },
            { parent: this },
        );
        const topic = new aws.sns.Topic(
            `${name}-topic`,
            { kmsMasterKeyId: key.arn, tags: nameTags(`${name}-topic`, tags) },
            { parent: this },
        );
        new aws.sns.TopicPolicy(
            `${name}-policy`,
            {
                arn: topic.arn,
                policy: pulumi.all([scope, topic.arn]).apply(([s, arn]) => JSON.stringify(alarmTopicPolicy(s, arn))),
            },
            { parent: topic },
        );
        for (const email of args.emails ?? []) {
            new aws.sns.TopicSubscription(
                `${name}-${email}`,
                { topic: topic.arn, protocol: "email", endpoint: email },
                { parent: topic },
            );
        }

        this.topicArn = topic.arn;
        this.keyArn = key.arn;
        this.registerOutputs({ topicArn: this.topicArn, keyArn: this.keyArn });
    }
}
