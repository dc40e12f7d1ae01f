import { Cidr, coversAddressSpace, parseCidr } from "./cidr";

/**
 * Whether security-group ingress lets ICMP in from the whole internet. Pure: callers turn their
 * resources into {@link IcmpIngress} entries, marking what is not known yet.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
 */

const ICMP_NAMES = new Set(["icmp", "icmpv6", "all"]);
/** ICMP (1), ICMPv6 (58), and -1, which is all traffic and so ICMP too. */
const ICMP_NUMBERS = new Set([1, 58, -1]);

/** Whether a rule's protocol admits ICMP, however it is spelled: name or number, any case, string or number. */
export function admitsIcmp(protocol: unknown): boolean {
    if (typeof protocol === "number") return ICMP_NUMBERS.has(protocol);
    if (typeof protocol !== "string") return false;
    const text = protocol.trim().toLowerCase();
    return /^[+-]?\d+$/.test(text) ? ICMP_NUMBERS.has(Number(text)) : ICMP_NAMES.has(text);
}

/**
 * Source blocks of a rule that parse as CIDRs; security groups, prefix lists and `self` are not
 * CIDRs. `parse` may be a cached {@link parseCidr}: rules repeat the same few blocks.
 */
export function sourceBlocks(
    sources: readonly unknown[],
    parse: (source: unknown) => Cidr | undefined = parseCidr,
): Cidr[] {
    const blocks: Cidr[] = [];
    for (const source of sources) {
        const block = parse(source);
        if (block) blocks.push(block);
    }
    return blocks;
}

/** {@link parseCidr} remembering its answers, for one run over many rules. */
export function cachedCidrParser(): (source: unknown) => Cidr | undefined {
    const cache = new Map<string, Cidr | undefined>();
    return (source) => {
        if (typeof source !== "string") return undefined;
        if (!cache.has(source)) cache.set(source, parseCidr(source));
        return cache.get(source);
    };
}

/** One rule's contribution to a security group's ingress, as far as it is known. */
export interface IcmpIngress<T> {
    /** The resource the rule belongs to (a group with inline rules, or a standalone rule). */
    readonly owner: T;
    /** Whether it admits ICMP; `undefined` while its protocol (or direction) is not known. */
    readonly icmp: boolean | undefined;
    /** Its CIDR sources that are known. */
    readonly blocks: readonly Cidr[];
    /** Whether some of its sources are not known yet. */
    readonly sourcesUnknown: boolean;
}

export type Family = 4 | 6;
export const FAMILIES: readonly Family[] = [4, 6];

/** The verdict on one address family of one security group. */
export interface FamilyVerdict<T> {
    readonly family: Family;
    /** Known ICMP sources cover the whole family: ICMP is open to the internet. */
    readonly open: boolean;
    /** Not open on what is known, but values not known yet could make it so. */
    readonly undetermined: boolean;
    /** Owners whose ICMP sources in this family take part, in first-seen order. */
    readonly owners: readonly T[];
    /** Those sources. */
    readonly blocks: readonly Cidr[];
}

/**
 * Judges a security group's ICMP ingress, all its rules together: open when the known ICMP
 * sources of a family add up to the whole address space (`0.0.0.0/1` + `128.0.0.0/1` is as open
 * as `0.0.0.0/0`). Sort and sweep, O(n log n) in the number of blocks.
 */
export function judgeIcmpIngress<T>(rules: readonly IcmpIngress<T>[], family: Family): FamilyVerdict<T> {
    // One pass, no copies: a stack has thousands of groups, most with a rule or two.
    const blocks: Cidr[] = [];
    const maybeBlocks: Cidr[] = [];
    const owners = new Set<T>();
    let sourcesUnknown = false;
    let protocolUnknown = false;
    for (const rule of rules) {
        if (rule.icmp === false) continue;
        sourcesUnknown ||= rule.sourcesUnknown;
        for (const block of rule.blocks) {
            if (block.version !== family) continue;
            if (rule.icmp === true) {
                blocks.push(block);
                owners.add(rule.owner);
            } else {
                maybeBlocks.push(block);
                protocolUnknown = true;
            }
        }
    }
    const open = blocks.length > 0 && coversAddressSpace(blocks, family);
    const undetermined =
        !open && (sourcesUnknown || (protocolUnknown && coversAddressSpace([...blocks, ...maybeBlocks], family)));
    return { family, open, undetermined, owners: [...owners], blocks };
}
