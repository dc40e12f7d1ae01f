import {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidation,
} from "@pulumi/policy";
import { addressText, Cidr, parseCidr } from "../../model/cidr";
import {
    admitsIcmp,
    cachedCidrParser,
    FAMILIES,
    Family,
    FamilyVerdict,
    IcmpIngress,
    judgeIcmpIngress,
    sourceBlocks,
} from "../../model/icmpIngress";
import { advise, guarded } from "../lib/guarded";
import { AWS_TYPES } from "../../model/awsTypes";
import { describe, readProperty, NOT_KNOWN_YET } from "../lib/properties";

const description =
    "Security groups must not let ICMP in from the whole internet (all of IPv4 or all of IPv6), by one rule or several together.";

type Facts = Omit<IcmpIngress<never>, "owner">;
type Parse = (source: unknown) => Cidr | undefined;

/** Whether a rule admits ICMP, knowing its protocol and (for a standalone rule) whether it is ingress. */
function icmpOf(protocol: unknown, ingress: boolean | undefined = true): boolean | undefined {
    if (ingress === false) return false;
    const admits = protocol === NOT_KNOWN_YET ? undefined : admitsIcmp(protocol);
    if (admits === false) return false;
    return admits && ingress ? true : undefined;
}

/** A rule's CIDR sources from its source fields (each one block or a list of them). */
function sourcesOf(parse: Parse, ...fields: unknown[]): Pick<Facts, "blocks" | "sourcesUnknown"> {
    const values = fields.flatMap((field) => (Array.isArray(field) ? field : [field]));
    return { blocks: sourceBlocks(values, parse), sourcesUnknown: values.includes(NOT_KNOWN_YET) };
}

const UNKNOWN_RULE: Facts = { icmp: undefined, blocks: [], sourcesUnknown: true };

function inlineIngress(props: unknown, parse: Parse): Facts[] {
    const ingress = readProperty(props, "ingress");
    if (ingress === NOT_KNOWN_YET) return [UNKNOWN_RULE];
    if (!Array.isArray(ingress)) return [];
    return ingress.map((rule) =>
        rule === NOT_KNOWN_YET
            ? UNKNOWN_RULE
            : {
                  icmp: icmpOf(readProperty(rule, "protocol")),
                  ...sourcesOf(parse, readProperty(rule, "cidrBlocks"), readProperty(rule, "ipv6CidrBlocks")),
              },
    );
}

/**
 * The resources that carry ingress rules, each with how to read them: one checker, registered per
 * type. Egress rules are not this policy's business; security-group, prefix-list and `self`
 * sources are not CIDRs and so never the whole internet.
 */
interface IngressCarrier {
    readonly kind: string;
    /** A security group itself (inline rules), rather than a rule attached to one by `securityGroupId`. */
    readonly isGroup: boolean;
    readonly read: (props: unknown, parse: Parse) => Facts[];
}

const INGRESS: Readonly<Record<string, IngressCarrier>> = {
    [AWS_TYPES.securityGroup]: { kind: "security group", isGroup: true, read: inlineIngress },
    [AWS_TYPES.defaultSecurityGroup]: { kind: "default security group", isGroup: true, read: inlineIngress },
    [AWS_TYPES.securityGroupRule]: {
        kind: "security group rule",
        isGroup: false,
        read: (props, parse) => {
            const type = readProperty(props, "type");
            const ingress =
                type === NOT_KNOWN_YET
                    ? undefined
                    : typeof type === "string" && type.trim().toLowerCase() === "ingress";
            const sources = sourcesOf(parse, readProperty(props, "cidrBlocks"), readProperty(props, "ipv6CidrBlocks"));
            return [{ icmp: icmpOf(readProperty(props, "protocol"), ingress), ...sources }];
        },
    },
    [AWS_TYPES.ingressRule]: {
        kind: "ingress rule",
        isGroup: false,
        read: (props, parse) => [
            {
                icmp: icmpOf(readProperty(props, "ipProtocol")),
                ...sourcesOf(parse, readProperty(props, "cidrIpv4"), readProperty(props, "cidrIpv6")),
            },
        ],
    },
};

const SPACE: Record<Family, string> = {
    4: `all of IPv4 (${addressText(0n, 4)}/0)`,
    6: `all of IPv6 (${addressText(0n, 6)}/0)`,
};
const FIX = "Allow ICMP only from the networks that need it, e.g. the peer VPC's CIDR block.";

function blockList(verdict: FamilyVerdict<unknown>): string {
    const texts = verdict.blocks.map((block) => block.text);
    return texts.length > 6 ? `${texts.slice(0, 6).join(", ")} and ${texts.length - 6} more` : texts.join(", ");
}

/** What a resource shows on its own, judged while the engine analyzes it, before it is created. */
function checkResource(args: ResourceValidationArgs, report: ReportViolation): void {
    const ingress = INGRESS[args.type];
    if (!ingress) return;
    const rules = ingress.read(args.props, parseCidr).map((facts) => ({ ...facts, owner: args.urn }));
    for (const family of FAMILIES) {
        const verdict = judgeIcmpIngress(rules, family);
        if (verdict.open) {
            report(
                `${describe(ingress.kind, args)} lets ICMP in from ${SPACE[family]}: its sources ${blockList(verdict)} cover it. ${FIX}`,
            );
        }
    }
}

interface Group {
    readonly name: string;
    readonly urn: string;
    readonly rules: IcmpIngress<PolicyResource>[];
}

/** The security group a standalone rule belongs to: through its property dependencies, or by id. */
function groupOf(rule: PolicyResource, groupUrnById: ReadonlyMap<string, string>): { key: string; name: string } {
    const dependency = (rule.propertyDependencies?.securityGroupId ?? []).find((d) => INGRESS[d.type]?.isGroup);
    if (dependency) return { key: dependency.urn, name: describe(INGRESS[dependency.type].kind, dependency) };
    const id = readProperty(rule.props, "securityGroupId");
    if (typeof id === "string" && id !== "")
        return { key: groupUrnById.get(id) ?? `id:${id}`, name: `security group ${id}` };
    return { key: rule.urn, name: `the security group of ${describe(INGRESS[rule.type].kind, rule)}` };
}

/**
 * What only the rules of a security group together show: their union covers the internet while
 * no single resource does (those were reported when analyzed), or values not known yet could.
 */
const checkStack: StackValidation = (args: StackValidationArgs, report: ReportViolation) => {
    const carriers = args.resources.filter((resource) => INGRESS[resource.type] !== undefined);
    const parse = cachedCidrParser();
    const groupUrnById = new Map<string, string>();
    const groups = new Map<string, Group>();
    for (const resource of carriers) {
        if (!INGRESS[resource.type].isGroup) continue;
        const id = readProperty(resource.props, "id");
        if (typeof id === "string" && id !== "") groupUrnById.set(id, resource.urn);
        groups.set(resource.urn, {
            name: describe(INGRESS[resource.type].kind, resource),
            urn: resource.urn,
            rules: [],
        });
    }
    for (const resource of carriers) {
        const { key, name } = INGRESS[resource.type].isGroup
            ? { key: resource.urn, name: "" }
            : groupOf(resource, groupUrnById);
        const group = groups.get(key) ?? { name, urn: resource.urn, rules: [] };
        groups.set(key, group);
        for (const facts of INGRESS[resource.type].read(resource.props, parse))
            group.rules.push({ ...facts, owner: resource });
    }
    for (const group of groups.values()) {
        const verdicts = FAMILIES.map((family) => judgeIcmpIngress(group.rules, family));
        for (const verdict of verdicts.filter((v) => v.open)) {
            const single = verdict.owners.some(
                (owner) =>
                    judgeIcmpIngress(
                        group.rules.filter((r) => r.owner === owner),
                        verdict.family,
                    ).open,
            );
            if (single) continue;
            const owners = verdict.owners.map((owner) => describe(INGRESS[owner.type].kind, owner)).join(", ");
            report(
                `${group.name} lets ICMP in from ${SPACE[verdict.family]} through several rules together (${owners}), whose sources ${blockList(verdict)} add up to it. ${FIX}`,
                group.urn,
            );
        }
        const undetermined = verdicts.filter((v) => v.undetermined).map((v) => SPACE[v.family]);
        if (undetermined.length > 0) {
            advise(
                report,
                description,
                `${group.name} has ICMP ingress whose protocol or sources are not known yet, so whether it is open to ${undetermined.join(" or ")} cannot be checked in this preview; it is checked once deployed.`,
                group.urn,
            );
        }
    }
};

/**
 * A resource policy that also validates the stack: the engine analyzes each resource before it
 * is created (so a world-open rule is stopped there), and the whole stack for what takes
 * several resources to see.
 */
export const noWorldOpenIcmp: ResourceValidationPolicy & { validateStack: StackValidation } = {
    name: "no-world-open-icmp",
    description,
    enforcementLevel: "mandatory",
    remediationSteps:
        "Replace 0.0.0.0/0 and ::/0 (and any set of blocks that adds up to them) in ICMP ingress rules with the CIDR blocks of the networks that must reach the instances, such as a peered VPC's block, or reference their security group instead.",
    validateResource: guarded(checkResource),
    validateStack: guarded(checkStack),
};
