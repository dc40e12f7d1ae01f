import { Block } from "./networkResource";

/**
 * Values keyed by IPv4 block, found by longest-prefix match: one map per prefix length, probed
 * from the longest down, so a lookup costs at most 33 probes however many blocks it holds.
 */
export class PrefixMap<T> {
    private readonly byLength = new Map<number, Map<number, T>>();
    private lengths: number[] = [];

    /** Stores a value for the block; an earlier one stays unless `replace`. */
    set(block: Block, value: T, replace = false): void {
        let values = this.byLength.get(block.prefixLength);
        if (!values) {
            values = new Map();
            this.byLength.set(block.prefixLength, values);
            this.lengths = [...this.byLength.keys()].sort((a, b) => b - a);
        }
        if (replace || !values.has(block.first)) values.set(block.first, value);
    }

    /** The value of the most specific block holding the address. */
    longest(address: number): T | undefined {
        for (const length of this.lengths) {
            const network = length === 0 ? 0 : (address & (-1 << (32 - length))) >>> 0;
            const value = this.byLength.get(length)!.get(network);
            if (value !== undefined) return value;
        }
        return undefined;
    }
}
