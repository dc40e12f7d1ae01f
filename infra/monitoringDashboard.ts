import * as aws from "./lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { typeToken } from "./lib/component";
import { dashboardBody, DashboardMetric, dashboardUrl } from "./lib/dashboard";
import { SavedQuery } from "./lib/insightsQueries";

export interface MonitoringDashboardArgs {
    /** The dashboard's name, unique in the account (e.g. project and stack). */
    readonly dashboardName: string;
    readonly logGroupName: pulumi.Input<string>;
    readonly namespace: string;
    /** The saved Logs Insights queries shown as log widgets. */
    readonly queries: readonly SavedQuery[];
    readonly metrics: readonly DashboardMetric[];
    readonly alarmArns: readonly pulumi.Input<string>[];
    readonly contributorRules: readonly { readonly ruleName: string; readonly title: string }[];
    /**
     * Seconds per point of the metric graphs.
     * @default 300
     */
    readonly periodSeconds?: number;
}

/** The stack's CloudWatch dashboard, its body built by `dashboardBody`. */
export class MonitoringDashboard extends pulumi.ComponentResource {
    /** The dashboard in the console. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: MonitoringDashboardArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(typeToken("monitoring", "MonitoringDashboard"), name, {}, opts);
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const body = pulumi
            .all([region, args.logGroupName, pulumi.all([...args.alarmArns])])
            .apply(([region, logGroupName, alarmArns]) =>
                dashboardBody({
                    region,
                    logGroupName,
                    alarmArns,
                    namespace: args.namespace,
                    queries: args.queries,
                    metrics: args.metrics,
                    contributorRules: args.contributorRules,
                    periodSeconds: args.periodSeconds,
                }),
            );
        const dashboard = new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            { dashboardName: args.dashboardName, dashboardBody: body },
            { parent: this },
        );
        this.url = pulumi.all([region, dashboard.dashboardName]).apply(([r, n]) => dashboardUrl(r, n));
        this.registerOutputs({ url: this.url });
    }
}
