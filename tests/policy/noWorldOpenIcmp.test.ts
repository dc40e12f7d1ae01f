import { strict as assert } from "assert";
import { PolicyResource } from "@pulumi/policy";
import { noWorldOpenIcmp } from "../../policy/policies/noWorldOpenIcmp";
import { stackResource, PULUMI_UNKNOWN, validateResource, validateStack } from "./helpers";
import { AWS_TYPES } from "../../model/awsTypes";

const SG = AWS_TYPES.securityGroup;
const DEFAULT_SG = AWS_TYPES.defaultSecurityGroup;
const SG_RULE = AWS_TYPES.securityGroupRule;
const INGRESS_RULE = AWS_TYPES.ingressRule;

const inline = (protocol: unknown, cidrBlocks: unknown, extra: object = {}) => ({
    protocol,
    fromPort: 8,
    toPort: -1,
    cidrBlocks,
    ...extra,
});
const onResource = (type: string, props: Record<string, unknown>) =>
    validateResource(noWorldOpenIcmp, type, "it", props);
const sgWith = (...ingress: object[]) => onResource(SG, { vpcId: "vpc-1", ingress });
const ingressRule = (name: string, props: Record<string, unknown>, group?: PolicyResource) =>
    stackResource(
        INGRESS_RULE,
        name,
        { ipProtocol: "icmp", fromPort: 8, toPort: -1, securityGroupId: "sg-1", ...props },
        group ? { propertyDependencies: { securityGroupId: [group] } } : {},
    );
const onStack = (...resources: PolicyResource[]) => validateStack(noWorldOpenIcmp, resources);

describe("no-world-open-icmp", () => {
    describe("one resource, judged before it is created", () => {
        it("rejects inline ICMP ingress from 0.0.0.0/0, saying what to change", () => {
            const [violation, ...rest] = sgWith(inline("icmp", ["0.0.0.0/0"]));
            assert.deepEqual(rest, []);
            assert.equal(violation.level, "policy");
            assert.match(violation.message, /security group "it" lets ICMP in from all of IPv4 \(0\.0\.0\.0\/0\)/);
            assert.match(violation.message, /Allow ICMP only from the networks that need it/);
        });

        it("takes every spelling of ICMP and of all traffic as ICMP", () => {
            for (const protocol of [
                "icmp",
                "ICMP",
                " Icmp ",
                "1",
                1,
                "icmpv6",
                "ICMPv6",
                "58",
                58,
                "-1",
                -1,
                "all",
                "ALL",
            ]) {
                assert.equal(sgWith(inline(protocol, ["0.0.0.0/0"])).length, 1, JSON.stringify(protocol));
            }
        });

        it("leaves other protocols alone", () => {
            for (const protocol of ["tcp", "6", 6, "udp", "17", "icmp6", "2", 0, null, undefined]) {
                assert.deepEqual(
                    sgWith(inline(protocol, ["0.0.0.0/0"], { ipv6CidrBlocks: ["::/0"] })),
                    [],
                    JSON.stringify(protocol),
                );
            }
        });

        it("recognizes the whole space in any spelling, host bits set or not", () => {
            for (const blocks of [["10.0.0.0/0"], ["255.255.255.255/0"]])
                assert.equal(sgWith(inline("icmp", blocks)).length, 1, blocks[0]);
            for (const block of ["::/0", "0::0/0", "0:0:0:0:0:0:0:0/0", "2001:db8::1/0", "::ffff:0.0.0.0/0"]) {
                const reported = sgWith(inline("icmpv6", [], { ipv6CidrBlocks: [block] }));
                assert.equal(reported.length, 1, block);
                assert.match(reported[0].message, /all of IPv6 \(::\/0\)/);
            }
        });

        it("adds up smaller blocks, within one rule and across the rules of one group", () => {
            assert.equal(sgWith(inline("icmp", ["0.0.0.0/1", "128.0.0.0/1"])).length, 1);
            assert.equal(sgWith(inline("icmp", ["0.0.0.0/1"]), inline("-1", ["128.0.0.0/2", "192.0.0.0/2"])).length, 1);
            assert.deepEqual(sgWith(inline("icmp", ["0.0.0.0/1", "128.0.0.0/2"])), [], "192.0.0.0/2 stays closed");
            assert.deepEqual(
                sgWith(inline("icmp", ["0.0.0.0/1"]), inline("tcp", ["128.0.0.0/1"])),
                [],
                "only ICMP rules count",
            );
        });

        it("passes ICMP from named networks, security groups, prefix lists and self", () => {
            assert.deepEqual(
                sgWith(
                    inline("icmp", ["10.2.0.0/16"]),
                    inline("icmp", [], { securityGroups: ["sg-2"], prefixListIds: ["pl-1"], self: true }),
                ),
                [],
            );
        });

        it("ignores egress", () => {
            assert.deepEqual(onResource(SG, { egress: [inline("icmp", ["0.0.0.0/0"])], ingress: [] }), []);
            assert.deepEqual(
                onResource(SG_RULE, {
                    type: "egress",
                    protocol: "icmp",
                    cidrBlocks: ["0.0.0.0/0"],
                    securityGroupId: "sg-1",
                }),
                [],
            );
        });

        it("judges every kind of resource that carries ingress", () => {
            assert.equal(onResource(DEFAULT_SG, { ingress: [inline("icmp", ["0.0.0.0/0"])] }).length, 1);
            assert.equal(
                onResource(SG_RULE, {
                    type: "ingress",
                    protocol: "1",
                    cidrBlocks: ["0.0.0.0/0"],
                    securityGroupId: "sg-1",
                }).length,
                1,
            );
            assert.equal(
                onResource(SG_RULE, {
                    type: "Ingress",
                    protocol: "icmpv6",
                    ipv6CidrBlocks: ["::/0"],
                    securityGroupId: "sg-1",
                }).length,
                1,
            );
            assert.equal(
                onResource(INGRESS_RULE, { ipProtocol: "icmp", cidrIpv4: "0.0.0.0/0", securityGroupId: "sg-1" }).length,
                1,
            );
            assert.equal(
                onResource(INGRESS_RULE, { ipProtocol: "-1", cidrIpv6: "::/0", securityGroupId: "sg-1" }).length,
                1,
            );
            assert.deepEqual(
                onResource(INGRESS_RULE, {
                    ipProtocol: "icmp",
                    referencedSecurityGroupId: "sg-2",
                    securityGroupId: "sg-1",
                }),
                [],
            );
        });

        it("leaves values not known yet to the stack check", () => {
            assert.deepEqual(sgWith(inline("icmp", PULUMI_UNKNOWN)), []);
            assert.deepEqual(sgWith(inline(PULUMI_UNKNOWN, ["0.0.0.0/0"])), []);
        });
    });

    describe("the stack, for what takes several resources", () => {
        const group = stackResource(SG, "host-sg", { vpcId: "vpc-1", id: "sg-1", ingress: [] });

        it("rejects rules of one group whose sources add up to the internet, naming the group and the rules", () => {
            const rules = [
                ingressRule("low", { cidrIpv4: "0.0.0.0/1" }, group),
                ingressRule("high", { cidrIpv4: "128.0.0.0/1" }, group),
            ];
            for (const rule of rules)
                assert.deepEqual(
                    validateResource(noWorldOpenIcmp, INGRESS_RULE, rule.name, rule.props),
                    [],
                    "each alone is fine",
                );
            const [violation, ...rest] = onStack(group, ...rules);
            assert.deepEqual(rest, []);
            assert.equal(violation.urn, group.urn);
            assert.match(
                violation.message,
                /security group "host-sg" lets ICMP in from all of IPv4 .* \(ingress rule "low", ingress rule "high"\)/,
            );
        });

        it("finds a rule's group by its property dependencies, by the group's id, or by the id alone", () => {
            const [low, high] = [{ cidrIpv4: "0.0.0.0/1" }, { cidrIpv4: "128.0.0.0/1" }];
            const unknownId = { securityGroupId: PULUMI_UNKNOWN };
            assert.equal(
                onStack(
                    group,
                    ingressRule("a", { ...low, ...unknownId }, group),
                    ingressRule("b", { ...high, ...unknownId }, group),
                ).length,
                1,
            );
            assert.equal(onStack(group, ingressRule("a", low), ingressRule("b", high))[0].urn, group.urn);
            const outside = onStack(
                ingressRule("a", { ...low, securityGroupId: "sg-9" }),
                ingressRule("b", { ...high, securityGroupId: "sg-9" }),
            );
            assert.match(outside[0].message, /^security group sg-9 lets ICMP in/);
        });

        it("combines a group's inline rules with its standalone rules of either kind", () => {
            const halfInline = stackResource(SG, "mixed", { id: "sg-1", ingress: [inline("icmp", ["0.0.0.0/1"])] });
            const other = stackResource(SG_RULE, "rest", {
                type: "ingress",
                protocol: "all",
                cidrBlocks: ["128.0.0.0/1"],
                securityGroupId: "sg-1",
            });
            assert.equal(onStack(halfInline, other).length, 1);
        });

        it("keeps groups apart", () => {
            const [a, b] = [stackResource(SG, "a", { id: "sg-a" }), stackResource(SG, "b", { id: "sg-b" })];
            assert.deepEqual(
                onStack(
                    a,
                    b,
                    ingressRule("low", { cidrIpv4: "0.0.0.0/1", securityGroupId: "sg-a" }),
                    ingressRule("high", { cidrIpv4: "128.0.0.0/1", securityGroupId: "sg-b" }),
                ),
                [],
            );
        });

        it("does not repeat what one resource shows on its own", () => {
            assert.deepEqual(
                onStack(
                    group,
                    ingressRule("open", { cidrIpv4: "0.0.0.0/0" }, group),
                    ingressRule("half", { cidrIpv4: "0.0.0.0/1" }, group),
                ),
                [],
            );
        });

        it("says at advisory level when values not known yet could open ICMP to the internet", () => {
            for (const unknownRule of [
                { cidrIpv4: PULUMI_UNKNOWN },
                { ipProtocol: PULUMI_UNKNOWN, cidrIpv4: "0.0.0.0/0" },
            ]) {
                const reported = onStack(group, ingressRule("r", unknownRule, group));
                assert.deepEqual(
                    reported.map((r) => r.level),
                    ["advisory"],
                    JSON.stringify(unknownRule),
                );
                assert.match(reported[0].message, /not known yet/);
            }
            assert.deepEqual(
                onStack(group, ingressRule("r", { ipProtocol: PULUMI_UNKNOWN, cidrIpv4: "10.0.0.0/8" }, group)),
                [],
                "cannot be open whatever it is",
            );
            assert.deepEqual(
                onStack(group, ingressRule("r", { ipProtocol: "tcp", cidrIpv4: PULUMI_UNKNOWN }, group)),
                [],
                "not ICMP",
            );
        });
    });

    it("has the documented name and defaults to mandatory", () => {
        assert.equal(noWorldOpenIcmp.name, "no-world-open-icmp");
        assert.equal(noWorldOpenIcmp.enforcementLevel, "mandatory");
        assert.ok(noWorldOpenIcmp.remediationSteps && noWorldOpenIcmp.description);
    });
});
