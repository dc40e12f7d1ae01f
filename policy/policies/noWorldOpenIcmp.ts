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
    cachedCidrParser,
    FAMILIES,
    Family,
    FamilyVerdict,
    IcmpIngress,
    icmpProtocol,
    judgeIcmpIngress,
    readSources,
    SourceField,
} from "../../model/icmpIngress";
import { listed, quote, shortText } from "../../model/messageText";
import { advise, guarded } from "../lib/guarded";
import { reportConfigProblems } from "../lib/unknownSettings";
import { AWS_TYPES } from "../../model/awsTypes";
import { describe, isPlaceholder, readProperty, NOT_KNOWN_YET } from "../lib/properties";

const description =
    "Security groups must not let ICMP in from the whole internet (all of IPv4 or all of IPv6), by one rule or several together.";

type Facts = Omit<IcmpIngress<never>, "owner">;
type Parse = (source: unknown) => Cidr | undefined;

const isPending = (value: unknown) => value === NOT_KNOWN_YET;

/**
 * Whether a rule admits ICMP, from its protocol and (for a standalone rule) whether it is ingress:
 * `undefined` while either is not known yet or cannot be judged, the latter named in `icmpUnjudged`.
 */
function icmpOf(protocol: unknown, protocolField: string, ingress: boolean | undefined, ingressNote?: string) {
    if (ingress === false) return { icmp: false };
    if (protocol === NOT_KNOWN_YET) return { icmp: undefined, icmpUnjudged: ingressNote };
    const admits = isPlaceholder(protocol) ? undefined : icmpProtocol(protocol);
    if (admits === false) return { icmp: false };
    if (admits === undefined) return { icmp: undefined, icmpUnjudged: `${protocolField} ${quote(protocol)}` };
    return ingress === true ? { icmp: true } : { icmp: undefined, icmpUnjudged: ingressNote };
}

const sourcesOf = (parse: Parse, ...fields: SourceField[]) => readSources(fields, parse, isPending);

const UNKNOWN_RULE: Facts = { icmp: undefined, blocks: [], sourcesUnknown: true };

function inlineRule(rule: unknown, at: string, parse: Parse): Facts {
    if (rule === NOT_KNOWN_YET) return UNKNOWN_RULE;
    if (typeof rule !== "object" || rule === null || Array.isArray(rule))
        return { icmp: undefined, blocks: [], sourcesUnknown: false, unjudged: [`${at} ${quote(rule)}`] };
    return {
        ...icmpOf(readProperty(rule, "protocol"), `${at}.protocol`, true),
        ...sourcesOf(
            parse,
            { name: `${at}.cidrBlocks`, value: readProperty(rule, "cidrBlocks"), list: true },
            { name: `${at}.ipv6CidrBlocks`, value: readProperty(rule, "ipv6CidrBlocks"), list: true },
        ),
    };
}

/** A group's inline `ingress`: a list of rules; one object or anything else cannot be judged as given. */
function inlineIngress(props: unknown, parse: Parse): Facts[] {
    const ingress = readProperty(props, "ingress");
    if (ingress === NOT_KNOWN_YET) return [UNKNOWN_RULE];
    if (ingress === undefined || ingress === null) return [];
    if (Array.isArray(ingress)) return ingress.map((rule, index) => inlineRule(rule, `ingress[${index}]`, parse));
    const shape = { icmp: undefined, blocks: [], sourcesUnknown: false, unjudged: [`ingress ${quote(ingress)}`] };
    // One object where a list belongs: judged as the one rule it looks like, so that it cannot hide one.
    return typeof ingress === "object" ? [inlineRule(ingress, "ingress", parse), shape] : [shape];
}

/** A `SecurityGroupRule`'s direction: its `type`, which the AWS provider takes as "ingress" or "egress". */
function directionOf(type: unknown): { ingress: boolean | undefined; note?: string } {
    if (type === NOT_KNOWN_YET) return { ingress: undefined };
    const text = typeof type === "string" && !isPlaceholder(type) ? type.trim().toLowerCase() : undefined;
    if (text === "ingress") return { ingress: true };
    if (text === "egress") return { ingress: false };
    return { ingress: undefined, note: `type ${quote(type)}` };
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
            const direction = directionOf(readProperty(props, "type"));
            return [
                {
                    ...icmpOf(readProperty(props, "protocol"), "protocol", direction.ingress, direction.note),
                    ...sourcesOf(
                        parse,
                        { name: "cidrBlocks", value: readProperty(props, "cidrBlocks"), list: true },
                        { name: "ipv6CidrBlocks", value: readProperty(props, "ipv6CidrBlocks"), list: true },
                    ),
                },
            ];
        },
    },
    [AWS_TYPES.ingressRule]: {
        kind: "ingress rule",
        isGroup: false,
        read: (props, parse) => [
            {
                ...icmpOf(readProperty(props, "ipProtocol"), "ipProtocol", true),
                ...sourcesOf(
                    parse,
                    { name: "cidrIpv4", value: readProperty(props, "cidrIpv4"), list: false },
                    { name: "cidrIpv6", value: readProperty(props, "cidrIpv6"), list: false },
                ),
            },
        ],
    },
};

const SPACE: Record<Family, string> = {
    4: `all of IPv4 (${addressText(0n, 4)}/0)`,
    6: `all of IPv6 (${addressText(0n, 6)}/0)`,
};
const FIX = "Allow ICMP only from the networks that need it, e.g. the peer VPC's CIDR block.";
const UNJUDGED_FIX =
    "Give CIDR sources as AWS accepts them (e.g. 10.2.0.0/16 or ::/0 in lists of strings) and protocols as names or numbers.";

function blockList(verdict: FamilyVerdict<unknown>): string {
    return listed(
        verdict.blocks.map((block) => block.text),
        6,
    );
}

/** The values that keep verdicts from being given, in order and once each; none when one is open. */
function unjudgedOf(verdicts: readonly FamilyVerdict<unknown>[]): string[] {
    if (verdicts.some((v) => v.open)) return [];
    return [...new Set(verdicts.flatMap((v) => v.unjudged))];
}

function cannotBeJudged(subject: string, values: readonly string[]): string {
    return `${subject} has ICMP ingress with values that cannot be judged: ${listed([...values])}. Whether it lets ICMP in from the whole internet cannot be decided; AWS would refuse such values or read them differently. ${UNJUDGED_FIX}`;
}

/** What a resource shows on its own, judged while the engine analyzes it, before it is created. */
function checkResource(args: ResourceValidationArgs, report: ReportViolation): void {
    const ingress = INGRESS[args.type];
    if (!ingress) return;
    const rules = ingress.read(args.props, parseCidr).map((facts) => ({ ...facts, owner: args.urn }));
    const verdicts = FAMILIES.map((family) => judgeIcmpIngress(rules, family));
    for (const verdict of verdicts.filter((v) => v.open)) {
        report(
            `${describe(ingress.kind, args)} lets ICMP in from ${SPACE[verdict.family]}: its sources ${blockList(verdict)} cover it. ${FIX}`,
        );
    }
    const unjudged = unjudgedOf(verdicts);
    if (unjudged.length > 0) advise(report, description, cannotBeJudged(describe(ingress.kind, args), unjudged));
}

interface Group {
    readonly name: string;
    readonly urn: string;
    readonly rules: IcmpIngress<PolicyResource>[];
    readonly members: Set<PolicyResource>;
}

/**
 * The security group a standalone rule belongs to: through its property dependencies, or by id.
 * When the group cannot be told (an id not known yet, a placeholder, another type), the rule is a
 * group of its own, and `unknownId` holds what stood for the id.
 */
function groupOf(
    rule: PolicyResource,
    groupUrnById: ReadonlyMap<string, string>,
): { key: string; name: string; unknownId?: unknown } {
    const dependency = (rule.propertyDependencies?.securityGroupId ?? []).find((d) => INGRESS[d.type]?.isGroup);
    if (dependency) return { key: dependency.urn, name: describe(INGRESS[dependency.type].kind, dependency) };
    const id = readProperty(rule.props, "securityGroupId");
    if (typeof id === "string" && id !== "" && !isPlaceholder(id))
        return { key: groupUrnById.get(id) ?? `id:${id}`, name: `security group ${shortText(id)}` };
    return {
        key: rule.urn,
        name: `the security group of ${describe(INGRESS[rule.type].kind, rule)}`,
        unknownId: id,
    };
}

/** Whether a rule can take part in its group's ICMP ingress at all. */
function mayAdmitIcmp(facts: readonly Facts[]): boolean {
    return facts.some(
        (f) => f.icmp !== false && (f.blocks.length > 0 || f.sourcesUnknown || (f.unjudged?.length ?? 0) > 0),
    );
}

/**
 * What only the rules of a security group together show: their union covers the internet while
 * no single resource does (those were reported when analyzed), or values not known yet or that
 * cannot be judged could. Linear in the rules but for sorting each group's blocks once.
 */
const checkStack: StackValidation = (args: StackValidationArgs, report: ReportViolation) => {
    reportConfigProblems(args.getConfig(), undefined, report, description);
    const parse = cachedCidrParser();
    const groupUrnById = new Map<string, string>();
    const groups = new Map<string, Group>();
    const newGroup = (name: string, urn: string): Group => ({ name, urn, rules: [], members: new Set() });
    const carriers = args.resources.filter((resource) => INGRESS[resource.type] !== undefined);
    for (const resource of carriers) {
        if (!INGRESS[resource.type].isGroup) continue;
        const id = readProperty(resource.props, "id");
        if (typeof id === "string" && id !== "" && !isPlaceholder(id)) groupUrnById.set(id, resource.urn);
        groups.set(resource.urn, newGroup(describe(INGRESS[resource.type].kind, resource), resource.urn));
    }
    // Each resource is judged alone once, so that the group's verdict need not re-judge its members.
    const openAlone = new Set<string>();
    for (const resource of carriers) {
        const facts = INGRESS[resource.type].read(resource.props, parse);
        const owner = describe(INGRESS[resource.type].kind, resource);
        const own = facts.map((f) => ({
            ...f,
            owner: resource,
            icmpUnjudged: f.icmpUnjudged && `${owner} ${f.icmpUnjudged}`,
            unjudged: f.unjudged?.map((note) => `${owner} ${note}`),
        }));
        for (const family of FAMILIES)
            if (judgeIcmpIngress(own, family).open) openAlone.add(`${family} ${resource.urn}`);
        const { key, name, unknownId } = INGRESS[resource.type].isGroup
            ? { key: resource.urn, name: "", unknownId: undefined }
            : groupOf(resource, groupUrnById);
        const group = groups.get(key) ?? newGroup(name, resource.urn);
        groups.set(key, group);
        for (const rule of own) group.rules.push(rule);
        group.members.add(resource);
        if (key === resource.urn && !INGRESS[resource.type].isGroup && mayAdmitIcmp(facts)) {
            if (!FAMILIES.some((family) => openAlone.has(`${family} ${resource.urn}`)))
                advise(
                    report,
                    description,
                    `${owner} belongs to a security group that ${unknownId === NOT_KNOWN_YET ? "is not known yet" : `cannot be told from securityGroupId ${quote(unknownId)}`}, so ICMP ingress added up across that group cannot be judged; the rule is judged on its own.`,
                    resource.urn,
                );
        }
    }
    for (const group of groups.values()) judgeGroup(group, openAlone, report);
};

function judgeGroup(group: Group, openAlone: ReadonlySet<string>, report: ReportViolation): void {
    const verdicts = FAMILIES.map((family) => judgeIcmpIngress(group.rules, family));
    for (const verdict of verdicts.filter((v) => v.open)) {
        if (verdict.owners.some((owner) => openAlone.has(`${verdict.family} ${owner.urn}`))) continue;
        const owners = verdict.owners.map((owner) => describe(INGRESS[owner.type].kind, owner));
        report(
            `${group.name} lets ICMP in from ${SPACE[verdict.family]} through several rules together (${listed(owners)}), whose sources ${blockList(verdict)} add up to it. ${FIX}`,
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
    // One resource's values that cannot be judged were reported when it was analyzed; the sum is new.
    const unjudged = group.members.size > 1 ? unjudgedOf(verdicts) : [];
    if (unjudged.length > 0)
        advise(report, description, cannotBeJudged(`${group.name}, added up over its rules,`, unjudged), group.urn);
}

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
