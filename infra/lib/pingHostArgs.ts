import { parseCidr } from "../../model/cidr";
import { networkAddressProblem } from "./vpcArgs";

/**
 * The plain arguments of the `PingHost` component: their defaults and their validation, shared by
 * the stack config and the component (used on its own, it checks its arguments the same way).
 */

export type Architecture = "x86_64" | "arm64";

/** AWS's public SSM parameters naming the latest Amazon Linux 2023 AMI, per architecture. */
export const AL2023_PARAMETERS: Readonly<Record<Architecture, string>> = {
    x86_64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    arm64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
};

/** The defaults: the seeds' instance type; the AMI parameter follows the instance type's architecture. */
export const PING_HOST_DEFAULTS = { instanceType: "t3.micro" } as const;

/**
 * The architecture an instance type runs, read from its name: a `g` among the family's options
 * marks AWS Graviton (t4g, m7gd, c7gn, is4gen, g5g), as do the a1 and the Apple-silicon mac2
 * families; every other family is x86_64.
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html
 */
export function instanceTypeArchitecture(instanceType: string): Architecture {
    const family = instanceType.split(".")[0];
    if (family === "a1" || /^mac(2|-m)/.test(family)) return "arm64";
    const options = /^[a-z]+\d+([a-z-]*)$/.exec(family)?.[1] ?? "";
    return options.includes("g") ? "arm64" : "x86_64";
}

/** The architecture an AMI parameter's name states (AWS's public parameters do), if it states one. */
export function amiParameterArchitecture(parameter: string): Architecture | undefined {
    if (/arm64/.test(parameter)) return "arm64";
    if (/x86_64/.test(parameter)) return "x86_64";
    return undefined;
}

/** The AMI parameter used when none is given: Amazon Linux 2023 for the instance type's architecture. */
export function defaultAmiParameter(instanceType: string): string {
    return AL2023_PARAMETERS[instanceTypeArchitecture(instanceType)];
}

/**
 * Why an AMI parameter cannot boot an instance type, or undefined when it can (or cannot be told);
 * `typeKey` names the instance type's setting in the message.
 */
export function architectureProblem(
    instanceType: string,
    amiParameter: string,
    typeKey = "instanceType",
): string | undefined {
    const wanted = instanceTypeArchitecture(instanceType);
    const given = amiParameterArchitecture(amiParameter);
    if (given === undefined || given === wanted) return undefined;
    return `names an ${given} image, but ${typeKey} ${instanceType} is ${wanted}; use ${AL2023_PARAMETERS[wanted]}, or leave amiParameter unset to get it`;
}

/** Why a block may not be an SSH source, or undefined when it may. */
export function sshSourceProblem(cidr: string): string | undefined {
    if (parseCidr(cidr)?.prefixLength === 0)
        return "opens SSH to the whole internet; use Session Manager, or list your own network's block";
    return undefined;
}

/** Why the provider would refuse an SSH source as written (see {@link networkAddressProblem}), with the one-host reading. */
export function sshSourceFormProblem(cidr: string): string | undefined {
    const problem = networkAddressProblem(cidr);
    return problem && cidr === cidr.trim() ? `${problem} (or ${cidr.split("/")[0]}/32 for one host)` : problem;
}

/**
 * Every problem with a `PingHost`'s plain arguments, each naming the argument and its value;
 * empty when they are fine. The component throws them before declaring any resource.
 */
export function pingHostArgsProblems(args: {
    readonly peerCidrBlocks: readonly string[];
    readonly instanceType?: string;
    readonly amiParameter?: string;
    readonly ssh?: { readonly allowedCidrs: readonly string[] };
}): string[] {
    const problems: string[] = [];
    const named = (arg: string, value: string, problem: string) => `${arg} ${JSON.stringify(value)}: ${problem}`;
    args.peerCidrBlocks.forEach((cidr, index) => {
        const block = parseCidr(cidr);
        if (block?.version !== 4) problems.push(named(`peerCidrBlocks[${index}]`, cidr, "not an IPv4 CIDR block"));
        else if (block.prefixLength === 0)
            problems.push(named(`peerCidrBlocks[${index}]`, cidr, "lets the whole internet ping; list the peer VPCs"));
        else {
            const form = networkAddressProblem(cidr);
            if (form) problems.push(named(`peerCidrBlocks[${index}]`, cidr, form));
        }
    });
    (args.ssh?.allowedCidrs ?? []).forEach((cidr, index) => {
        const problem =
            parseCidr(cidr)?.version === 4
                ? (sshSourceFormProblem(cidr) ?? sshSourceProblem(cidr))
                : "not an IPv4 CIDR block";
        if (problem) problems.push(named(`ssh.allowedCidrs[${index}]`, cidr, problem));
    });
    if (args.ssh && args.ssh.allowedCidrs.length === 0)
        problems.push("ssh.allowedCidrs is empty: list the blocks SSH may come from, or leave ssh unset");
    if (args.amiParameter !== undefined) {
        const instanceType = args.instanceType ?? PING_HOST_DEFAULTS.instanceType;
        const problem = architectureProblem(instanceType, args.amiParameter);
        if (problem) problems.push(named("amiParameter", args.amiParameter, problem));
    }
    return problems;
}
