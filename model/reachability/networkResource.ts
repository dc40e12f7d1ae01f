import { PULUMI_UNKNOWN } from "../unknown";
import { parseCidr, parseIpv4Address } from "../cidr";

/**
 * What the reachability analysis reads: any source of resources (the checker's mocks, a stack
 * export, a hand-written fixture) can feed it by producing this shape.
 */
export interface NetworkResource {
    /** Pulumi type token, e.g. `aws:ec2/vpc:Vpc`. */
    readonly type: string;
    /** Physical id (`vpc-…`, `sg-…`); empty or a placeholder when not known yet. */
    readonly id: string;
    /**
     * Logical name, shown in reasons so a reader finds the resource in the code.
     * @default none: reasons show the id only
     */
    readonly name?: string;
    /** Inputs and computed attributes, under the provider's camelCase names. */
    readonly properties: Readonly<Record<string, unknown>>;
}

/** A value the analysis depends on is known, known to be something else, or not known. */
export type Tri = "yes" | "no" | "unknown";

/** A non-empty string, or `undefined` for anything else (missing, unknown at preview, wrong type). */
export function text(value: unknown): string | undefined {
    return typeof value === "string" && value.length > 0 && value !== PULUMI_UNKNOWN ? value : undefined;
}

/** A finite number; numeric strings count, since some sources keep every value as text. */
export function integer(value: unknown): number | undefined {
    const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    return typeof number === "number" && Number.isInteger(number) ? number : undefined;
}

/** The elements of an array; `undefined` when the value is not one. */
export function list(value: unknown): readonly unknown[] | undefined {
    return Array.isArray(value) ? value : undefined;
}

/** An IPv4 block as plain numbers, which compare much faster than the bigints of `Cidr`. */
export interface Block {
    readonly first: number;
    readonly last: number;
    readonly prefixLength: number;
    readonly text: string;
}

/**
 * Reads a CIDR block: an IPv4 {@link Block}, `"ipv6"` for a valid IPv6 block (never matches an
 * IPv4 echo), or `undefined` when it cannot be read.
 */
export function blockOf(value: unknown): Block | "ipv6" | undefined {
    const cidr = parseCidr(value);
    if (!cidr) return undefined;
    if (cidr.version === 6) return "ipv6";
    return { first: Number(cidr.first), last: Number(cidr.last), prefixLength: cidr.prefixLength, text: cidr.text };
}

/** An IPv4 address as a number; `undefined` when it is not one. */
export function addressOf(value: unknown): number | undefined {
    const address = parseIpv4Address(value);
    return address === undefined ? undefined : Number(address);
}

/** Whether the block holds the address: "unknown" when the block could not be read. */
export function blockHolds(block: Block | "ipv6" | undefined, address: number): Tri {
    if (block === undefined) return "unknown";
    if (block === "ipv6") return "no";
    return block.first <= address && address <= block.last ? "yes" : "no";
}
