import type { AccountScope } from "../../model/iamDocuments";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";

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
