/**
 * What a monitoring dashboard's body must satisfy, as problems found: valid JSON in CloudWatch's
 * dashboard body structure, widgets on the 24-wide grid without overlap, and every widget about
 * this stack: its region, its log group with one of its saved queries, its namespace's metrics,
 * its alarms and its Contributor Insights rules.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */

export interface DashboardExpectations {
    readonly region: string;
    readonly logGroupName: string;
    readonly namespace: string;
    readonly queryStrings: readonly string[];
    readonly metricNames: readonly string[];
    readonly alarmArns: readonly string[];
    readonly ruleNames: readonly string[];
}

const TYPES = ["log", "metric", "alarm", "text"];

export function dashboardProblems(bodyText: string, expected: DashboardExpectations): string[] {
    let body: any;
    try {
        body = JSON.parse(bodyText);
    } catch (error) {
        return [`not JSON: ${(error as Error).message}`];
    }
    if (!Array.isArray(body?.widgets)) return ["no widgets array"];
    const problems: string[] = [];
    const cells = new Set<string>();
    body.widgets.forEach((w: any, i: number) => {
        const at = `widget ${i} (${w?.properties?.title ?? w?.type})`;
        if (!TYPES.includes(w?.type)) problems.push(`${at}: type ${w?.type} is not a widget type`);
        for (const key of ["x", "y", "width", "height"])
            if (!Number.isInteger(w[key]) || w[key] < 0) problems.push(`${at}: ${key} is not a grid position`);
        if (w.x + w.width > 24) problems.push(`${at}: extends beyond the 24-unit grid`);
        for (let x = w.x; x < w.x + w.width; x++)
            for (let y = w.y; y < w.y + w.height; y++) {
                if (cells.has(`${x},${y}`)) problems.push(`${at}: overlaps another widget at ${x},${y}`);
                cells.add(`${x},${y}`);
            }
        const p = w.properties ?? {};
        if (w.type !== "alarm" && w.type !== "text" && p.region !== expected.region)
            problems.push(`${at}: region ${p.region}, not ${expected.region}`);
        if (w.type === "log") {
            const prefix = `SOURCE '${expected.logGroupName}' | `;
            if (typeof p.query !== "string" || !p.query.startsWith(prefix))
                problems.push(`${at}: does not read the stack's log group ${expected.logGroupName}`);
            else if (!expected.queryStrings.includes(p.query.slice(prefix.length)))
                problems.push(`${at}: its query is none of the saved queries`);
        }
        if (w.type === "metric" && p.insightRule !== undefined) {
            if (!expected.ruleNames.includes(p.insightRule.ruleName))
                problems.push(`${at}: rule ${p.insightRule.ruleName} is none of the stack's rules`);
        } else if (w.type === "metric") {
            const metrics = Array.isArray(p.metrics) ? p.metrics : [];
            if (metrics.length === 0) problems.push(`${at}: graphs no metric`);
            for (const [namespace, name] of metrics)
                if (namespace !== expected.namespace || !expected.metricNames.includes(name))
                    problems.push(`${at}: ${namespace}/${name} is not one of the stack's metrics`);
        }
        if (w.type === "alarm") {
            const alarms: unknown[] = Array.isArray(p.alarms) ? p.alarms : [];
            if (alarms.length === 0 || alarms.some((a) => !expected.alarmArns.includes(a as string)))
                problems.push(`${at}: shows alarms other than the stack's`);
        }
    });
    return problems;
}
