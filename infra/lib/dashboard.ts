import { SavedQuery, TOP_BYTE_TRANSFERS } from "./insightsQueries";

/**
 * The monitoring dashboard's body, as CloudWatch's dashboard body structure describes it: a grid
 * 24 units wide of log, metric (also for Contributor Insights rules) and alarm widgets.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */

export interface DashboardMetric {
    readonly metricName: string;
    readonly title: string;
    /** The statistic summed per period: metric filters publish one data point per record. */
    readonly stat?: "Sum";
}

export interface DashboardSpec {
    readonly region: string;
    readonly logGroupName: string;
    readonly namespace: string;
    /** The saved Logs Insights queries; the seeds' top byte transfers is shown first. */
    readonly queries: readonly SavedQuery[];
    readonly metrics: readonly DashboardMetric[];
    readonly alarmArns: readonly string[];
    readonly contributorRules: readonly { readonly ruleName: string; readonly title: string }[];
    /**
     * Seconds per point of the metric graphs.
     * @default 300
     */
    readonly periodSeconds?: number;
}

export interface Widget {
    readonly type: "log" | "metric" | "alarm" | "text";
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly properties: Record<string, unknown>;
}

export const GRID_WIDTH = 24;

/** The text of a log widget's query: the saved query over one log group. */
export function logWidgetQuery(logGroupName: string, queryString: string): string {
    return `SOURCE '${logGroupName.replace(/'/g, "\\'")}' | ${queryString}`;
}

/** Widgets of one size, laid out left to right and wrapped, below `top`. */
function layout(top: number, width: number, height: number, items: Omit<Widget, "x" | "y" | "width" | "height">[]) {
    const perRow = Math.floor(GRID_WIDTH / width);
    const widgets = items.map((item, i) => ({
        ...item,
        x: (i % perRow) * width,
        y: top + Math.floor(i / perRow) * height,
        width,
        height,
    }));
    return { widgets, bottom: top + Math.ceil(items.length / perRow) * height };
}

/** The dashboard's widgets: top byte transfers, alarms, metric graphs, contributors, the other queries. */
export function dashboardWidgets(spec: DashboardSpec): Widget[] {
    const { region } = spec;
    const period = spec.periodSeconds ?? 300;
    const logWidget = (query: SavedQuery) => ({
        type: "log" as const,
        properties: {
            title: query.title,
            region,
            query: logWidgetQuery(spec.logGroupName, query.queryString),
            view: "table",
        },
    });
    const first = spec.queries.filter((q) => q.queryString === TOP_BYTE_TRANSFERS);
    const others = spec.queries.filter((q) => q.queryString !== TOP_BYTE_TRANSFERS);

    const widgets: Widget[] = [];
    let top = 0;
    const add = (width: number, height: number, items: Omit<Widget, "x" | "y" | "width" | "height">[]) => {
        const placed = layout(top, width, height, items);
        widgets.push(...placed.widgets);
        top = placed.bottom;
    };
    add(GRID_WIDTH, 6, first.map(logWidget));
    if (spec.alarmArns.length > 0)
        add(GRID_WIDTH, 3, [{ type: "alarm", properties: { title: "Alarms", alarms: [...spec.alarmArns] } }]);
    add(
        12,
        6,
        spec.metrics.map((metric) => ({
            type: "metric",
            properties: {
                title: metric.title,
                region,
                metrics: [[spec.namespace, metric.metricName]],
                stat: metric.stat ?? "Sum",
                period,
                view: "timeSeries",
                stacked: false,
            },
        })),
    );
    add(
        12,
        6,
        spec.contributorRules.map((rule) => ({
            type: "metric",
            properties: {
                title: rule.title,
                region,
                insightRule: { maxContributorCount: 10, orderBy: "Sum", ruleName: rule.ruleName },
                legend: { position: "bottom" },
                period: 60,
                view: "timeSeries",
                stacked: false,
            },
        })),
    );
    add(GRID_WIDTH, 6, others.map(logWidget));
    return widgets;
}

/** The dashboard body, as the `dashboardBody` JSON text. */
export function dashboardBody(spec: DashboardSpec): string {
    return JSON.stringify({ widgets: dashboardWidgets(spec) });
}

/** The console address of a dashboard. */
/**
 * A dashboard name for a project's stack: CloudWatch allows only letters, digits, `-` and `_`
 * (PutDashboard's DashboardName), where a Pulumi stack name may also hold `.`.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html
 */
export function dashboardName(project: string, stack: string): string {
    return `${project}-${stack}`.replace(/[^A-Za-z0-9_-]/g, "-");
}

export function dashboardUrl(region: string, dashboardName: string): string {
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${encodeURIComponent(dashboardName)}`;
}
