import { strict as assert } from "assert";
import { ALARM_KEY_ACTIONS, alarmTopicKeyPolicy, alarmTopicPolicy } from "../../../infra/lib/alarmTopicPolicies";
import { evaluate, Request } from "../../helpers/iamEvaluation";

const SCOPE = { partition: "aws", region: "us-east-1", accountId: "111122223333" };
const OTHER = "999999999999";
const KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const TOPIC = "arn:aws:sns:us-east-1:111122223333:alarms";
const alarm = (account: string, region = "us-east-1") => ({
    principalService: "cloudwatch.amazonaws.com",
    context: {
        "aws:SourceAccount": account,
        "aws:SourceArn": `arn:aws:cloudwatch:${region}:${account}:alarm:rejected-flows`,
        "aws:SecureTransport": true,
    },
});

describe("alarm topic key policy", () => {
    const policy = alarmTopicKeyPolicy(SCOPE);
    const cases: { name: string; request: Request; effect: string }[] = [
        ...ALARM_KEY_ACTIONS.map((action) => ({
            name: `lets this account's alarms call ${action.replace("*", "")}`,
            request: { action: action.replace("*", ""), resource: KEY, ...alarm(SCOPE.accountId) },
            effect: "Allow",
        })),
        {
            name: "refuses CloudWatch the key for another account's alarm",
            request: { action: "kms:GenerateDataKey", resource: KEY, ...alarm(OTHER) },
            effect: "NotApplicable",
        },
        {
            name: "refuses CloudWatch the key for an alarm of another region",
            request: { action: "kms:Decrypt", resource: KEY, ...alarm(SCOPE.accountId, "eu-west-1") },
            effect: "NotApplicable",
        },
        {
            name: "refuses CloudWatch anything beyond encrypting notifications",
            request: { action: "kms:ScheduleKeyDeletion", resource: KEY, ...alarm(SCOPE.accountId) },
            effect: "NotApplicable",
        },
        {
            name: "leaves the account's own roles to their IAM policies",
            request: { action: "kms:Decrypt", resource: KEY, principalArn: "arn:aws:iam::111122223333:role/ops" },
            effect: "Allow",
        },
        ...["kms:Decrypt", "kms:PutKeyPolicy", "kms:CreateGrant"].map((action) => ({
            name: `refuses ${action} to a principal of another account`,
            request: { action, resource: KEY, principalArn: `arn:aws:iam::${OTHER}:root` },
            effect: "NotApplicable",
        })),
        {
            name: "refuses anonymous callers",
            request: { action: "kms:Decrypt", resource: KEY },
            effect: "NotApplicable",
        },
    ];
    for (const c of cases) it(c.name, () => assert.equal(evaluate(policy, c.request), c.effect));

    it("names no principal outside the account but the CloudWatch service", () => {
        const principals = policy.Statement.map((s) => JSON.stringify(s.Principal));
        assert.deepEqual(principals, [
            JSON.stringify({ AWS: "arn:aws:iam::111122223333:root" }),
            JSON.stringify({ Service: "cloudwatch.amazonaws.com" }),
        ]);
    });
});

describe("alarm topic policy", () => {
    const policy = alarmTopicPolicy(SCOPE, TOPIC);
    const cases: { name: string; request: Request; effect: string }[] = [
        {
            name: "lets this account's alarms publish",
            request: { action: "sns:Publish", resource: TOPIC, ...alarm(SCOPE.accountId) },
            effect: "Allow",
        },
        {
            name: "refuses another account's alarms",
            request: { action: "sns:Publish", resource: TOPIC, ...alarm(OTHER) },
            effect: "NotApplicable",
        },
        {
            name: "refuses another service publishing as itself",
            request: {
                action: "sns:Publish",
                resource: TOPIC,
                ...alarm(SCOPE.accountId),
                principalService: "events.amazonaws.com",
            },
            effect: "NotApplicable",
        },
        {
            name: "refuses this account's alarms anything beyond publishing",
            request: { action: "sns:Subscribe", resource: TOPIC, ...alarm(SCOPE.accountId) },
            effect: "NotApplicable",
        },
        {
            name: "refuses a principal of another account",
            request: { action: "sns:Publish", resource: TOPIC, principalArn: `arn:aws:iam::${OTHER}:role/x` },
            effect: "NotApplicable",
        },
        {
            name: "denies any request without TLS, even from the account",
            request: {
                action: "sns:Publish",
                resource: TOPIC,
                principalArn: "arn:aws:iam::111122223333:role/ops",
                context: { "aws:SecureTransport": false },
            },
            effect: "Deny",
        },
    ];
    for (const c of cases) it(c.name, () => assert.equal(evaluate(policy, c.request), c.effect));
});
