import { strict as assert } from "assert";
import fc from "fast-check";
import { PolicyResource } from "@pulumi/policy";
import { addressText } from "../../model/cidr";
import { flowLogRoleTrust } from "../../policy/policies/flowLogRoleTrust";
import { noOverlappingVpcCidrs } from "../../policy/policies/noOverlappingVpcCidrs";
import { noWorldOpenIcmp } from "../../policy/policies/noWorldOpenIcmp";
import { INTERNAL_ERROR } from "../../policy/lib/guarded";
import { Reported, stackResource, PULUMI_UNKNOWN, validateResource, validateStack } from "./helpers";
import { AWS_TYPES } from "../../model/awsTypes";

const POLICIES = [noOverlappingVpcCidrs, noWorldOpenIcmp, flowLogRoleTrust];
const TYPES = [
    AWS_TYPES.vpc,
    AWS_TYPES.vpcCidr,
    AWS_TYPES.securityGroup,
    AWS_TYPES.defaultSecurityGroup,
    AWS_TYPES.securityGroupRule,
    AWS_TYPES.ingressRule,
    AWS_TYPES.flowLog,
    AWS_TYPES.role,
    AWS_TYPES.bucket,
];
/** Every property and policy-document key the policies read, so random shapes reach their code. */
const KEYS = [
    ...[
        "cidrBlock",
        "ingress",
        "egress",
        "protocol",
        "ipProtocol",
        "type",
        "cidrBlocks",
        "ipv6CidrBlocks",
        "cidrIpv4",
        "cidrIpv6",
    ],
    ...["securityGroupId", "id", "arn", "iamRoleArn", "assumeRolePolicy", "externalCidrs"],
    ...[
        "Statement",
        "Effect",
        "Sid",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Service",
        "AWS",
        "Condition",
    ],
];
const TELLING = [
    "icmp",
    "-1",
    "all",
    "ingress",
    "Allow",
    "Deny",
    "0.0.0.0/0",
    "::/0",
    "0.0.0.0/1",
    "10.1.0.0/16",
    "sts:AssumeRole",
    "vpc-flow-logs.amazonaws.com",
    "*",
    "[secret]",
    "0/0",
];

// Weighted towards what the policies look for, so that random shapes reach deep into their code.
const leaf = fc.oneof(
    { arbitrary: fc.constant(PULUMI_UNKNOWN), weight: 2 },
    { arbitrary: fc.constantFrom(...TELLING), weight: 3 },
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        { arbitrary: leaf, weight: 4 },
        { arbitrary: fc.array(tie("value"), { maxLength: 4 }), weight: 1 },
        { arbitrary: fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 5 }), weight: 1 },
        { arbitrary: tie("value").map((v) => JSON.stringify(v) ?? "undefined"), weight: 1 },
    ),
}));
const props = fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 12 });
const resources = fc
    .array(fc.record({ type: fc.constantFrom(...TYPES), props, dependsOn: fc.array(fc.nat(), { maxLength: 2 }) }), {
        maxLength: 8,
    })
    .map((drafts) => {
        const built = drafts.map((draft, i) => stackResource(draft.type, `r${i}`, draft.props));
        drafts.forEach((draft, i) => {
            const targets = draft.dependsOn.map((n) => built[n % built.length]);
            Object.assign(built[i], { propertyDependencies: { securityGroupId: targets, iamRoleArn: targets } });
        });
        return built;
    });

function assertWellFormed(reported: Reported[]): void {
    for (const r of reported) {
        assert.equal(typeof r.message, "string");
        assert.ok(!r.message.includes(INTERNAL_ERROR), r.message);
        assert.ok(r.message.length < 4000, `a message of ${r.message.length} characters`);
    }
}

describe("the policies on random shapes", () => {
    it("never throw nor fail internally on any resource, whatever its properties", () => {
        fc.assert(
            fc.property(resources, fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 2 }), (stack, config) => {
                for (const policy of POLICIES) assertWellFormed(validateStack(policy, stack, config));
                for (const policy of [noWorldOpenIcmp, flowLogRoleTrust]) {
                    for (const resource of stack)
                        assertWellFormed(validateResource(policy, resource.type, resource.name, resource.props));
                }
            }),
            { numRuns: 300 },
        );
    });
});

const BITS = { 4: 32, 6: 128 } as const;

/** A random split of the whole space into blocks, each written with random host bits. */
function fullSpace(family: 4 | 6) {
    return fc
        .tuple(
            fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
            fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
        )
        .map(([splits, noise]) => {
            let blocks = [{ first: 0n, prefix: 0 }];
            for (const pick of splits) {
                const { first, prefix } = blocks[pick % blocks.length];
                if (prefix === BITS[family]) continue;
                const half = 1n << BigInt(BITS[family] - prefix - 1);
                blocks = [
                    ...blocks.filter((b) => b.first !== first || b.prefix !== prefix),
                    { first, prefix: prefix + 1 },
                    { first: first + half, prefix: prefix + 1 },
                ];
            }
            return blocks.map(({ first, prefix }, i) => {
                const size = 1n << BigInt(BITS[family] - prefix);
                return `${addressText(first + (BigInt(noise[i % noise.length]) % size), family)}/${prefix}`;
            });
        });
}

const ICMP_SPELLINGS = ["icmp", "ICMP", "1", "icmpv6", "58", "-1", "all"];

/** One security group whose ICMP ingress has the given sources, spread over inline rules and standalone rules. */
function securityGroup(
    family: 4 | 6,
    sources: readonly string[],
    placement: readonly number[],
    protocols: readonly number[],
): PolicyResource[] {
    const inlineSources = sources.filter((_, i) => placement[i % placement.length] % 3 === 0);
    const group = stackResource(AWS_TYPES.securityGroup, "g", {
        id: "sg-1",
        ingress: [
            {
                protocol: ICMP_SPELLINGS[protocols[0] % ICMP_SPELLINGS.length],
                fromPort: -1,
                toPort: -1,
                [family === 4 ? "cidrBlocks" : "ipv6CidrBlocks"]: inlineSources,
            },
        ],
    });
    const rules = sources
        .filter((source) => !inlineSources.includes(source))
        .map((source, i) => {
            const protocol = ICMP_SPELLINGS[protocols[i % protocols.length] % ICMP_SPELLINGS.length];
            const viaDependency = placement[i % placement.length] % 3 === 1;
            return i % 2 === 0
                ? stackResource(
                      AWS_TYPES.ingressRule,
                      `r${i}`,
                      {
                          ipProtocol: protocol,
                          [family === 4 ? "cidrIpv4" : "cidrIpv6"]: source,
                          securityGroupId: viaDependency ? PULUMI_UNKNOWN : "sg-1",
                      },
                      viaDependency ? { propertyDependencies: { securityGroupId: [group] } } : {},
                  )
                : stackResource(AWS_TYPES.securityGroupRule, `r${i}`, {
                      type: "ingress",
                      protocol,
                      [family === 4 ? "cidrBlocks" : "ipv6CidrBlocks"]: [source],
                      securityGroupId: "sg-1",
                  });
        });
    return [group, ...rules];
}

/** Everything the policy reports on the group, as the engine would call it: each resource, then the stack. */
function icmpVerdicts(stack: PolicyResource[]): Reported[] {
    return [
        ...stack.flatMap((r) => validateResource(noWorldOpenIcmp, r.type, r.name, r.props)),
        ...validateStack(noWorldOpenIcmp, stack),
    ];
}

describe("no-world-open-icmp on random splits of the address space", () => {
    for (const family of [4, 6] as const) {
        const arbitrary = fc.record({
            sources: fullSpace(family),
            placement: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
            protocols: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
            missing: fc.nat(),
        });

        it(`catches any split of ${family === 4 ? "0.0.0.0/0" : "::/0"} into blocks, spread over rules of one group`, () => {
            fc.assert(
                fc.property(arbitrary, ({ sources, placement, protocols }) => {
                    const mandatory = icmpVerdicts(securityGroup(family, sources, placement, protocols)).filter(
                        (r) => r.level === "policy",
                    );
                    assert.ok(mandatory.length >= 1, sources.join(" "));
                }),
                { numRuns: 150 },
            );
        });

        it(`passes the same split of ${family === 4 ? "0.0.0.0/0" : "::/0"} with one block missing`, () => {
            fc.assert(
                fc.property(arbitrary, ({ sources, placement, protocols, missing }) => {
                    fc.pre(sources.length > 1);
                    const holed = sources.filter((_, i) => i !== missing % sources.length);
                    assert.deepEqual(
                        icmpVerdicts(securityGroup(family, holed, placement, protocols)),
                        [],
                        holed.join(" "),
                    );
                }),
                { numRuns: 150 },
            );
        });
    }
});

/** Values that are no CIDR: random JSON of every type, values not known yet, placeholders. */
const junk = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(PULUMI_UNKNOWN, "[secret]", "0/0", "0.0.0.0", "*", [["0.0.0.0/0"]], ""),
);

/** The group with junk beside its sources: in the inline rule's lists, as extra rules, as whole rules. */
function withJunk(stack: PolicyResource[], values: readonly unknown[], at: readonly number[]): PolicyResource[] {
    if (values.length === 0) return stack;
    const [group, ...rules] = stack;
    const ingress = readPlain(group.props.ingress) as Record<string, unknown>[];
    const lists = ingress.map((rule) => {
        const list = [...((rule.cidrBlocks ?? rule.ipv6CidrBlocks) as unknown[])];
        values.forEach((value, i) => list.splice(at[i % at.length] % (list.length + 1), 0, value));
        return { ...rule, [rule.cidrBlocks ? "cidrBlocks" : "ipv6CidrBlocks"]: list };
    });
    const extraRules = values.map((value, i) =>
        stackResource(AWS_TYPES.ingressRule, `junk${i}`, {
            ipProtocol: "icmp",
            cidrIpv4: value,
            securityGroupId: "sg-1",
        }),
    );
    const junkGroup = stackResource(AWS_TYPES.securityGroup, "g", {
        id: "sg-1",
        description: values[0],
        ingress: [...lists, values[0]],
    });
    return [junkGroup, ...rules, ...extraRules];
}

function readPlain(value: unknown): unknown {
    return JSON.parse(JSON.stringify(value));
}

describe("no-world-open-icmp with junk beside sources that cover the whole space", () => {
    for (const family of [4, 6] as const) {
        it(`never gives a clean verdict when the parseable sources cover ${family === 4 ? "0.0.0.0/0" : "::/0"}`, () => {
            fc.assert(
                fc.property(
                    fullSpace(family),
                    fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
                    fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
                    fc.array(junk, { maxLength: 4 }),
                    fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
                    (sources, placement, protocols, values, at) => {
                        const stack = withJunk(securityGroup(family, sources, placement, protocols), values, at);
                        const reported = icmpVerdicts(stack);
                        assertWellFormed(reported);
                        assert.ok(
                            reported.some((r) => r.level === "policy"),
                            `${sources.join(" ")} with ${JSON.stringify(values)}`,
                        );
                    },
                ),
                { numRuns: 50 },
            );
        });
    }
});
