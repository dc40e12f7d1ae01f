import * as aws from "./lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { nameTags, typeToken } from "./lib/component";
import { contributorRules } from "./lib/contributorRules";

export interface ContributorInsightsArgs {
    /** The flow-log group the rules read (plain: it goes into each rule's definition). */
    readonly logGroupName: pulumi.Input<string>;
    /** Prefix of the rules' names, unique in the account and region (e.g. project and stack). */
    readonly rulePrefix: string;
    /**
     * Tags for every rule; each also gets a `Name`.
     * @default {}
     */
    readonly tags?: Record<string, string>;
}

/**
 * Contributor Insights rules on the flow-log group: top talkers by bytes and top sources of
 * rejected flows.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights.html
 */
export class ContributorInsights extends pulumi.ComponentResource {
    /** The rules' names and titles, in order. */
    public readonly rules: { readonly ruleName: string; readonly title: string }[];

    constructor(name: string, args: ContributorInsightsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(typeToken("monitoring", "ContributorInsights"), name, {}, opts);
        // The rule list is fixed; only the log group's name is known later.
        const definitions = pulumi.output(args.logGroupName).apply(contributorRules);
        this.rules = contributorRules("").map((rule, index) => {
            const ruleName = `${args.rulePrefix}-${rule.key}`;
            new aws.cloudwatch.ContributorInsightRule(
                `${name}-${rule.key}`,
                {
                    ruleName,
                    ruleState: "ENABLED",
                    ruleDefinition: definitions.apply((all) => JSON.stringify(all[index].definition)),
                    tags: nameTags(`${name}-${rule.key}`, args.tags),
                },
                // A rule is its name (PutInsightRule overwrites by name): a replacement created first
                // would be the old rule rewritten, and deleting the old one would then delete it.
                { parent: this, deleteBeforeReplace: true },
            );
            return { ruleName, title: rule.title };
        });
        this.registerOutputs({ rules: this.rules });
    }
}
