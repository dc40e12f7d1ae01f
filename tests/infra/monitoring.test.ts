import { strict as assert } from "assert";
import { AlarmTopic } from "../../infra/alarmTopic";
import { FlowLogMetrics } from "../../infra/flowLogMetrics";
import { MOCK_ACCOUNT_ID } from "../../checker/program/awsMocks";
import { RecordedResource } from "../../checker/program/awsMocks";
import { AWS_TYPES } from "../../model/awsTypes";
import { FLOW_LOG_FORMAT } from "../../model/flowLogFormat";
import { dashboardProblems } from "../helpers/dashboardBody";
import { publishedValue } from "../helpers/filterPattern";
import { evaluate } from "../helpers/iamEvaluation";
import {
    ProgramRun,
    devConfig,
    devStackRun,
    only,
    policyOf,
    runFailingProgram,
    settle,
    useMocks,
    withConfig,
    withoutFlowLogs,
} from "../helpers/pulumi";

const SEED_ACCEPT =
    "2 394971810761 eni-0ba4fb34d7e9a41ff 143.110.152.75 10.1.1.133 56142 20167 6 1 44 1752577951 1752578009 ACCEPT OK";
const REJECT =
    "2 394971810761 eni-0ba4fb34d7e9a41ff 198.51.100.7 10.1.1.133 44321 22 6 3 180 1752577951 1752578009 REJECT OK";
const PING_1_TO_2 =
    "2 394971810761 eni-0ba4fb34d7e9a41ff 10.1.1.10 10.2.0.10 0 0 1 4 336 1752577951 1752578009 ACCEPT OK";
/** The mocks run every program as stack "test" (tests/helpers/pulumi.ts), so names carry it. */
const NAMESPACE = "vpc-flow-monitoring/test";

/** Requests CloudWatch makes for an alarm of an account, over TLS. */
const fromAlarmOf = (account: string) => ({
    principalService: "cloudwatch.amazonaws.com",
    context: {
        "aws:SourceAccount": account,
        "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${account}:alarm:any`,
        "aws:SecureTransport": true,
    },
});

/** The values every filter publishing a metric sends for one record. */
function published(filters: readonly RecordedResource[], metricName: string, record: string): number[] {
    return filters
        .filter((f) => f.inputs.metricTransformation.name === metricName)
        .map((f) => publishedValue(f.inputs.pattern, f.inputs.metricTransformation.value, record))
        .filter((v): v is number => v !== undefined);
}

describe("monitoring of the dev stack", () => {
    let run: ProgramRun;
    let find: (type: string) => RecordedResource[];
    before(async () => {
        run = await devStackRun();
        find = (type) => run.resources.filter((r) => r.type === type);
    });

    it("records flow logs in the one shared format its filters and rules read", () => {
        for (const flowLog of find(AWS_TYPES.flowLog)) assert.equal(flowLog.inputs.logFormat, FLOW_LOG_FORMAT);
    });

    it("counts the seeds' accepted record as no rejected flow, and a REJECT record as one, on the flow-log group", () => {
        const logGroup = only(run.resources, AWS_TYPES.logGroup);
        const filters = find(AWS_TYPES.logMetricFilter);
        for (const filter of filters) {
            assert.equal(filter.inputs.logGroupName, logGroup.state.name, filter.name);
            assert.equal(filter.inputs.metricTransformation.namespace, NAMESPACE, filter.name);
        }
        assert.deepEqual(published(filters, "RejectedFlows", SEED_ACCEPT), []);
        assert.deepEqual(published(filters, "RejectedFlows", REJECT), [1]);
        assert.deepEqual(published(filters, "RejectedBytes", REJECT), [180]);
        assert.deepEqual(published(filters, "AcceptedIcmpPacketsBetweenVpcs", PING_1_TO_2), [4]);
    });

    it("alarms on rejected flows above the configured threshold, treating no data as no breach, to the topic", () => {
        const topic = only(run.resources, AWS_TYPES.snsTopic);
        const alarm = only(run.resources, AWS_TYPES.metricAlarm);
        const { inputs } = alarm;
        assert.deepEqual(
            [inputs.namespace, inputs.metricName, inputs.statistic, inputs.comparisonOperator],
            [NAMESPACE, "RejectedFlows", "Sum", "GreaterThanThreshold"],
        );
        assert.deepEqual([inputs.threshold, inputs.period, inputs.evaluationPeriods], [100, 300, 3]);
        assert.equal(inputs.treatMissingData, "notBreaching");
        assert.deepEqual(inputs.alarmActions, [topic.state.arn]);
        assert.deepEqual(inputs.okActions, [topic.state.arn]);
    });

    it("encrypts the topic with its own key, never the AWS managed alias/aws/sns", () => {
        const topic = only(run.resources, AWS_TYPES.snsTopic);
        const key = only(run.resources, AWS_TYPES.kmsKey);
        assert.equal(topic.inputs.kmsMasterKeyId, key.state.arn);
        assert.equal(key.inputs.enableKeyRotation, true);
    });

    it("has a key policy that lets this account's alarms use the key and nobody outside the account", () => {
        const key = only(run.resources, AWS_TYPES.kmsKey);
        const policy = policyOf(key, "policy");
        const use = (request: object) =>
            evaluate(policy, { action: "kms:GenerateDataKey", resource: key.state.arn, ...request });
        assert.equal(use(fromAlarmOf(MOCK_ACCOUNT_ID)), "Allow");
        assert.equal(use(fromAlarmOf("999999999999")), "NotApplicable");
        assert.equal(use({ principalArn: "arn:aws:iam::999999999999:role/admin" }), "NotApplicable");
    });

    it("has a topic policy that admits only CloudWatch alarms of this account, over TLS", () => {
        const topic = only(run.resources, AWS_TYPES.snsTopic);
        const topicPolicy = only(run.resources, AWS_TYPES.snsTopicPolicy);
        assert.equal(topicPolicy.inputs.arn, topic.state.arn);
        const policy = policyOf(topicPolicy, "policy");
        const publish = (request: object) =>
            evaluate(policy, { action: "sns:Publish", resource: topic.state.arn, ...request });
        assert.equal(publish(fromAlarmOf(MOCK_ACCOUNT_ID)), "Allow");
        assert.equal(publish(fromAlarmOf("999999999999")), "NotApplicable");
        assert.equal(
            publish({ ...fromAlarmOf(MOCK_ACCOUNT_ID), principalService: "events.amazonaws.com" }),
            "NotApplicable",
        );
        assert.equal(publish({ principalArn: "arn:aws:iam::999999999999:role/x" }), "NotApplicable");
        assert.equal(
            publish({
                ...fromAlarmOf(MOCK_ACCOUNT_ID),
                context: { ...fromAlarmOf(MOCK_ACCOUNT_ID).context, "aws:SecureTransport": false },
            }),
            "Deny",
        );
    });

    it("ranks top talkers and rejected sources on the flow-log group", () => {
        const logGroup = only(run.resources, AWS_TYPES.logGroup);
        const rules = find(AWS_TYPES.contributorInsightRule);
        assert.deepEqual(
            rules.map((r) => r.inputs.ruleName),
            ["vpc-flow-monitoring-test-top-talkers", "vpc-flow-monitoring-test-top-rejected-sources"],
        );
        for (const rule of rules) {
            assert.equal(rule.inputs.ruleState, "ENABLED");
            assert.deepEqual(JSON.parse(rule.inputs.ruleDefinition).LogGroupNames, [logGroup.state.name]);
        }
    });

    it("shows a dashboard of this stack only: its region, log group, saved queries, metrics, alarm and rules", () => {
        const dashboard = only(run.resources, AWS_TYPES.dashboard);
        const problems = dashboardProblems(dashboard.inputs.dashboardBody, {
            region: "us-east-1",
            logGroupName: only(run.resources, AWS_TYPES.logGroup).state.name,
            namespace: NAMESPACE,
            queryStrings: find(AWS_TYPES.queryDefinition).map((q) => q.inputs.queryString),
            metricNames: find(AWS_TYPES.logMetricFilter).map((f) => f.inputs.metricTransformation.name),
            alarmArns: find(AWS_TYPES.metricAlarm).map((a) => a.state.arn),
            ruleNames: find(AWS_TYPES.contributorInsightRule).map((r) => r.inputs.ruleName),
        });
        assert.deepEqual(problems, []);
        const widgets = JSON.parse(dashboard.inputs.dashboardBody).widgets;
        assert.match(widgets[0].properties.query, /stats sum\(bytes\) as bytesTransferred by srcAddr, dstAddr/);
    });

    it("exports the dashboard's console address", () =>
        assert.equal(
            run.outputs.monitoringDashboardUrl,
            "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/vpc-flow-monitoring-test",
        ));
});

describe("FlowLogMetrics and AlarmTopic, with every option", () => {
    let resources: RecordedResource[];
    before(async () => {
        const mocks = await useMocks();
        const topic = new AlarmTopic("alerts", { emails: ["ops@example.com", "oncall@example.org"] });
        new FlowLogMetrics("metrics", {
            logGroupName: "flows",
            namespace: NAMESPACE,
            vpcCidrBlocks: ["10.1.0.0/16", "10.2.0.0/16"],
            alarmTopicArn: topic.topicArn,
            rejectedFlows: { threshold: 5, periodSeconds: 60, evaluationPeriods: 2 },
            pingStopped: { periodSeconds: 600, evaluationPeriods: 2 },
        });
        await settle();
        resources = mocks.resources;
    });

    it("subscribes each configured address by email", () => {
        const topic = only(resources, AWS_TYPES.snsTopic);
        const subscriptions = resources.filter((r) => r.type === AWS_TYPES.snsTopicSubscription);
        assert.deepEqual(
            subscriptions.map((s) => [s.inputs.topic, s.inputs.protocol, s.inputs.endpoint]),
            [
                [topic.state.arn, "email", "ops@example.com"],
                [topic.state.arn, "email", "oncall@example.org"],
            ],
        );
    });

    it("alarms when the ping stops: under one accepted ICMP packet, and no data counts as a breach", () => {
        const topic = only(resources, AWS_TYPES.snsTopic);
        const ping = only(resources, AWS_TYPES.metricAlarm, "metrics-ping-stopped");
        const { inputs } = ping;
        assert.deepEqual(
            [inputs.metricName, inputs.comparisonOperator, inputs.threshold, inputs.treatMissingData],
            ["AcceptedIcmpPacketsBetweenVpcs", "LessThanThreshold", 1, "breaching"],
        );
        assert.deepEqual([inputs.period, inputs.evaluationPeriods], [600, 2]);
        assert.deepEqual(inputs.alarmActions, [topic.state.arn]);
    });

    it("takes the rejected-flows alarm's threshold and periods as given", () => {
        const { inputs } = only(resources, AWS_TYPES.metricAlarm, "metrics-rejected-flows");
        assert.deepEqual([inputs.threshold, inputs.period, inputs.evaluationPeriods], [5, 60, 2]);
    });
});

describe("the program, with monitoring on and no flow logs", () => {
    it("stops before declaring anything, naming both keys, instead of a half-built stack", async () => {
        const config = withConfig(devConfig(), "vpcs", withoutFlowLogs);
        const { error, resources } = await runFailingProgram(config);
        assert.match(
            error.message,
            /vpc-flow-monitoring:monitoring\.enabled = true: needs flow logs, but vpcs\.vpc1\.flowLogs and vpcs\.vpc2\.flowLogs are all false/,
        );
        assert.deepEqual(resources, []);
    });
});
