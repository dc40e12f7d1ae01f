import { Cidr, coversAddressSpace, parseCidr } from "./cidr";
import { quote } from "./messageText";

/**
 * Whether security-group ingress lets ICMP in from the whole internet. Pure: callers turn their
 * resources into {@link IcmpIngress} entries, marking what is not known yet and what cannot be
 * judged at all.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
 */

const ICMP_NAMES = new Set(["icmp", "icmpv6", "all"]);
/** ICMP (1), ICMPv6 (58), and -1, which is all traffic and so ICMP too. */
const ICMP_NUMBERS = new Set([1, 58, -1]);

/** Whether a rule's protocol admits ICMP, however it is spelled: name or number, any case, string or number. */
export function admitsIcmp(protocol: unknown): boolean {
    return icmpProtocol(protocol) === true;
}

/**
 * Whether a protocol admits ICMP: `true`/`false` for a protocol name or number (or none given),
 * `undefined` for a value that cannot be judged: another type, a fraction, a placeholder such as
 * `"[secret]"`, text that is neither a name nor a number.
 */
export function icmpProtocol(protocol: unknown): boolean | undefined {
    if (protocol === undefined || protocol === null) return false;
    if (typeof protocol === "number") return Number.isInteger(protocol) ? ICMP_NUMBERS.has(protocol) : undefined;
    if (typeof protocol !== "string") return undefined;
    const text = protocol.trim().toLowerCase();
    if (text === "") return false;
    if (/^[+-]?\d+$/.test(text)) return ICMP_NUMBERS.has(Number(text));
    return /^[a-z][a-z0-9-]*$/.test(text) ? ICMP_NAMES.has(text) : undefined;
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

/** One field of a rule that holds CIDR sources: one block, or a list of them. */
export interface SourceField {
    /** How messages name it, e.g. `cidrIpv4` or `ingress[0].cidrBlocks`. */
    readonly name: string;
    readonly value: unknown;
    /** Whether it holds a list (`cidrBlocks`) rather than one block (`cidrIpv4`). */
    readonly list: boolean;
}

export type RuleSources = Pick<IcmpIngress<never>, "blocks" | "sourcesUnknown" | "unjudged">;

/**
 * Reads a rule's CIDR source fields: blocks that parse (as the AWS provider accepts them, see
 * {@link parseCidr}), whether some are not known yet (`isPending`), and every other value, named
 * for messages: text that is not a CIDR (`"0/0"`, `"any"`, a zone id, `"[secret]"`), other types,
 * nested lists, a list where one block belongs and one block where a list belongs. Absent values
 * (`undefined`, `null`, `""`) are no sources. Linear in the values.
 */
export function readSources(
    fields: readonly SourceField[],
    parse: (source: unknown) => Cidr | undefined,
    isPending: (value: unknown) => boolean,
): RuleSources {
    const blocks: Cidr[] = [];
    const unjudged: string[] = [];
    let sourcesUnknown = false;
    const one = (value: unknown, name: string) => {
        if (value === undefined || value === null || value === "") return;
        if (isPending(value)) {
            sourcesUnknown = true;
            return;
        }
        const block = parse(value);
        if (block) blocks.push(block);
        else unjudged.push(`${name} ${quote(value)}`);
    };
    for (const { name, value, list } of fields) {
        if (list && Array.isArray(value)) value.forEach((item, index) => one(item, `${name}[${index}]`));
        else if (list && typeof value === "string" && value !== "") unjudged.push(`${name} ${quote(value)}`);
        else one(value, name);
    }
    return { blocks, sourcesUnknown, unjudged };
}

/** One rule's contribution to a security group's ingress, as far as it is known. */
export interface IcmpIngress<T> {
    /** The resource the rule belongs to (a group with inline rules, or a standalone rule). */
    readonly owner: T;
    /** Whether it admits ICMP; `undefined` while its protocol (or direction) is not known or cannot be judged. */
    readonly icmp: boolean | undefined;
    /** When `icmp` is `undefined` because of a value that cannot be judged (not one not known yet): that value, named. */
    readonly icmpUnjudged?: string;
    /** Its CIDR sources that are known. */
    readonly blocks: readonly Cidr[];
    /** Whether some of its sources are not known yet. */
    readonly sourcesUnknown: boolean;
    /** Sources (or the rule itself) that cannot be judged, named for messages. */
    readonly unjudged?: readonly string[];
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
    /** Not open on what is judged, and these values, which cannot be judged, could make it so. */
    readonly unjudged: readonly string[];
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
    const unjudgedSources: string[] = [];
    const unjudgedProtocols: string[] = [];
    let sourcesUnknown = false;
    let protocolUnknown = false;
    for (const rule of rules) {
        if (rule.icmp === false) continue;
        sourcesUnknown ||= rule.sourcesUnknown;
        for (const note of rule.unjudged ?? []) unjudgedSources.push(note);
        let inFamily = false;
        for (const block of rule.blocks) {
            if (block.version !== family) continue;
            inFamily = true;
            if (rule.icmp === true) {
                blocks.push(block);
                owners.add(rule.owner);
            } else maybeBlocks.push(block);
        }
        if (rule.icmp === undefined && inFamily) {
            if (rule.icmpUnjudged === undefined) protocolUnknown = true;
            else unjudgedProtocols.push(rule.icmpUnjudged);
        }
    }
    const open = blocks.length > 0 && coversAddressSpace(blocks, family);
    const maybeOpen = !open && maybeBlocks.length > 0 && coversAddressSpace([...blocks, ...maybeBlocks], family);
    const undetermined = !open && (sourcesUnknown || (protocolUnknown && maybeOpen));
    const unjudged = open ? [] : maybeOpen ? [...unjudgedSources, ...unjudgedProtocols] : unjudgedSources;
    return { family, open, undetermined, unjudged, owners: [...owners], blocks };
}
