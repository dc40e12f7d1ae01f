import * as ipaddr from "ipaddr.js";

/** An IP block as the closed integer range it covers. */
export interface Cidr {
    readonly version: 4 | 6;
    readonly prefixLength: number;
    /** First address of the block (the network address), as an integer. */
    readonly first: bigint;
    /** Last address of the block, as an integer. */
    readonly last: bigint;
    /** Canonical spelling: network address (host bits cleared) and prefix, e.g. `10.1.0.0/16`. */
    readonly text: string;
}

const BITS = { 4: 32, 6: 128 } as const;

function toBigInt(bytes: number[]): bigint {
    return bytes.reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
}

function fromBigInt(value: bigint, version: 4 | 6): string {
    const bytes: number[] = [];
    for (let i = 0; i < BITS[version] / 8; i++) {
        bytes.unshift(Number(value & 0xffn));
        value >>= 8n;
    }
    const address = ipaddr.fromByteArray(bytes);
    return version === 6 ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();
}

function blockOf(version: 4 | 6, address: bigint, prefixLength: number): Cidr {
    const hostBits = BigInt(BITS[version] - prefixLength);
    const first = (address >> hostBits) << hostBits;
    const last = first + (1n << hostBits) - 1n;
    return { version, prefixLength, first, last, text: `${fromBigInt(first, version)}/${prefixLength}` };
}

/**
 * Parses an IPv4 or IPv6 CIDR block as AWS accepts it: dotted-quad decimal for IPv4, any RFC 4291
 * spelling for IPv6. Host bits are allowed and cleared (`10.1.5.5/16` is `10.1.0.0/16`), as AWS
 * does. Anything else, including non-strings, gives `undefined`.
 */
export function parseCidr(value: unknown): Cidr | undefined {
    if (typeof value !== "string") return undefined;
    const text = value.trim();
    const slash = text.indexOf("/");
    if (slash < 0) return undefined;
    const addressText = text.slice(0, slash);
    const prefixText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    const isV4 = ipaddr.IPv4.isValidFourPartDecimal(addressText);
    if (!isV4 && !(ipaddr.IPv6.isValid(addressText) && addressText.includes(":"))) return undefined;
    const version = isV4 ? 4 : 6;
    const prefixLength = Number(prefixText);
    if (prefixLength > BITS[version]) return undefined;
    const address = ipaddr.parse(addressText);
    if ((address as ipaddr.IPv6).zoneId !== undefined) return undefined;
    return blockOf(version, toBigInt(address.toByteArray()), prefixLength);
}

/** Parses a single IPv4 address in dotted-quad decimal; `undefined` when it is not one. */
export function parseIpv4Address(value: unknown): bigint | undefined {
    if (typeof value !== "string" || !ipaddr.IPv4.isValidFourPartDecimal(value)) return undefined;
    return toBigInt(ipaddr.IPv4.parse(value).toByteArray());
}

/** Whether `outer` contains every address of `inner` (a block contains itself). */
export function contains(outer: Cidr, inner: Cidr): boolean {
    return outer.version === inner.version && outer.first <= inner.first && inner.last <= outer.last;
}

/** Whether the block contains the address (an integer of the same family). */
export function containsAddress(block: Cidr, address: bigint): boolean {
    return block.first <= address && address <= block.last;
}

/** Whether two blocks share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
    return a.version === b.version && a.first <= b.last && b.first <= a.last;
}

/**
 * The `index`-th block of length `prefixLength` inside `parent`, e.g. the second /24 of
 * `10.1.0.0/16` is `10.1.1.0/24`. Throws when it does not fit: callers validate first.
 */
export function subnetOf(parent: Cidr, prefixLength: number, index: number): Cidr {
    const hostBits = BigInt(BITS[parent.version] - prefixLength);
    const count = 1n << BigInt(prefixLength - parent.prefixLength);
    if (prefixLength < parent.prefixLength || BigInt(index) >= count || index < 0) {
        throw new RangeError(`${parent.text} has no block number ${index} of length /${prefixLength}`);
    }
    return blockOf(parent.version, parent.first + (BigInt(index) << hostBits), prefixLength);
}

/** One overlap found by {@link findOverlaps}: `inner` lies inside (or equals) `outer`. */
export interface Overlap<T> {
    readonly outer: T;
    readonly inner: T;
}

/**
 * Finds overlapping blocks by sorting and sweeping, in O(n log n). CIDR blocks never overlap
 * partially: two are either disjoint or nested. So each block is reported once, against the
 * innermost earlier block that contains it — every block involved in an overlap appears in at
 * least one result, and the result is never larger than the input.
 */
export function findOverlaps<T>(items: readonly T[], cidrOf: (item: T) => Cidr): Overlap<T>[] {
    const sorted = [...items].sort((a, b) => compareBlocks(cidrOf(a), cidrOf(b)));
    const found: Overlap<T>[] = [];
    const open: T[] = [];
    for (const item of sorted) {
        const block = cidrOf(item);
        while (open.length > 0 && !overlaps(cidrOf(open[open.length - 1]), block)) open.pop();
        if (open.length > 0) found.push({ outer: open[open.length - 1], inner: item });
        open.push(item);
    }
    return found;
}

/** Orders by family, then start, then the larger block first, so containers precede their contents. */
function compareBlocks(a: Cidr, b: Cidr): number {
    if (a.version !== b.version) return a.version - b.version;
    if (a.first !== b.first) return a.first < b.first ? -1 : 1;
    return a.prefixLength - b.prefixLength;
}

/**
 * Whether the union of the blocks is the whole address space of the family, e.g. `0.0.0.0/1`
 * and `128.0.0.0/1` together cover all of IPv4. Sort and sweep: O(n log n).
 */
export function coversAddressSpace(blocks: readonly Cidr[], version: 4 | 6): boolean {
    const sorted = blocks.filter((block) => block.version === version).sort(compareBlocks);
    let nextUncovered = 0n;
    for (const block of sorted) {
        if (block.first > nextUncovered) return false;
        if (block.last + 1n > nextUncovered) nextUncovered = block.last + 1n;
    }
    return nextUncovered === 1n << BigInt(BITS[version]);
}

/** The address as dotted-quad or RFC 5952 text. */
export function addressText(address: bigint, version: 4 | 6): string {
    return fromBigInt(address, version);
}
