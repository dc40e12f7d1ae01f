import { FLOW_LOG_FIELDS } from "../../model/flowLogFormat";

/**
 * Contributor Insights rules over flow-log records in the project's one format, in the syntax AWS
 * documents for flow logs: a `CloudWatchLogRule` on `CLF` records, whose fields are named by
 * their 1-based position.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-RuleSyntax.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-Rule-Examples.html
 */

type FieldName = (typeof FLOW_LOG_FIELDS)[number]["name"];

export interface ContributorRuleDefinition {
    readonly Schema: { readonly Name: "CloudWatchLogRule"; readonly Version: 1 };
    readonly LogGroupNames: readonly string[];
    readonly LogFormat: "CLF";
    readonly Fields: Readonly<Record<string, string>>;
    readonly Contribution: {
        readonly Keys: readonly string[];
        readonly ValueOf?: string;
        readonly Filters: readonly { readonly Match: string; readonly In: readonly string[] }[];
    };
    readonly AggregateOn: "Sum" | "Count";
}

/** `{ "4": "srcaddr", … }`: the position of each named field in the record. */
export function fieldPositions(names: readonly FieldName[]): Record<string, string> {
    const positions: Record<string, string> = {};
    for (const name of names) {
        const index = FLOW_LOG_FIELDS.findIndex((field) => field.name === name);
        if (index < 0) throw new Error(`fieldPositions: ${name} is not a field of the flow-log format`);
        positions[String(index + 1)] = name;
    }
    return positions;
}

export interface ContributorRule {
    /** Stable key for resource and rule names. */
    readonly key: string;
    readonly title: string;
    readonly definition: ContributorRuleDefinition;
}

/** The top talkers by bytes (source and destination pairs) and the top sources of rejected flows. */
export function contributorRules(logGroupName: string): ContributorRule[] {
    const base = {
        Schema: { Name: "CloudWatchLogRule", Version: 1 },
        LogGroupNames: [logGroupName],
        LogFormat: "CLF",
    } as const;
    return [
        {
            key: "top-talkers",
            title: "Top talkers by bytes (source and destination)",
            definition: {
                ...base,
                Fields: fieldPositions(["srcaddr", "dstaddr", "bytes"]),
                Contribution: { Keys: ["srcaddr", "dstaddr"], ValueOf: "bytes", Filters: [] },
                AggregateOn: "Sum",
            },
        },
        {
            key: "top-rejected-sources",
            title: "Top sources of rejected flows",
            definition: {
                ...base,
                Fields: fieldPositions(["srcaddr", "action"]),
                Contribution: { Keys: ["srcaddr"], Filters: [{ Match: "action", In: ["REJECT"] }] },
                AggregateOn: "Count",
            },
        },
    ];
}
