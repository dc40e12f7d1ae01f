import { strict as assert } from "assert";
import {
    dashboardBody,
    dashboardName,
    dashboardUrl,
    dashboardWidgets,
    DashboardSpec,
} from "../../../infra/lib/dashboard";
import { insightsQueries, TOP_BYTE_TRANSFERS } from "../../../infra/lib/insightsQueries";
import { dashboardProblems, DashboardExpectations } from "../../helpers/dashboardBody";

const queries = insightsQueries(["10.1.0.0/16", "10.2.0.0/16"]);
const SPEC: DashboardSpec = {
    region: "eu-west-1",
    logGroupName: "flow-logs-logs-1a2b3c",
    namespace: "vpc-flow-monitoring/dev",
    // Out of order on purpose: the seeds' query comes first whatever the order given.
    queries: [...queries.slice(1), queries[0]],
    metrics: [
        { metricName: "RejectedFlows", title: "Rejected flows" },
        { metricName: "AcceptedIcmpPacketsBetweenVpcs", title: "Ping between the VPCs" },
    ],
    alarmArns: ["arn:aws:cloudwatch:eu-west-1:111122223333:alarm:rejected"],
    contributorRules: [{ ruleName: "dev-top-talkers", title: "Top talkers" }],
};
const EXPECTED: DashboardExpectations = {
    region: SPEC.region,
    logGroupName: SPEC.logGroupName,
    namespace: SPEC.namespace,
    queryStrings: queries.map((q) => q.queryString),
    metricNames: ["RejectedFlows", "AcceptedIcmpPacketsBetweenVpcs"],
    alarmArns: SPEC.alarmArns,
    ruleNames: ["dev-top-talkers"],
};

describe("monitoring dashboard body", () => {
    it("is a valid dashboard about this stack only: its region, log group, saved queries, metrics, alarms and rules", () =>
        assert.deepEqual(dashboardProblems(dashboardBody(SPEC), EXPECTED), []));

    const strays: { name: string; spec: Partial<DashboardSpec> }[] = [
        { name: "another region", spec: { region: "us-east-1" } },
        { name: "another log group", spec: { logGroupName: "other" } },
        {
            name: "a query that is not saved",
            spec: { queries: [{ key: "x", title: "x", queryString: "fields @message" }] },
        },
        { name: "another namespace", spec: { namespace: "AWS/EC2" } },
        { name: "an alarm of another stack", spec: { alarmArns: ["arn:aws:cloudwatch:eu-west-1:1:alarm:other"] } },
        { name: "another rule", spec: { contributorRules: [{ ruleName: "other", title: "t" }] } },
    ];
    for (const stray of strays)
        it(`is caught when a widget refers to ${stray.name}`, () =>
            assert.notDeepEqual(dashboardProblems(dashboardBody({ ...SPEC, ...stray.spec }), EXPECTED), []));

    it("shows the seeds' top 10 byte transfers first, across the full width", () => {
        const [first] = dashboardWidgets(SPEC);
        assert.equal(first.type, "log");
        assert.equal(first.properties.query, `SOURCE '${SPEC.logGroupName}' | ${TOP_BYTE_TRANSFERS}`);
        assert.deepEqual([first.x, first.y, first.width], [0, 0, 24]);
    });

    it("shows every saved query, every metric as a graph, the alarms' state and every rule", () => {
        const widgets = dashboardWidgets(SPEC);
        const count = (predicate: (w: (typeof widgets)[number]) => boolean) => widgets.filter(predicate).length;
        assert.equal(
            count((w) => w.type === "log"),
            queries.length,
        );
        assert.equal(
            count((w) => w.type === "metric" && w.properties.view === "timeSeries" && !!w.properties.metrics),
            2,
        );
        assert.equal(
            count((w) => w.type === "alarm"),
            1,
        );
        assert.equal(
            count((w) => w.type === "metric" && !!w.properties.insightRule),
            1,
        );
    });

    it("sums metric-filter data per period", () => {
        const graphs = dashboardWidgets({ ...SPEC, periodSeconds: 60 }).filter((w) => w.properties.metrics);
        for (const graph of graphs) assert.deepEqual([graph.properties.stat, graph.properties.period], ["Sum", 60]);
    });

    it("links to the dashboard in its region's console", () =>
        assert.equal(
            dashboardUrl("eu-west-1", "vpc-flow-monitoring-dev"),
            "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/vpc-flow-monitoring-dev",
        ));
});

describe("dashboardName", () => {
    it("keeps a project and stack name CloudWatch accepts as they are", () =>
        assert.equal(dashboardName("vpc-flow-monitoring", "dev"), "vpc-flow-monitoring-dev"));

    it("turns what PutDashboard refuses (a stack name's dots) into dashes", () =>
        assert.equal(dashboardName("vpc-flow-monitoring", "eu.prod"), "vpc-flow-monitoring-eu-prod"));
});
