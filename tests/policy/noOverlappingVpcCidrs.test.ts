import { strict as assert } from "assert";
import { noOverlappingVpcCidrs } from "../../policy/policies/noOverlappingVpcCidrs";
import { stackResource, PULUMI_UNKNOWN, urnOf, validateStack } from "./helpers";
import { AWS_TYPES } from "../../model/awsTypes";

const VPC = AWS_TYPES.vpc;
const ASSOCIATION = AWS_TYPES.vpcCidr;

const vpc = (name: string, cidrBlock: unknown) => stackResource(VPC, name, { cidrBlock, enableDnsSupport: true });
const association = (name: string, cidrBlock: unknown) =>
    stackResource(ASSOCIATION, name, { cidrBlock, vpcId: "vpc-1" });
const check = (resources: ReturnType<typeof vpc>[], config: object = {}) =>
    validateStack(noOverlappingVpcCidrs, resources, config);

describe("no-overlapping-vpc-cidrs", () => {
    it("passes VPCs whose blocks share no address, including adjacent ones", () => {
        assert.deepEqual(
            check([
                vpc("a", "10.1.0.0/16"),
                vpc("b", "10.2.0.0/16"),
                vpc("c", "10.3.0.0/17"),
                vpc("d", "10.3.128.0/17"),
            ]),
            [],
        );
    });

    it("rejects identical blocks, naming both resources and both blocks", () => {
        const [violation, ...rest] = check([vpc("a", "10.1.0.0/16"), vpc("b", "10.1.0.0/16")]);
        assert.deepEqual(rest, []);
        assert.equal(violation.level, "policy");
        assert.match(violation.message, /VPC "b" \(10\.1\.0\.0\/16\) is the same block as VPC "a" \(10\.1\.0\.0\/16\)/);
        assert.equal(violation.urn, urnOf(VPC, "b"));
    });

    it("rejects a block inside another, whichever is declared first", () => {
        for (const resources of [
            [vpc("wide", "10.0.0.0/8"), vpc("narrow", "10.1.128.0/17")],
            [vpc("narrow", "10.1.128.0/17"), vpc("wide", "10.0.0.0/8")],
        ]) {
            const reported = check(resources);
            assert.equal(reported.length, 1);
            assert.match(
                reported[0].message,
                /VPC "narrow" \(10\.1\.128\.0\/17\) lies inside VPC "wide" \(10\.0\.0\.0\/8\)/,
            );
        }
    });

    it("reads host bits as AWS does: 10.1.5.5/16 is 10.1.0.0/16", () => {
        const [violation] = check([vpc("a", "10.1.0.0/16"), vpc("b", "10.1.5.5/16")]);
        assert.match(violation.message, /10\.1\.5\.5\/16, i\.e\. 10\.1\.0\.0\/16/);
    });

    it("checks secondary CIDR associations against every VPC and each other", () => {
        const reported = check([
            vpc("a", "10.1.0.0/16"),
            association("a-extra", "10.1.200.0/24"),
            association("b-extra", "10.9.0.0/16"),
            association("c-extra", "10.9.1.0/24"),
        ]);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [urnOf(ASSOCIATION, "a-extra"), urnOf(ASSOCIATION, "c-extra")],
        );
        assert.match(reported[0].message, /secondary CIDR block "a-extra" \(10\.1\.200\.0\/24\) lies inside VPC "a"/);
    });

    it("reports each of many blocks that lie inside a wider one", () => {
        const disjoint = Array.from({ length: 500 }, (_, i) => vpc(`v${i}`, `10.${i >> 8}.${i & 255}.0/24`));
        const reported = check([...disjoint, vpc("covering", "10.1.0.0/16")]);
        assert.equal(reported.length, 256 - 12, "each /24 of 10.1.0.0/16 that exists is inside it");
    });

    it("says at advisory level that a block not known yet (IPAM) cannot be judged, and still judges the known ones", () => {
        const reported = check([vpc("ipam", PULUMI_UNKNOWN), vpc("a", "10.1.0.0/16"), vpc("b", "10.1.0.0/24")]);
        assert.deepEqual(
            reported.map((r) => [r.level, r.urn]),
            [
                ["advisory", urnOf(VPC, "ipam")],
                ["policy", urnOf(VPC, "b")],
            ],
        );
        assert.match(reported[0].message, /VPC "ipam" has a CIDR block that is not known yet/);
    });

    it("treats a missing block as not known, never as a pass", () => {
        const reported = check([
            stackResource(VPC, "no-block", { ipv4IpamPoolId: "ipam-pool-1", ipv4NetmaskLength: 16 }),
        ]);
        assert.deepEqual(
            reported.map((r) => r.level),
            ["advisory"],
        );
    });

    it("rejects a block that is not an IPv4 CIDR, since overlaps cannot be ruled out", () => {
        for (const bad of ["banana", "10.1.0.0", 42, "2001:db8::/56", ["10.1.0.0/16"], { cidr: "10.1.0.0/16" }]) {
            const reported = check([vpc("odd", bad)]);
            assert.equal(reported.length, 1, JSON.stringify(bad));
            assert.equal(reported[0].level, "policy");
            assert.match(reported[0].message, /not an IPv4 CIDR block/);
        }
    });

    it("checks VPCs against the networks listed in externalCidrs, not those networks against each other", () => {
        const config = { externalCidrs: ["192.168.0.0/16", "192.168.1.0/24", "10.2.0.0/16"] };
        const reported = check([vpc("a", "10.1.0.0/16"), vpc("b", "10.2.3.0/24")], config);
        assert.equal(reported.length, 1);
        assert.match(reported[0].message, /VPC "b" \(10\.2\.3\.0\/24\) lies inside external network 10\.2\.0\.0\/16/);
        assert.equal(reported[0].urn, urnOf(VPC, "b"));
    });

    it("rejects policy config it cannot read, naming the entry", () => {
        assert.match(
            check([vpc("a", "10.1.0.0/16")], { externalCidrs: ["10.0.0.0/8x"] })[0].message,
            /externalCidrs\[0\] "10\.0\.0\.0\/8x" is not an IPv4 CIDR block/,
        );
        assert.match(
            check([vpc("a", "10.1.0.0/16")], { externalCidrs: "10.0.0.0/8" })[0].message,
            /must be a list of IPv4 CIDR blocks/,
        );
    });

    it("ignores resources of other types", () => {
        assert.deepEqual(
            check([vpc("a", "10.1.0.0/16"), stackResource(AWS_TYPES.subnet, "s", { cidrBlock: "10.1.0.0/16" })]),
            [],
        );
    });
});
