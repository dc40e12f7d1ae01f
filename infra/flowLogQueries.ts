import * as aws from "./lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { typeToken } from "./lib/component";
import { insightsQueries } from "./lib/insightsQueries";

export interface FlowLogQueriesArgs {
    /** The log group the queries run over. */
    readonly logGroupName: pulumi.Input<string>;
    /** Blocks of the peered VPCs, for the query of ICMP between them (needs two or more). */
    readonly vpcCidrBlocks: readonly string[];
    /**
     * Folder of the saved queries in the console (Logs Insights shows `/` as folders).
     * @default the component's name
     */
    readonly folder?: string;
}

/** Saved CloudWatch Logs Insights queries over a flow-log group. */
export class FlowLogQueries extends pulumi.ComponentResource {
    /** The saved queries' names, as the console lists them. */
    public readonly queryNames: pulumi.Output<string>[];

    constructor(name: string, args: FlowLogQueriesArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(typeToken("monitoring", "FlowLogQueries"), name, {}, opts);
        const folder = args.folder ?? name;
        const definitions = insightsQueries(args.vpcCidrBlocks).map(
            (query) =>
                new aws.cloudwatch.QueryDefinition(
                    `${name}-${query.key}`,
                    {
                        name: `${folder}/${query.title}`,
                        queryString: query.queryString,
                        logGroupNames: [args.logGroupName],
                    },
                    { parent: this },
                ),
        );
        this.queryNames = definitions.map((definition) => definition.name);
        this.registerOutputs({ queryNames: this.queryNames });
    }
}
