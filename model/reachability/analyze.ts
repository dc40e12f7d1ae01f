import { AclNode, buildNetwork, GroupNode, InstanceNode, Network, RouteTableNode, SubnetNode, VpcNode } from "./graph";
import { NetworkResource } from "./networkResource";
import { aclVerdict, ECHO_REPLY, ECHO_REQUEST } from "./rules";

/** One end of a pair: the instance as the code names it, and the address the other end pings. */
export interface Endpoint {
    /** Logical name (the id when the source has none). */
    readonly name: string;
    readonly id: string;
    /** Private IPv4 address; absent when not known. */
    readonly privateIp?: string;
}

/** `not-determinable` when a value the answer depends on is not known, e.g. an id at preview. */
export type Verdict = "reachable" | "blocked" | "not-determinable";

export interface ReachabilityResult {
    readonly from: Endpoint;
    readonly to: Endpoint;
    readonly protocol: "icmp";
    /** True only when proven reachable. */
    readonly reachable: boolean;
    readonly verdict: Verdict;
    /** The path taken when reachable; otherwise the first component that blocks, and why. */
    readonly reason: string;
    /** The id of the component that blocks (security group, route table, peering, ACL), when blocked. */
    readonly blockedBy?: string;
}

/** Where an instance sits: everything the walk consults for it, resolved once. */
interface Placement {
    readonly instance: InstanceNode;
    readonly address: number;
    readonly ip: string;
    readonly subnet: SubnetNode;
    readonly vpc: VpcNode;
    readonly table: RouteTableNode;
    readonly acl: AclNode;
    readonly groups: readonly GroupNode[];
    readonly groupIds: ReadonlySet<string>;
}

/** A step of the walk: passed (with what to show in the path), blocked, or not decidable. */
type Step =
    { readonly hop?: string } | { readonly blocked: string; readonly by: string } | { readonly unknown: string };

const NOT_DETERMINABLE = "not determinable:";

/**
 * For ICMP echo from every instance to every other instance's private address, whether it gets a
 * reply — walking what AWS walks: the source's security groups, its subnet's route table (longest
 * prefix; `local` inside the VPC; a peering connection only if it joins these two VPCs and is
 * active), both subnets' network ACLs, the destination's security groups, and the way back
 * (routes again, and ACLs, which are stateless; security groups are stateful).
 * Never throws on missing or unknown values: such pairs come back `not-determinable`.
 * @see https://docs.aws.amazon.com/vpc/latest/reachability/how-reachability-analyzer-works.html
 */
export function analyzeReachability(resources: readonly NetworkResource[]): ReachabilityResult[] {
    const network = buildNetwork(resources);
    const placements = network.instances.map((instance) => place(network, instance));
    const endpoints = network.instances.map(endpointOf);
    const results: ReachabilityResult[] = [];
    for (let i = 0; i < placements.length; i++) {
        for (let j = 0; j < placements.length; j++) {
            if (i !== j) results.push(pair(network, placements[i], placements[j], endpoints[i], endpoints[j]));
        }
    }
    return results;
}

/** One line per ordered pair, for the checker's output. */
export function formatReachability(result: ReachabilityResult): string {
    const end = (endpoint: Endpoint) => `${endpoint.name} (${endpoint.privateIp ?? "address not known"})`;
    const verdict = result.verdict === "not-determinable" ? "not determinable" : result.verdict;
    const reason = result.reason.startsWith(NOT_DETERMINABLE)
        ? result.reason.slice(NOT_DETERMINABLE.length).trim()
        : result.reason;
    return `${end(result.from)} -> ${end(result.to)} ${result.protocol}: ${verdict}: ${reason}`;
}

function place(network: Network, instance: InstanceNode): Placement | string {
    const unknown = (what: string) => `${NOT_DETERMINABLE} ${what}`;
    const { name } = instance;
    if (instance.address === undefined || instance.privateIp === undefined)
        return unknown(`the private IP of ${name} is not known`);
    if (!instance.subnetId) return unknown(`the subnet of ${name} is not known`);
    const subnet = network.subnets.get(instance.subnetId);
    if (!subnet) return unknown(`subnet ${instance.subnetId} of ${name} is not among the resources`);
    const vpc = network.vpcs.get(subnet.vpcId ?? "");
    if (!vpc) return unknown(`the VPC of subnet ${subnet.label} is not among the resources`);
    const table = routeTableOf(network, subnet, vpc);
    if (typeof table === "string") return unknown(table);
    const acl = aclOf(network, subnet, vpc);
    if (typeof acl === "string") return unknown(acl);
    if (instance.groupIds === undefined) return unknown(`the security groups of ${name} are not known`);
    // An instance launched without groups gets its VPC's default group.
    const ids = instance.groupIds.length > 0 ? instance.groupIds : [vpc.defaultGroupId];
    const groups: GroupNode[] = [];
    for (const id of ids) {
        const group = network.groups.get(id ?? "");
        if (!group) return unknown(`security group ${id ?? "(id not known)"} of ${name} is not among the resources`);
        groups.push(group);
    }
    const groupIds = new Set(groups.map((group) => group.id));
    return { instance, address: instance.address, ip: instance.privateIp, subnet, vpc, table, acl, groups, groupIds };
}

/** The subnet's explicitly associated table, else its VPC's main table; a reason when that cannot be known. */
function routeTableOf(network: Network, subnet: SubnetNode, vpc: VpcNode): RouteTableNode | string {
    let id: string | undefined;
    if (network.subnetRouteTables.has(subnet.id)) id = network.subnetRouteTables.get(subnet.id);
    else if (network.doubts.has("routeTableAssociation"))
        return `a route table association names a subnet not known, maybe ${subnet.label}`;
    else if (network.mainRouteTables.has(vpc.id)) id = network.mainRouteTables.get(vpc.id);
    else if (network.doubts.has("mainRouteTableAssociation"))
        return `a main route table association names a VPC not known, maybe ${vpc.label}`;
    else id = vpc.mainRouteTableId;
    return (
        network.routeTables.get(id ?? "") ??
        `the route table of subnet ${subnet.label} (${id ?? "id not known"}) is not among the resources`
    );
}

/** The subnet's explicitly associated ACL, else its VPC's default ACL; a reason when that cannot be known. */
function aclOf(network: Network, subnet: SubnetNode, vpc: VpcNode): AclNode | string {
    let id: string | undefined;
    if (network.subnetAcls.has(subnet.id)) id = network.subnetAcls.get(subnet.id);
    else if (network.doubts.has("aclAssociation"))
        return `a network ACL association names a subnet not known, maybe ${subnet.label}`;
    else id = vpc.defaultAclId;
    return (
        network.acls.get(id ?? "") ??
        `the network ACL of subnet ${subnet.label} (${id ?? "id not known"}) is not among the resources`
    );
}

function endpointOf(instance: InstanceNode): Endpoint {
    return { name: instance.name, id: instance.id, ...(instance.privateIp ? { privateIp: instance.privateIp } : {}) };
}

function pair(
    network: Network,
    from: Placement | string,
    to: Placement | string,
    fromEnd: Endpoint,
    toEnd: Endpoint,
): ReachabilityResult {
    const done = (verdict: Verdict, reason: string, blockedBy?: string): ReachabilityResult => ({
        from: fromEnd,
        to: toEnd,
        protocol: "icmp",
        reachable: verdict === "reachable",
        verdict,
        reason,
        ...(blockedBy === undefined ? {} : { blockedBy }),
    });
    if (typeof from === "string") return done("not-determinable", from);
    if (typeof to === "string") return done("not-determinable", to);

    const sameSubnet = from.subnet.id === to.subnet.id;
    // ACLs guard subnet boundaries: traffic inside one subnet never meets them.
    const acl = (self: Placement, direction: "ingress" | "egress", type: number, peer: Placement): Step =>
        sameSubnet ? {} : aclStep(network, self, direction, type, peer);
    const request: (() => Step)[] = [
        () => groupStep(network, from, "egress", to),
        () => routeStep(network, from, to, "to"),
        () => acl(from, "egress", ECHO_REQUEST, to),
        () => acl(to, "ingress", ECHO_REQUEST, from),
        () => groupStep(network, to, "ingress", from),
    ];
    const reply: (() => Step)[] = [
        () => routeStep(network, to, from, "back to"),
        () => acl(to, "egress", ECHO_REPLY, from),
        () => acl(from, "ingress", ECHO_REPLY, to),
    ];
    const paths: string[][] = [];
    for (const leg of [request, reply]) {
        const hops: string[] = [];
        for (const step of leg) {
            const outcome = step();
            if ("blocked" in outcome) return done("blocked", outcome.blocked, outcome.by);
            if ("unknown" in outcome) return done("not-determinable", `${NOT_DETERMINABLE} ${outcome.unknown}`);
            if (outcome.hop) hops.push(outcome.hop);
        }
        paths.push(hops);
    }
    return done("reachable", `via ${paths[0].join(", ")}; reply via ${paths[1].join(", ")}`);
}

/** Security groups are stateful: only the request is checked, out of the source and into the destination. */
function groupStep(network: Network, self: Placement, direction: "ingress" | "egress", peer: Placement): Step {
    let undecided: string | undefined;
    for (const group of self.groups) {
        const { verdict, origin } = group[direction].admit(peer.address, peer.groupIds);
        if (verdict === "yes") return { hop: `${group.id} ${direction === "egress" ? "out" : "in"} (rule ${origin})` };
        if (verdict === "unknown")
            undecided ??= `whether rule ${origin} of security group ${group.label} matches ${peer.ip}`;
    }
    if (undecided) return { unknown: undecided };
    const many = self.groups.length > 1;
    const groups = `security group${many ? "s" : ""} ${self.groups.map((group) => group.label).join(", ")} of ${self.instance.name}`;
    // Rules only ever add permissions, so a rule of a group not known can only turn a refusal around.
    if (network.doubts.has("groupRule"))
        return { unknown: `a security group rule whose group is not known might let ${peer.ip} through ${groups}` };
    const by = self.groups[0].id;
    return direction === "egress"
        ? { blocked: `${groups} let${many ? "" : "s"} no ICMP echo out to ${peer.ip}`, by }
        : { blocked: `${groups} admit${many ? "" : "s"} no ICMP echo from ${peer.ip}`, by };
}

/**
 * The most specific route of `self`'s subnet to `peer`'s address must stay inside the VPC when
 * both are in it, or take a peering connection that joins exactly the two VPCs and is active:
 * peering is not transitive, and nothing else carries a private address to another VPC here.
 */
function routeStep(network: Network, self: Placement, peer: Placement, to: "to" | "back to"): Step {
    const table = `route table ${self.table.label} of subnet ${self.subnet.label}`;
    if (network.doubts.has("route"))
        return { unknown: `a route whose table is not known might change where ${table} sends ${peer.ip}` };
    const { route, certain } = self.table.routes.lookup(peer.address);
    if (!certain) return { unknown: `${table}: a route or its VPC's block is not known` };
    const by = self.table.id;
    if (!route) return { blocked: `${table} has no route ${to} ${peer.ip}`, by };
    const via = route.destination.text;
    const target = route.target;
    switch (target.kind) {
        case "local":
            if (self.vpc.id === peer.vpc.id) return { hop: `${self.table.id} ${via} -> local` };
            return {
                blocked: `${table} keeps ${peer.ip} inside ${self.vpc.label} (${via} local), but ${peer.instance.name} is in ${peer.vpc.label}`,
                by,
            };
        case "internet-gateway":
            return {
                blocked: `${table} has no route ${to} ${peer.ip} (only ${via} to internet gateway ${target.id}, where private addresses do not route)`,
                by,
            };
        case "other":
            return {
                unknown: `${table} sends ${peer.ip} to ${target.what} ${target.id} (${via}), which this analysis does not follow`,
            };
        case "unknown":
            return { unknown: `${table} has a route ${via} whose target is not known` };
        case "peering": {
            const peering = network.peerings.get(target.id);
            const through = `${table} sends ${peer.ip} to ${peering?.label ?? target.id} (${via})`;
            if (!peering) return { unknown: `${through}, which is not among the resources` };
            const [a, b] = peering.vpcIds;
            if (a === undefined || b === undefined) return { unknown: `${through}, whose VPCs are not known` };
            const joins = (a === self.vpc.id && b === peer.vpc.id) || (b === self.vpc.id && a === peer.vpc.id);
            if (!joins) {
                const label = (id: string) => network.vpcs.get(id)?.label ?? id;
                return {
                    blocked: `${through}, which joins ${label(a)} and ${label(b)}, not ${peer.vpc.label}: peering is not transitive`,
                    by,
                };
            }
            if (peering.active === "unknown" || (peering.active === "no" && network.doubts.has("peeringAccepter"))) {
                return { unknown: `${through}, whose acceptance is not known` };
            }
            if (peering.active === "no") {
                return {
                    blocked: `${through}, which is not active (${peering.status}): set autoAccept or add a VpcPeeringConnectionAccepter`,
                    by: peering.id,
                };
            }
            return { hop: `${self.table.id} ${via} -> ${peering.id}` };
        }
    }
}

/** ACLs are stateless: the request and the reply each need an allowing entry, in both subnets. */
function aclStep(
    network: Network,
    self: Placement,
    direction: "ingress" | "egress",
    type: number,
    peer: Placement,
): Step {
    const verdict = aclVerdict(self.acl[direction], type, peer.address);
    const what = `${type === ECHO_REQUEST ? "ICMP echo request" : "ICMP echo reply"} ${direction === "egress" ? "out to" : "in from"} ${peer.ip}`;
    const acl = `network ACL ${self.acl.label} of subnet ${self.subnet.label}`;
    if (network.doubts.has("aclRule"))
        return { unknown: `an ACL entry whose ACL is not known might decide the ${what} in ${acl}` };
    if (verdict.verdict === "allow")
        return { hop: `${self.acl.id} ${direction === "egress" ? "out" : "in"} (rule ${verdict.number})` };
    if (verdict.verdict === "unknown")
        return { unknown: `whether ${acl} lets the ${what} (rule ${verdict.number ?? "number not known"})` };
    const stateless = type === ECHO_REPLY ? "; ACLs are stateless, so replies need their own rule" : "";
    const by = self.acl.id;
    return verdict.number === undefined
        ? { blocked: `${acl} has no rule allowing the ${what}${stateless}`, by }
        : { blocked: `${acl} denies the ${what} (rule ${verdict.number})${stateless}`, by };
}
