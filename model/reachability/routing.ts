import { PrefixMap } from "./prefixMap";
import { Block, blockOf, text } from "./networkResource";

/** Where a route sends traffic. Only `local` and peering connections can carry a private echo to another instance. */
export type RouteTarget =
    | { readonly kind: "local" }
    | { readonly kind: "internet-gateway"; readonly id: string }
    | { readonly kind: "peering"; readonly id: string }
    | { readonly kind: "other"; readonly id: string; readonly what: string }
    | { readonly kind: "unknown" };

export interface RouteEntry {
    readonly destination: Block;
    readonly target: RouteTarget;
}

/** Route targets other than local, gateways and peering, with the words a reason uses for them. */
const OTHER_TARGETS: readonly (readonly [string, string])[] = [
    ["natGatewayId", "NAT gateway"],
    ["transitGatewayId", "transit gateway"],
    ["networkInterfaceId", "network interface"],
    ["vpcEndpointId", "VPC endpoint"],
    ["egressOnlyGatewayId", "egress-only internet gateway"],
    ["carrierGatewayId", "carrier gateway"],
    ["localGatewayId", "local gateway"],
    ["coreNetworkArn", "Cloud WAN core network"],
];

/** The target of a route, from `Route` or an inline `routes` entry (same field names). */
export function routeTarget(route: Readonly<Record<string, unknown>>): RouteTarget {
    const peering = text(route.vpcPeeringConnectionId);
    if (peering) return { kind: "peering", id: peering };
    const gateway = text(route.gatewayId);
    if (gateway === "local") return { kind: "local" };
    if (gateway?.startsWith("igw-")) return { kind: "internet-gateway", id: gateway };
    if (gateway)
        return { kind: "other", id: gateway, what: gateway.startsWith("vgw-") ? "virtual private gateway" : "gateway" };
    for (const [field, what] of OTHER_TARGETS) {
        const id = text(route[field]);
        if (id) return { kind: "other", id, what };
    }
    return { kind: "unknown" };
}

/** A route table's IPv4 routes, for longest-prefix match. */
export class RouteIndex {
    private readonly routes = new PrefixMap<RouteEntry>();
    /** Some route's destination could not be read, so any answer might be wrong. */
    private unreadable = false;

    /** Adds a route; the first route for a destination stays (AWS refuses a second) unless `replace`. */
    add(entry: RouteEntry, replace = false): void {
        this.routes.set(entry.destination, entry, replace);
    }

    /**
     * Adds a route from its resource fields. IPv6 routes and prefix-list routes are left out: an
     * IPv4 echo never takes the former, and the latter name AWS service ranges, not VPC addresses.
     */
    addFrom(route: Readonly<Record<string, unknown>>, destinationField: string): void {
        const value = route[destinationField];
        if (value === undefined || value === null) {
            if (route.destinationPrefixListId !== undefined) return;
            if (route.destinationIpv6CidrBlock !== undefined || route.ipv6CidrBlock !== undefined) return;
        }
        const destination = blockOf(value);
        if (destination === "ipv6") return;
        if (destination === undefined) this.unreadable = true;
        else this.add({ destination, target: routeTarget(route) });
    }

    /** Marks the table as not fully known, e.g. when its VPC's own blocks are not. */
    markUnreadable(): void {
        this.unreadable = true;
    }

    /** The most specific route to the address, and whether that answer can be trusted. */
    lookup(address: number): { readonly route?: RouteEntry; readonly certain: boolean } {
        return { route: this.routes.longest(address), certain: !this.unreadable };
    }
}
