import { Cidr, contains, parseCidr, subnetOf } from "../../model/cidr";

/**
 * The plain arguments of the `Vpc` component: their defaults and their validation, shared by the
 * stack config and the component (used on its own, it checks its arguments the same way).
 */

/** Prefix lengths AWS accepts for a VPC's and a subnet's IPv4 block. */
export const VPC_PREFIX_LENGTHS = { min: 16, max: 28 } as const;

/** The public subnet's default block: the VPC's first /24, or the whole VPC when it is smaller. */
export function defaultPublicSubnetCidr(vpcBlock: Cidr): string {
    return vpcBlock.prefixLength >= 24 ? vpcBlock.text : subnetOf(vpcBlock, 24, 0).text;
}

/** Why a subnet's block cannot be used in a VPC's, or undefined when it can. */
export function subnetOutsideVpcProblem(vpcBlock: Cidr, subnetBlock: Cidr): string | undefined {
    return contains(vpcBlock, subnetBlock)
        ? undefined
        : `lies outside the VPC's block ${vpcBlock.text}; pick a block inside it`;
}

export const IPV4_CIDR_MESSAGE = "not an IPv4 CIDR block (expected a.b.c.d/n with n from 0 to 32)";

/** Why AWS would refuse a block as a VPC's or subnet's, or undefined when it would accept it. */
export function blockProblem(text: string, what: "VPC" | "subnet"): string | undefined {
    const block = parseCidr(text);
    if (block?.version !== 4) return IPV4_CIDR_MESSAGE;
    const { min, max } = VPC_PREFIX_LENGTHS;
    if (block.prefixLength < min || block.prefixLength > max)
        return `AWS accepts ${what} blocks from /${min} to /${max}`;
    return undefined;
}

/**
 * Why the provider would refuse an IPv4 block as written, or undefined: its CIDR validators
 * (terraform-provider-aws `verify.ValidIPv4CIDRNetworkAddress`, calling
 * `types.ValidateIPv4CIDRBlock`: `"203.0.113.7/24" is not a valid IPv4 CIDR block; did you mean
 * "203.0.113.0/24"?`, on aws_vpc, aws_subnet and the security-group rules' `cidr_ipv4`) want the
 * block written exactly as its network address. The config and the components both refuse what
 * they would, rather than canonicalise: `203.0.113.7/24` may well mean the one host.
 * Takes a block that parses (see {@link blockProblem}).
 */
export function networkAddressProblem(text: string): string | undefined {
    const canonical = parseCidr(text)!.text;
    if (text !== text.trim()) return `has spaces around it; write "${text.trim()}"`;
    if (text !== canonical)
        return `is not written as its network address, which AWS requires; did you mean ${canonical}?`;
    return undefined;
}

/**
 * Every problem with a `Vpc`'s plain arguments, each naming the argument and its value; empty
 * when they are fine. The component throws them before declaring any resource.
 */
export function vpcArgsProblems(args: { readonly cidrBlock: string; readonly publicSubnetCidr?: string }): string[] {
    const problems: string[] = [];
    const named = (arg: string, value: string, problem: string) => `${arg} ${JSON.stringify(value)}: ${problem}`;
    const vpcProblem = blockProblem(args.cidrBlock, "VPC") ?? networkAddressProblem(args.cidrBlock);
    if (vpcProblem) problems.push(named("cidrBlock", args.cidrBlock, vpcProblem));
    if (args.publicSubnetCidr === undefined) return problems;
    const subnetProblem = blockProblem(args.publicSubnetCidr, "subnet") ?? networkAddressProblem(args.publicSubnetCidr);
    if (subnetProblem) problems.push(named("publicSubnetCidr", args.publicSubnetCidr, subnetProblem));
    else if (!vpcProblem) {
        const outside = subnetOutsideVpcProblem(parseCidr(args.cidrBlock)!, parseCidr(args.publicSubnetCidr)!);
        if (outside) problems.push(named("publicSubnetCidr", args.publicSubnetCidr, outside));
    }
    return problems;
}
