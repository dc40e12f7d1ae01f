/** A VPC's block and the block of another VPC of the stack, with their positions in the list. */
export interface VpcPair {
    readonly from: string;
    readonly to: string;
    readonly fromIndex: number;
    readonly toIndex: number;
}

/**
 * Every ordered pair of two different VPCs' blocks: what "traffic between the stack's VPCs" means
 * to the saved queries, the Athena queries and the ping metric alike (the config keeps the blocks
 * apart, so position and block name the same VPC).
 */
export function vpcPairs(cidrBlocks: readonly string[]): VpcPair[] {
    return cidrBlocks.flatMap((from, fromIndex) =>
        cidrBlocks.flatMap((to, toIndex) => (fromIndex === toIndex ? [] : [{ from, to, fromIndex, toIndex }])),
    );
}
