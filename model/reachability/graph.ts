import { AWS_TYPES } from "../awsTypes";
import { Block, addressOf, blockOf, list, NetworkResource, text, Tri } from "./networkResource";
import { RouteIndex } from "./routing";
import { AclRule, aclRule, classicRule, GroupRules, sortAclRules, vpcRule } from "./rules";

/**
 * The network as AWS would see it once deployed, built in a few linear passes over the
 * resources: every lookup the per-pair walk needs is then a map access.
 */

/** How a resource appears in a reason: its id, and its logical name to find it in the code. */
function labelOf(id: string, name: string | undefined): string {
    return name && name !== id ? `${id} (${name})` : id;
}

export interface VpcNode {
    readonly id: string;
    readonly label: string;
    /** The VPC's IPv4 blocks, primary first; traffic to them routes `local`. */
    readonly blocks: Block[];
    /** Whether every block could be read. */
    blocksKnown: boolean;
    readonly mainRouteTableId?: string;
    readonly defaultAclId?: string;
    readonly defaultGroupId?: string;
}

export interface SubnetNode {
    readonly id: string;
    readonly label: string;
    readonly vpcId?: string;
}

export interface RouteTableNode {
    readonly id: string;
    readonly label: string;
    readonly vpcId?: string;
    readonly routes: RouteIndex;
}

export interface PeeringNode {
    readonly id: string;
    readonly label: string;
    /** Requester's and accepter's VPC ids. */
    readonly vpcIds: readonly [string | undefined, string | undefined];
    /** Whether traffic flows: auto-accepted, accepted by an accepter resource, or `active`. */
    active: Tri;
    readonly status: string;
}

export interface GroupNode {
    readonly id: string;
    readonly label: string;
    readonly ingress: GroupRules;
    readonly egress: GroupRules;
}

export interface AclNode {
    readonly id: string;
    readonly label: string;
    readonly ingress: AclRule[];
    readonly egress: AclRule[];
}

export interface InstanceNode {
    readonly id: string;
    readonly name: string;
    readonly address?: number;
    readonly privateIp?: string;
    readonly subnetId?: string;
    /** Canonical ids of its security groups; `undefined` when the list is not known; empty means the VPC's default group. */
    readonly groupIds?: readonly (string | undefined)[];
}

/**
 * Kinds of resource met with a reference that could not be read (e.g. an id unknown at preview):
 * they might attach anywhere, so the answers they could change are not determinable.
 */
export type Doubt =
    | "route"
    | "routeTableAssociation"
    | "mainRouteTableAssociation"
    | "groupRule"
    | "aclRule"
    | "aclAssociation"
    | "peeringAccepter";

export interface Network {
    readonly vpcs: Map<string, VpcNode>;
    readonly subnets: Map<string, SubnetNode>;
    readonly routeTables: Map<string, RouteTableNode>;
    /** Explicit subnet → route table associations; `undefined` when the table's id is not known. */
    readonly subnetRouteTables: Map<string, string | undefined>;
    /** VPC → main route table, where a `MainRouteTableAssociation` replaced the original. */
    readonly mainRouteTables: Map<string, string | undefined>;
    readonly peerings: Map<string, PeeringNode>;
    readonly groups: Map<string, GroupNode>;
    readonly acls: Map<string, AclNode>;
    /** Explicit subnet → network ACL associations; `undefined` when the ACL's id is not known. */
    readonly subnetAcls: Map<string, string | undefined>;
    readonly instances: InstanceNode[];
    readonly doubts: Set<Doubt>;
}

/** Resolves a security group's id or physical name to the id the analysis keys it by. */
type GroupRef = (ref: unknown) => string | undefined;

/** AWS's rules for a VPC's default security group: all traffic from its own members, all out. */
function awsDefaultGroup(id: string, label: string): GroupNode {
    const group = emptyGroup(id, label);
    group.ingress.add({ origin: "AWS default: all from members", echo: "yes", peers: [{ groupId: id }] });
    group.egress.add({ origin: "AWS default: all out", echo: "yes", peers: [{ block: blockOf("0.0.0.0/0") }] });
    return group;
}

function emptyGroup(id: string, label: string): GroupNode {
    return { id, label, ingress: new GroupRules(), egress: new GroupRules() };
}

/** AWS's default network ACL: rule 100 allows everything both ways. */
function awsDefaultAcl(id: string, label: string): AclNode {
    const allowAll = () => aclRule(100, "allow", { protocol: "-1", cidrBlock: "0.0.0.0/0" }, 0);
    return { id, label, ingress: [allowAll()], egress: [allowAll()] };
}

export function buildNetwork(resources: readonly NetworkResource[]): Network {
    const network: Network = {
        vpcs: new Map(),
        subnets: new Map(),
        routeTables: new Map(),
        subnetRouteTables: new Map(),
        mainRouteTables: new Map(),
        peerings: new Map(),
        groups: new Map(),
        acls: new Map(),
        subnetAcls: new Map(),
        instances: [],
        doubts: new Set(),
    };
    // Ids first: rules, routes and instances refer to VPCs and groups declared anywhere in the list.
    const groupRef = indexIds(network, resources);
    for (const resource of resources) declare(network, resource, groupRef);
    // Then what attaches to the nodes declared, which may come before them in the list.
    for (const resource of resources) attach(network, resource);
    for (const acl of network.acls.values()) {
        sortAclRules(acl.ingress);
        sortAclRules(acl.egress);
    }
    addLocalRoutes(network);
    return network;
}

/** VPCs with the defaults AWS creates for them, and security groups under their ids and names. */
function indexIds(network: Network, resources: readonly NetworkResource[]): GroupRef {
    const aliases = new Map<string, string>();
    for (const { type, id, name, properties: p } of resources) {
        if (type === AWS_TYPES.vpc) addVpc(network, id, labelOf(id, name), p);
        // The provider strips the allow-all egress rule AWS gives a new group: only declared rules count.
        if (type === AWS_TYPES.securityGroup && text(id)) {
            network.groups.set(id, emptyGroup(id, labelOf(id, name)));
            const physicalName = text(p.name);
            if (physicalName) aliases.set(physicalName, id);
        }
    }
    for (const { type, id, name, properties: p } of resources) {
        if (type !== AWS_TYPES.defaultSecurityGroup) continue;
        // Managing the default group replaces AWS's rules with the declared ones.
        const groupId = network.vpcs.get(text(p.vpcId) ?? "")?.defaultGroupId ?? text(id);
        if (!groupId) continue;
        if (groupId !== id) aliases.set(id, groupId);
        network.groups.set(groupId, emptyGroup(groupId, labelOf(groupId, name)));
    }
    return (ref) => {
        const key = text(ref);
        return key === undefined ? undefined : (aliases.get(key) ?? key);
    };
}

function addVpc(network: Network, id: string, label: string, p: Readonly<Record<string, unknown>>): void {
    const block = blockOf(p.cidrBlock);
    const vpc: VpcNode = {
        id,
        label,
        blocks: block && block !== "ipv6" ? [block] : [],
        blocksKnown: block !== undefined && block !== "ipv6",
        mainRouteTableId: text(p.mainRouteTableId),
        defaultAclId: text(p.defaultNetworkAclId),
        defaultGroupId: text(p.defaultSecurityGroupId),
    };
    network.vpcs.set(id, vpc);
    const { mainRouteTableId: table, defaultAclId: acl, defaultGroupId: group } = vpc;
    if (table)
        network.routeTables.set(table, {
            id: table,
            label: `${table} (main route table of ${label})`,
            vpcId: id,
            routes: new RouteIndex(),
        });
    if (acl) network.acls.set(acl, awsDefaultAcl(acl, `${acl} (default ACL of ${label})`));
    if (group) network.groups.set(group, awsDefaultGroup(group, `${group} (default group of ${label})`));
}

/** Nodes, and the references between them. */
function declare(network: Network, { type, id, name, properties: p }: NetworkResource, groupRef: GroupRef): void {
    const label = labelOf(id, name);
    switch (type) {
        case AWS_TYPES.vpcCidr: {
            const vpc = network.vpcs.get(text(p.vpcId) ?? "");
            const block = blockOf(p.cidrBlock);
            if (vpc && block && block !== "ipv6") vpc.blocks.push(block);
            else if (vpc && block === undefined) vpc.blocksKnown = false;
            return;
        }
        case AWS_TYPES.subnet:
            network.subnets.set(id, { id, label, vpcId: text(p.vpcId) });
            return;
        case AWS_TYPES.routeTable:
        case AWS_TYPES.defaultRouteTable: {
            const tableId = type === AWS_TYPES.defaultRouteTable ? (text(p.defaultRouteTableId) ?? id) : id;
            const vpcId =
                text(p.vpcId) ?? [...network.vpcs.values()].find((vpc) => vpc.mainRouteTableId === tableId)?.id;
            const existing = network.routeTables.get(tableId);
            const table = {
                id: tableId,
                label: labelOf(tableId, name),
                vpcId: vpcId ?? existing?.vpcId,
                routes: existing?.routes ?? new RouteIndex(),
            };
            network.routeTables.set(tableId, table);
            const routes = p.routes === undefined || p.routes === null ? [] : list(p.routes);
            if (!routes) table.routes.markUnreadable();
            for (const route of routes ?? []) table.routes.addFrom(route as Record<string, unknown>, "cidrBlock");
            return;
        }
        case AWS_TYPES.routeTableAssociation:
            return associate(network, network.subnetRouteTables, p.subnetId, p.routeTableId, "routeTableAssociation");
        case AWS_TYPES.mainRouteTableAssociation:
            return associate(network, network.mainRouteTables, p.vpcId, p.routeTableId, "mainRouteTableAssociation");
        case AWS_TYPES.peering:
            network.peerings.set(id, {
                id,
                label,
                vpcIds: [text(p.vpcId), text(p.peerVpcId)],
                active:
                    p.autoAccept === true || p.acceptStatus === "active"
                        ? "yes"
                        : text(p.acceptStatus)
                          ? "no"
                          : "unknown",
                status: text(p.acceptStatus) ?? (p.autoAccept === false ? "not auto-accepted" : "status not known"),
            });
            return;
        case AWS_TYPES.securityGroup:
        case AWS_TYPES.defaultSecurityGroup: {
            const group = network.groups.get(groupRef(id) ?? "");
            if (!group) return;
            for (const direction of ["ingress", "egress"] as const) {
                (list(p[direction]) ?? []).forEach((rule, index) =>
                    group[direction].add(
                        classicRule(
                            `${group.id} ${direction}[${index}]`,
                            rule as Record<string, unknown>,
                            group.id,
                            groupRef,
                        ),
                    ),
                );
            }
            return;
        }
        case AWS_TYPES.securityGroupRule: {
            const direction = p.type === "egress" ? "egress" : p.type === "ingress" ? "ingress" : undefined;
            const group = groupOf(network, p.securityGroupId, groupRef);
            if (group && direction) group[direction].add(classicRule(name ?? id, p, group.id, groupRef));
            return;
        }
        case AWS_TYPES.ingressRule:
        case AWS_TYPES.egressRule:
            groupOf(network, p.securityGroupId, groupRef)?.[type === AWS_TYPES.ingressRule ? "ingress" : "egress"].add(
                vpcRule(name ?? id, p, groupRef),
            );
            return;
        case AWS_TYPES.networkAcl:
        case AWS_TYPES.defaultNetworkAcl: {
            const aclId = type === AWS_TYPES.defaultNetworkAcl ? (text(p.defaultNetworkAclId) ?? id) : id;
            addAcl(network, aclId, labelOf(aclId, name), p);
            return;
        }
        case AWS_TYPES.networkAclAssociation:
            return associate(network, network.subnetAcls, p.subnetId, p.networkAclId, "aclAssociation");
        case AWS_TYPES.instance:
            network.instances.push(instanceOf(id, name, p, groupRef));
            return;
    }
}

/** Routes, acceptances and ACL entries, onto the nodes they name. */
function attach(network: Network, { type, properties: p }: NetworkResource): void {
    switch (type) {
        case AWS_TYPES.route: {
            const table = text(p.routeTableId);
            if (table === undefined) network.doubts.add("route");
            network.routeTables.get(table ?? "")?.routes.addFrom(p, "destinationCidrBlock");
            return;
        }
        case AWS_TYPES.peeringAccepter: {
            const id = text(p.vpcPeeringConnectionId);
            if (id === undefined) network.doubts.add("peeringAccepter");
            const peering = network.peerings.get(id ?? "");
            if (peering && peering.active !== "yes" && p.autoAccept !== false)
                peering.active = p.autoAccept === true ? "yes" : "unknown";
            return;
        }
        case AWS_TYPES.networkAclRule: {
            const id = text(p.networkAclId);
            if (id === undefined) network.doubts.add("aclRule");
            const acl = network.acls.get(id ?? "");
            acl?.[p.egress === true ? "egress" : "ingress"].push(aclRule(p.ruleNumber, p.ruleAction, p, undefined));
            return;
        }
    }
}

/** Records `from` → `to`; an unreadable `from` could be anything, so it becomes a doubt. */
function associate(
    network: Network,
    map: Map<string, string | undefined>,
    from: unknown,
    to: unknown,
    doubt: Doubt,
): void {
    const key = text(from);
    if (key === undefined) network.doubts.add(doubt);
    else map.set(key, text(to));
}

/** The group a standalone rule belongs to; an unreadable id could be any group. */
function groupOf(network: Network, ref: unknown, groupRef: GroupRef): GroupNode | undefined {
    const id = groupRef(ref);
    if (id === undefined) network.doubts.add("groupRule");
    return network.groups.get(id ?? "");
}

/** Declaring an ACL (or taking over the default one) replaces its rules with the declared ones. */
function addAcl(network: Network, aclId: string, label: string, p: Readonly<Record<string, unknown>>): void {
    const fromInline = (value: unknown) =>
        (list(value) ?? []).map((rule) => {
            const entry = rule as Record<string, unknown>;
            return aclRule(entry.ruleNo, entry.action, entry, 0);
        });
    network.acls.set(aclId, { id: aclId, label, ingress: fromInline(p.ingress), egress: fromInline(p.egress) });
    const subnets = p.subnetIds === undefined || p.subnetIds === null ? [] : list(p.subnetIds);
    if (!subnets) network.doubts.add("aclAssociation");
    for (const subnet of subnets ?? []) associate(network, network.subnetAcls, subnet, aclId, "aclAssociation");
}

/** Every table routes its VPC's own blocks `local`, whatever else it holds. */
function addLocalRoutes(network: Network): void {
    for (const table of network.routeTables.values()) {
        const vpc = network.vpcs.get(table.vpcId ?? "");
        if (!vpc || !vpc.blocksKnown) table.routes.markUnreadable();
        // AWS refuses any other route to exactly a VPC block, so `local` replaces one declared anyway.
        for (const block of vpc?.blocks ?? [])
            table.routes.add({ destination: block, target: { kind: "local" } }, true);
    }
}

function instanceOf(
    id: string,
    name: string | undefined,
    p: Readonly<Record<string, unknown>>,
    groupRef: GroupRef,
): InstanceNode {
    const privateIp = text(p.privateIp);
    const lists = [p.vpcSecurityGroupIds, p.securityGroups]
        .filter((value) => value !== undefined && value !== null)
        .map(list);
    return {
        id,
        name: name ?? id,
        privateIp,
        address: addressOf(privateIp),
        subnetId: text(p.subnetId),
        groupIds: lists.some((items) => items === undefined)
            ? undefined
            : lists.flatMap((items) => items!.map(groupRef)),
    };
}
