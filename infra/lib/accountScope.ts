import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";

/** The partition, region and account a component deploys into, as its policy documents name them. */
export interface AccountScope {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
}

/** Looks up the deploying account's scope once, for a component's policy documents and ARNs. */
export function accountScope(parent: pulumi.Resource): pulumi.Output<AccountScope> {
    return pulumi
        .all([
            aws.getPartitionOutput({}, { parent }).partition,
            aws.getRegionOutput({}, { parent }).region,
            aws.getCallerIdentityOutput({}, { parent }).accountId,
        ])
        .apply(([partition, region, accountId]) => ({ partition, region, accountId }));
}
