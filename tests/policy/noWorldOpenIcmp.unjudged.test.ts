import { strict as assert } from "assert";
import { PolicyResource } from "@pulumi/policy";
import { noWorldOpenIcmp } from "../../policy/policies/noWorldOpenIcmp";
import { Reported, stackResource, PULUMI_UNKNOWN, validateResource, validateStack } from "./helpers";
import { AWS_TYPES } from "../../model/awsTypes";
import { subnetOf, parseCidr } from "../../model/cidr";
import { REFUSED_CIDR_SPELLINGS } from "../fixtures/cidr/refusedSpellings";

const SG = AWS_TYPES.securityGroup;
const SG_RULE = AWS_TYPES.securityGroupRule;
const INGRESS_RULE = AWS_TYPES.ingressRule;

const onResource = (type: string, props: Record<string, unknown>) =>
    validateResource(noWorldOpenIcmp, type, "it", props);
const onStack = (...resources: PolicyResource[]) => validateStack(noWorldOpenIcmp, resources);
const levels = (reported: Reported[]) => reported.map((r) => r.level);

/**
 * Sources that are no CIDR block the AWS provider accepts: it validates every CIDR field with Go's
 * net.ParseCIDR and requires the network address (`types.ValidateCIDRBlock` behind
 * `verify.ValidCIDRNetworkAddress` in terraform-provider-aws internal/types/cidr.go), which takes
 * neither `0/0`, leading zeros, hex, extra slashes, spaces, non-ASCII digits nor zone ids.
 */
const UNJUDGEABLE: unknown[] = [
    ...REFUSED_CIDR_SPELLINGS,
    "10.0.0.0/33",
    "fe80::1%eth0/64",
    ["0.0.0.0/0"],
    "[secret]",
    42,
    true,
    { cidr: "0.0.0.0/0" },
];

/** Where each resource kind takes a source, and whether its field is a list. */
const PLACES: [string, (source: unknown) => Record<string, unknown>][] = [
    ["inline cidrBlocks", (source) => ({ ingress: [{ protocol: "icmp", cidrBlocks: [source] }] })],
    [
        "SecurityGroupRule cidrBlocks",
        (source) => ({ type: "ingress", protocol: "icmp", cidrBlocks: [source], securityGroupId: "sg-1" }),
    ],
    [
        "SecurityGroupIngressRule cidrIpv4",
        (source) => ({ ipProtocol: "icmp", cidrIpv4: source, securityGroupId: "sg-1" }),
    ],
];
const TYPE_OF: Record<string, string> = {
    "inline cidrBlocks": SG,
    "SecurityGroupRule cidrBlocks": SG_RULE,
    "SecurityGroupIngressRule cidrIpv4": INGRESS_RULE,
};

describe("no-world-open-icmp, never silent on what it cannot judge", () => {
    for (const [place, props] of PLACES) {
        for (const source of UNJUDGEABLE) {
            it(`reports ${JSON.stringify(source)} in ${place} as cannot be judged, at advisory level, naming it`, () => {
                const reported = onResource(TYPE_OF[place], props(source));
                assert.deepEqual(levels(reported), ["advisory"]);
                assert.match(reported[0].message, /cannot be judged/);
                assert.ok(reported[0].message.includes(JSON.stringify(source)), reported[0].message);
            });
        }
    }

    it("keeps the mandatory verdict when the sources it can judge already cover the internet", () => {
        assert.deepEqual(
            levels(onResource(SG, { ingress: [{ protocol: "icmp", cidrBlocks: ["0.0.0.0/0", "0/0"] }] })),
            ["policy"],
        );
        const spread = onResource(SG, {
            ingress: [
                { protocol: "icmp", cidrBlocks: ["0.0.0.0/1", "*"] },
                { protocol: "icmp", cidrBlocks: ["128.0.0.0/1"] },
            ],
        });
        assert.deepEqual(levels(spread), ["policy"]);
    });

    it("says nothing of sources of rules that are not ICMP", () => {
        assert.deepEqual(onResource(SG, { ingress: [{ protocol: "tcp", cidrBlocks: ["0/0", 42] }] }), []);
    });

    it("reports an ingress given as one object, or a rule given as a string, judging what it can", () => {
        const one = onResource(SG, { ingress: { protocol: "icmp", cidrBlocks: ["10.0.0.0/8"] } });
        assert.deepEqual(levels(one), ["advisory"]);
        assert.match(one[0].message, /ingress \{"protocol":"icmp"/);
        assert.deepEqual(levels(onResource(SG, { ingress: { protocol: "icmp", cidrBlocks: ["0.0.0.0/0"] } })), [
            "policy",
        ]);
        const text = onResource(SG, { ingress: ['{"protocol":"icmp","cidrBlocks":["0.0.0.0/0"]}'] });
        assert.deepEqual(levels(text), ["advisory"]);
        assert.match(text[0].message, /ingress\[0\] "\{\\"protocol/);
    });

    it("reports a protocol or a rule type it cannot judge when the sources would open ICMP, and only then", () => {
        for (const protocol of [true, "[secret]", { p: 1 }, 1.5, "ｉｃｍｐ"]) {
            const reported = onResource(INGRESS_RULE, {
                ipProtocol: protocol,
                cidrIpv4: "0.0.0.0/0",
                securityGroupId: "sg-1",
            });
            assert.deepEqual(levels(reported), ["advisory"], JSON.stringify(protocol));
            assert.match(reported[0].message, /ipProtocol .* cannot be decided/);
            assert.deepEqual(
                onResource(INGRESS_RULE, { ipProtocol: protocol, cidrIpv4: "10.0.0.0/8", securityGroupId: "sg-1" }),
                [],
            );
        }
        for (const type of ["sideways", "[secret]", 7]) {
            const reported = onResource(SG_RULE, { type, protocol: "icmp", cidrBlocks: ["0.0.0.0/0"] });
            assert.deepEqual(levels(reported), ["advisory"], JSON.stringify(type));
            assert.match(reported[0].message, /type /);
        }
    });

    it("reads a SecurityGroupRule whose type is not known yet as maybe ingress: advisory, never mandatory", () => {
        const props = { type: PULUMI_UNKNOWN, protocol: "icmp", cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" };
        assert.deepEqual(onResource(SG_RULE, props), [], "left to the stack check");
        const reported = onStack(stackResource(SG_RULE, "later", props));
        assert.deepEqual(levels(reported), ["advisory"]);
        assert.match(reported[0].message, /not known yet/);
    });

    it("judges a rule whose group is not known yet on its own, and says the group's sum cannot be judged", () => {
        const rule = (name: string, cidrIpv4: string) =>
            stackResource(INGRESS_RULE, name, { ipProtocol: "icmp", cidrIpv4, securityGroupId: PULUMI_UNKNOWN });
        const reported = onStack(rule("half", "0.0.0.0/1"));
        assert.deepEqual(levels(reported), ["advisory"]);
        assert.match(reported[0].message, /ingress rule "half" belongs to a security group that is not known yet/);
        assert.match(reported[0].message, /added up across that group cannot be judged/);
        assert.deepEqual(onStack(rule("open", "0.0.0.0/0")), [], "rejected when analyzed on its own");
        const secret = onStack(
            stackResource(INGRESS_RULE, "hidden", {
                ipProtocol: "icmp",
                cidrIpv4: "0.0.0.0/1",
                securityGroupId: "[secret]",
            }),
            stackResource(INGRESS_RULE, "hidden2", {
                ipProtocol: "icmp",
                cidrIpv4: "128.0.0.0/1",
                securityGroupId: "[secret]",
            }),
        );
        assert.deepEqual(levels(secret), ["advisory", "advisory"], "placeholders name no group to add up in");
        assert.match(secret[0].message, /cannot be told from securityGroupId "\[secret\]"/);
    });

    it("says the sum of a group cannot be judged when its rules hold such values, naming each rule", () => {
        const group = stackResource(SG, "g", { id: "sg-1" });
        const rule = (name: string, cidrIpv4: unknown) =>
            stackResource(INGRESS_RULE, name, { ipProtocol: "icmp", cidrIpv4, securityGroupId: "sg-1" });
        const reported = onStack(group, rule("half", "0.0.0.0/1"), rule("odd", "128.0.0.0/ 1"));
        assert.deepEqual(levels(reported), ["advisory"]);
        assert.match(
            reported[0].message,
            /security group "g", added up over its rules, .*ingress rule "odd" cidrIpv4 "128\.0\.0\.0\/ 1"/,
        );
    });
});

describe("no-world-open-icmp, bounded output", () => {
    it("quotes a 10 MB value shortened, with its length", () => {
        const huge = "9".repeat(10 * 1024 * 1024);
        const [reported] = onResource(INGRESS_RULE, { ipProtocol: "icmp", cidrIpv4: huge, securityGroupId: "sg-1" });
        assert.ok(reported.message.length < 1000, `${reported.message.length} characters`);
        assert.match(reported.message, /\(10485760 characters\)/);
    });

    it("names a handful of the rules that add up, then how many more", () => {
        const all = parseCidr("0.0.0.0/0")!;
        const group = stackResource(SG, "g", { id: "sg-1" });
        const rules = Array.from({ length: 256 }, (_, i) =>
            stackResource(INGRESS_RULE, `r${i}`, {
                ipProtocol: "icmp",
                cidrIpv4: subnetOf(all, 8, i).text,
                securityGroupId: "sg-1",
            }),
        );
        const [violation, ...rest] = onStack(group, ...rules);
        assert.deepEqual(rest, []);
        assert.match(violation.message, /ingress rule "r4" and 251 more\)/);
        assert.match(violation.message, /and 250 more add up/);
        assert.ok(violation.message.length < 1000, `${violation.message.length} characters`);
    });
});
