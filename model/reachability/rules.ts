import { PrefixMap } from "./prefixMap";
import { Block, blockHolds, blockOf, integer, list, text, Tri } from "./networkResource";

/**
 * Security-group and network-ACL rules, reduced to what decides an IPv4 ICMP echo: does the rule
 * cover echo requests (type 8) or replies (type 0), and whose addresses does it name.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
 */

export const ECHO_REQUEST = 8;
export const ECHO_REPLY = 0;

/** `no` wins over `unknown`: a rule that surely does not match needs no other value. */
export function both(a: Tri, b: Tri): Tri {
    if (a === "no" || b === "no") return "no";
    return a === "unknown" || b === "unknown" ? "unknown" : "yes";
}

/** Whether a protocol value covers ICMP over IPv4: `-1`/`all` covers every protocol, any type. */
function protocolOf(value: unknown): "all" | "icmp" | "other" | undefined {
    const name = typeof value === "number" ? String(value) : text(value)?.toLowerCase();
    if (name === undefined) return undefined;
    if (name === "-1" || name === "all") return "all";
    return name === "icmp" || name === "1" ? "icmp" : "other";
}

/** An ICMP type or code field: -1 means any. `fallback` stands in when the field is absent. */
function icmpField(value: unknown, wanted: number, fallback: number | undefined): Tri {
    const number = value === undefined || value === null ? fallback : integer(value);
    if (number === undefined) return "unknown";
    return number === -1 || number === wanted ? "yes" : "no";
}

/**
 * Whether a rule covers ICMP of `type` with code 0 (echo requests and replies both have code 0).
 * Security groups put the ICMP type in `fromPort` and the code in `toPort`; ACLs have their own
 * fields. `absent` is the value an omitted field takes (provider defaults differ by resource).
 */
export function coversIcmp(
    protocol: unknown,
    type: unknown,
    code: unknown,
    wanted: number,
    absent: number | undefined,
): Tri {
    const kind = protocolOf(protocol);
    if (kind === undefined) return "unknown";
    if (kind !== "icmp") return kind === "all" ? "yes" : "no";
    return both(icmpField(type, wanted, absent), icmpField(code, 0, absent));
}

/** Whom a security-group rule names: an address block, a group's members, or a prefix list we cannot expand. */
export type Peer =
    | { readonly block: Block | "ipv6" | undefined }
    | { readonly groupId: string | undefined }
    | { readonly prefixList: string };

export interface GroupRule {
    /** The rule as a reader finds it: a resource name, or the group and its inline position. */
    readonly origin: string;
    /** Whether it covers echo requests; replies pass by connection tracking. */
    readonly echo: Tri;
    readonly peers: readonly Peer[];
}

/** A list-valued field as peers: absent gives none, an unreadable list gives one unknown peer. */
function peersOf<T>(value: unknown, toPeer: (item: unknown) => T): T[] | [{ block: undefined }] {
    if (value === undefined || value === null) return [];
    const items = list(value);
    return items ? items.map(toPeer) : [{ block: undefined }];
}

/**
 * A rule in the shape of `SecurityGroup.ingress`/`egress`, `DefaultSecurityGroup` and
 * `ec2.SecurityGroupRule`: `fromPort` is the ICMP type, `toPort` the code. `groupRef` resolves a
 * group id or name to the group's canonical id.
 */
export function classicRule(
    origin: string,
    rule: Readonly<Record<string, unknown>>,
    ownGroupId: string,
    groupRef: (ref: unknown) => string | undefined,
): GroupRule {
    const peers: Peer[] = [
        ...peersOf(rule.cidrBlocks, (cidr) => ({ block: blockOf(cidr) })),
        ...peersOf(rule.prefixListIds, (id) => ({ prefixList: String(id) })),
        ...peersOf(rule.securityGroups, (ref) => ({ groupId: groupRef(ref) })),
    ];
    if (rule.sourceSecurityGroupId !== undefined) peers.push({ groupId: groupRef(rule.sourceSecurityGroupId) });
    if (rule.self === true) peers.push({ groupId: ownGroupId });
    // AWS fills in -1 for an ICMP rule without ports.
    return { origin, echo: coversIcmp(rule.protocol, rule.fromPort, rule.toPort, ECHO_REQUEST, -1), peers };
}

/** A rule in the shape of `vpc.SecurityGroupIngressRule`/`EgressRule`: one peer each. */
export function vpcRule(
    origin: string,
    rule: Readonly<Record<string, unknown>>,
    groupRef: (ref: unknown) => string | undefined,
): GroupRule {
    const peers: Peer[] = [];
    if (rule.cidrIpv4 !== undefined) peers.push({ block: blockOf(rule.cidrIpv4) });
    if (rule.cidrIpv6 !== undefined) peers.push({ block: "ipv6" });
    if (rule.prefixListId !== undefined) peers.push({ prefixList: String(rule.prefixListId) });
    if (rule.referencedSecurityGroupId !== undefined) peers.push({ groupId: groupRef(rule.referencedSecurityGroupId) });
    return { origin, echo: coversIcmp(rule.ipProtocol, rule.fromPort, rule.toPort, ECHO_REQUEST, -1), peers };
}

/** Whether a rule names the peer instance, known by its address and its groups' ids. */
function names(peer: Peer, address: number, groupIds: ReadonlySet<string>): Tri {
    if ("block" in peer) return blockHolds(peer.block, address);
    if ("groupId" in peer) return peer.groupId === undefined ? "unknown" : groupIds.has(peer.groupId) ? "yes" : "no";
    return "unknown";
}

/**
 * One direction of a security group's rules, indexed for the question "does any rule admit this
 * address": rules admitting echo from a known block sit in a prefix map (any match admits, so
 * order does not matter); the few others — group references, values not known — are scanned.
 */
export class GroupRules {
    private readonly blocks = new PrefixMap<string>();
    private readonly rest: { readonly origin: string; readonly echo: Tri; readonly peer: Peer }[] = [];

    add(rule: GroupRule): void {
        if (rule.echo === "no") return;
        for (const peer of rule.peers) {
            const block = "block" in peer ? peer.block : undefined;
            if (block === "ipv6") continue;
            if (rule.echo === "yes" && block !== undefined) this.blocks.set(block, rule.origin);
            else this.rest.push({ origin: rule.origin, echo: rule.echo, peer });
        }
    }

    /** A rule that admits the peer, or the first whose answer is not known. */
    admit(address: number, groupIds: ReadonlySet<string>): { readonly verdict: Tri; readonly origin?: string } {
        const origin = this.blocks.longest(address);
        if (origin !== undefined) return { verdict: "yes", origin };
        let undecided: string | undefined;
        for (const { origin, echo, peer } of this.rest) {
            const match = both(echo, names(peer, address, groupIds));
            if (match === "yes") return { verdict: "yes", origin };
            if (match === "unknown") undecided ??= origin;
        }
        return undecided === undefined ? { verdict: "no" } : { verdict: "unknown", origin: undecided };
    }
}

/** A network ACL entry with what it says about echo requests and replies. */
export interface AclRule {
    /** Rule number; `undefined` when not known, which sorts it first so its match stays undecided. */
    readonly number: number | undefined;
    readonly allow: Tri;
    readonly request: Tri;
    readonly reply: Tri;
    readonly block: Block | "ipv6" | undefined;
}

/**
 * An ACL entry from its fields. Inline entries (`NetworkAcl`, `DefaultNetworkAcl`) default an
 * omitted ICMP type and code to 0, as the provider documents; `NetworkAclRule` requires them.
 */
export function aclRule(
    number: unknown,
    action: unknown,
    rule: Readonly<Record<string, unknown>>,
    absentIcmp: number | undefined,
): AclRule {
    const verb = text(action)?.toLowerCase();
    const covers = (type: number) => coversIcmp(rule.protocol, rule.icmpType, rule.icmpCode, type, absentIcmp);
    const block =
        rule.cidrBlock !== undefined ? blockOf(rule.cidrBlock) : rule.ipv6CidrBlock !== undefined ? "ipv6" : undefined;
    return {
        number: integer(number),
        allow: verb === "allow" ? "yes" : verb === "deny" ? "no" : "unknown",
        request: covers(ECHO_REQUEST),
        reply: covers(ECHO_REPLY),
        block,
    };
}

/** Orders entries as AWS evaluates them: lowest number first, unknown numbers before all. */
export function sortAclRules(rules: AclRule[]): void {
    rules.sort((a, b) => (a.number ?? -Infinity) - (b.number ?? -Infinity));
}

export interface AclVerdict {
    readonly verdict: "allow" | "deny" | "unknown";
    /** The deciding entry's number; absent for the implicit final deny. */
    readonly number?: number;
}

/** First match wins; no match is the implicit deny (`*`). Rules must be sorted. */
export function aclVerdict(rules: readonly AclRule[], type: number, address: number): AclVerdict {
    for (const rule of rules) {
        const match = both(type === ECHO_REQUEST ? rule.request : rule.reply, blockHolds(rule.block, address));
        if (match === "no") continue;
        if (match === "unknown" || rule.allow === "unknown" || rule.number === undefined) {
            return { verdict: "unknown", number: rule.number };
        }
        return { verdict: rule.allow === "yes" ? "allow" : "deny", number: rule.number };
    }
    return { verdict: "deny" };
}
