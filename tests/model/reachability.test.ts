import { strict as assert } from "assert";
import { AWS_TYPES } from "../../model/awsTypes";
import { PULUMI_UNKNOWN } from "../../model/unknown";
import * as fc from "fast-check";
import { analyzeReachability, formatReachability, NetworkResource, ReachabilityResult } from "../../model/reachability";
import {
    associate,
    changed,
    echoIn,
    echoOut,
    instance,
    networkAcl,
    peeredPair,
    peering,
    route,
    routeTable,
    securityGroup,
    side,
    subnet,
    toPeering,
    without,
} from "../fixtures/reachability/network";
import { devStackRun, fromRecorded } from "../helpers/pulumi";

/** The result for the pair whose ends have these private addresses. */
function between(results: readonly ReachabilityResult[], fromIp: string, toIp: string): ReachabilityResult {
    const found = results.filter((r) => r.from.privateIp === fromIp && r.to.privateIp === toIp);
    assert.equal(found.length, 1, `one result from ${fromIp} to ${toIp}, got ${found.length}`);
    return found[0];
}

function assertBlocked(result: ReachabilityResult, reason: RegExp): void {
    assert.equal(result.verdict, "blocked", result.reason);
    assert.equal(result.reachable, false);
    assert.match(result.reason, reason);
}

function assertReachable(result: ReachabilityResult, path?: RegExp): void {
    assert.equal(result.verdict, "reachable", result.reason);
    assert.equal(result.reachable, true);
    if (path) assert.match(result.reason, path);
}

describe("reachability: the seeds' story, on the dev program", () => {
    let resources: NetworkResource[];
    let ip1: string;
    let ip2: string;
    let peeringOutput: string;
    const id = (name: string) => resources.find((r) => r.name === name)!.id;
    const isPeeringRoute = (r: NetworkResource) =>
        r.type === AWS_TYPES.route && r.properties.vpcPeeringConnectionId !== undefined;

    before(async () => {
        const run = await devStackRun();
        resources = fromRecorded(run.resources);
        ({ vpc1: ip1, vpc2: ip2 } = run.outputs.privateIps);
        peeringOutput = run.outputs.peeringConnectionId;
    });

    it("without a peering connection, neither host has a route to the other's private address", () => {
        const results = analyzeReachability(
            resources.filter((r) => r.type !== AWS_TYPES.peering && !isPeeringRoute(r)),
        );
        assertBlocked(
            between(results, ip1, ip2),
            new RegExp(
                `route table rtb-\\w+ \\(vpc1-public-rt\\) of subnet subnet-\\w+ \\(vpc1-public\\) has no route to ${ip2} \\(only 0\\.0\\.0\\.0/0 to internet gateway igw-`,
            ),
        );
        assertBlocked(between(results, ip2, ip1), new RegExp(`\\(vpc2-public-rt\\) .* has no route to ${ip1}`));
    });

    it("a peering connection without routes still leaves no route to the peer", () => {
        const results = analyzeReachability(resources.filter((r) => !isPeeringRoute(r)));
        assertBlocked(between(results, ip1, ip2), new RegExp(`\\(vpc1-public-rt\\) .* has no route to ${ip2}`));
        assertBlocked(between(results, ip2, ip1), new RegExp(`\\(vpc2-public-rt\\) .* has no route to ${ip1}`));
    });

    it("a route on one side only takes the request there, but the reply has no route back", () => {
        const results = analyzeReachability(resources.filter((r) => r.name !== "vpc1-vpc2-vpc2-to-vpc1-0"));
        assertBlocked(
            between(results, ip1, ip2),
            new RegExp(`\\(vpc2-public-rt\\) of subnet .* has no route back to ${ip1}`),
        );
        assertBlocked(
            between(results, ip2, ip1),
            new RegExp(`\\(vpc2-public-rt\\) of subnet .* has no route to ${ip1}`),
        );
    });

    it("with peering and routes but no ICMP rule in the destination's security group, the echo stops at that group", () => {
        const results = analyzeReachability(resources.filter((r) => r.name !== "vpc2-host-icmp-in-0"));
        const group = id("vpc2-host-sg");
        assertBlocked(
            between(results, ip1, ip2),
            new RegExp(
                `^security group ${group} \\(vpc2-host-sg\\) of vpc2-host-instance admits no ICMP echo from ${ip1}$`,
            ),
        );
        assertReachable(between(results, ip2, ip1));
    });

    it("with an ICMP rule only out of the source, the source's group lets nothing out", () => {
        const results = analyzeReachability(resources.filter((r) => r.name !== "vpc1-host-icmp-out-0"));
        assertBlocked(
            between(results, ip1, ip2),
            new RegExp(
                `security group ${id("vpc1-host-sg")} \\(vpc1-host-sg\\) of vpc1-host-instance lets no ICMP echo out to ${ip2}`,
            ),
        );
    });

    it("the full dev stack: each host reaches the other through the peering connection, and the reply comes back the same way", () => {
        const results = analyzeReachability(resources);
        const instances = resources.filter((r) => r.type === AWS_TYPES.instance).length;
        assert.equal(results.length, instances * (instances - 1), "an answer for every ordered pair of instances");
        assert.equal(results.length, 2);
        const pcx = id("vpc1-vpc2-pcx");
        assert.equal(pcx, peeringOutput, "the path runs through the stack's exported peering connection");
        assertReachable(
            between(results, ip1, ip2),
            new RegExp(`10\\.2\\.0\\.0/16 -> ${pcx}.*; reply via rtb-\\w+ 10\\.1\\.0\\.0/16 -> ${pcx}`),
        );
        assertReachable(
            between(results, ip2, ip1),
            new RegExp(`10\\.1\\.0\\.0/16 -> ${pcx}.*; reply via rtb-\\w+ 10\\.2\\.0\\.0/16 -> ${pcx}`),
        );
        assert.deepEqual(between(results, ip1, ip2).from, {
            name: "vpc1-host-instance",
            id: id("vpc1-host-instance"),
            privateIp: ip1,
        });
    });
});

describe("reachability: routing", () => {
    it("the longest prefix wins: a more specific route through the wrong peering connection blocks", () => {
        const network = [
            ...peeredPair(),
            ...side(3),
            peering(1, 3),
            route("rtb-1", "10.2.1.0/24", toPeering("pcx-13")),
        ];
        assertBlocked(
            between(analyzeReachability(network), "10.1.1.10", "10.2.1.10"),
            /rtb-1 of subnet subnet-1 sends 10\.2\.1\.10 to pcx-13 \(10\.2\.1\.0\/24\), which joins vpc-1 and vpc-3, not vpc-2/,
        );
    });

    it("the longest prefix wins: a specific route through the right connection beats a broad one through another", () => {
        const network = [
            ...peeredPair(),
            ...side(3),
            peering(1, 3),
            route("rtb-1", "10.0.0.0/8", toPeering("pcx-13")),
            route("rtb-3", "10.1.0.0/16", toPeering("pcx-13")),
            echoOut(1, "10.3.0.0/16"),
            echoIn(3, "10.1.0.0/16"),
        ];
        const results = analyzeReachability(network);
        assertReachable(between(results, "10.1.1.10", "10.2.1.10"), /rtb-1 10\.2\.0\.0\/16 -> pcx-12/);
        assertReachable(between(results, "10.1.1.10", "10.3.1.10"), /rtb-1 10\.0\.0\.0\/8 -> pcx-13/);
    });

    it("a peering connection to a third VPC does not carry traffic on to the second: peering is not transitive", () => {
        const network = [
            ...side(1),
            ...side(2),
            ...side(3),
            peering(1, 3),
            peering(3, 2),
            route("rtb-1", "10.2.0.0/16", toPeering("pcx-13")),
            route("rtb-3", "10.2.0.0/16", toPeering("pcx-32")),
            route("rtb-2", "10.1.0.0/16", toPeering("pcx-32")),
            echoOut(1, "10.2.0.0/16"),
            echoIn(2, "10.1.0.0/16"),
        ];
        assertBlocked(
            between(analyzeReachability(network), "10.1.1.10", "10.2.1.10"),
            /sends 10\.2\.1\.10 to pcx-13 .*joins vpc-1 and vpc-3, not vpc-2: peering is not transitive/,
        );
    });

    it("a connection waiting for acceptance carries nothing, until an accepter accepts it", () => {
        const pending = changed(peeredPair(), "pcx-12", (p) => ({
            ...p,
            autoAccept: false,
            acceptStatus: "pending-acceptance",
        }));
        assertBlocked(
            between(analyzeReachability(pending), "10.1.1.10", "10.2.1.10"),
            /pcx-12 .*which is not active \(pending-acceptance\)/,
        );
        const accepter: NetworkResource = {
            type: AWS_TYPES.peeringAccepter,
            id: "pcx-12",
            properties: { vpcPeeringConnectionId: "pcx-12", autoAccept: true },
        };
        assertReachable(between(analyzeReachability([...pending, accepter]), "10.1.1.10", "10.2.1.10"));
    });

    it("a subnet without an association uses its VPC's main route table, or the one a main association names", () => {
        const unassociated = without(peeredPair(), "rtbassoc-1");
        assertBlocked(
            between(analyzeReachability(unassociated), "10.1.1.10", "10.2.1.10"),
            /route table rtb-main-1 \(main route table of vpc-1\) of subnet subnet-1 has no route to 10\.2\.1\.10/,
        );
        const mainRoute = route("rtb-main-1", "10.2.0.0/16", toPeering("pcx-12"));
        assertReachable(
            between(analyzeReachability([...unassociated, mainRoute]), "10.1.1.10", "10.2.1.10"),
            /rtb-main-1 10\.2\.0\.0\/16 -> pcx-12/,
        );
        const mainAssociation: NetworkResource = {
            type: AWS_TYPES.mainRouteTableAssociation,
            id: "main-1",
            properties: { vpcId: "vpc-1", routeTableId: "rtb-1" },
        };
        assertReachable(
            between(analyzeReachability([...unassociated, mainAssociation]), "10.1.1.10", "10.2.1.10"),
            /rtb-1 10\.2\.0\.0\/16 -> pcx-12/,
        );
    });

    it("reads inline routes of a route table", () => {
        const inline = [
            ...without(peeredPair(), "rtb-1", "r-rtb-1-10.2.0.0/16"),
            routeTable(1, 1, [{ cidrBlock: "10.2.0.0/16", vpcPeeringConnectionId: "pcx-12" }]),
        ];
        assertReachable(
            between(analyzeReachability(inline), "10.1.1.10", "10.2.1.10"),
            /rtb-1 10\.2\.0\.0\/16 -> pcx-12/,
        );
    });

    it("hosts in one VPC reach each other through the local route", () => {
        const network = [
            ...side(1),
            subnet(9, 1, "10.1.9.0/24"),
            associate(9, 1),
            instance(9, 9, "10.1.9.10", ["sg-1"]),
            echoIn(1, "10.1.0.0/16"),
            echoOut(1, "10.1.0.0/16"),
        ];
        assertReachable(
            between(analyzeReachability(network), "10.1.1.10", "10.1.9.10"),
            /rtb-1 10\.1\.0\.0\/16 -> local/,
        );
    });
});

describe("reachability: network ACLs", () => {
    it("an ACL entry that denies ICMP before the allow-all entry blocks the request", () => {
        const acl = networkAcl(2, 2, 2, {
            ingress: [
                { ruleNo: 100, action: "allow", protocol: "-1", cidrBlock: "0.0.0.0/0", fromPort: 0, toPort: 0 },
                {
                    ruleNo: 90,
                    action: "deny",
                    protocol: "icmp",
                    cidrBlock: "10.1.0.0/16",
                    fromPort: 0,
                    toPort: 0,
                    icmpType: -1,
                    icmpCode: -1,
                },
            ],
            egress: [{ ruleNo: 100, action: "allow", protocol: "-1", cidrBlock: "0.0.0.0/0", fromPort: 0, toPort: 0 }],
        });
        const results = analyzeReachability([...peeredPair(), acl]);
        assertBlocked(
            between(results, "10.1.1.10", "10.2.1.10"),
            /^network ACL acl-2 of subnet subnet-2 denies the ICMP echo request in from 10\.1\.1\.10 \(rule 90\)$/,
        );
        assertBlocked(
            between(results, "10.2.1.10", "10.1.1.10"),
            /acl-2 of subnet subnet-2 denies the ICMP echo reply in from 10\.1\.1\.10 \(rule 90\)/,
        );
    });

    it("ACLs are stateless: an ACL that lets the request in but no reply out blocks the reply", () => {
        const acl = networkAcl(2, 2, 2, {
            ingress: [
                {
                    ruleNo: 100,
                    action: "allow",
                    protocol: "icmp",
                    cidrBlock: "10.1.0.0/16",
                    fromPort: 0,
                    toPort: 0,
                    icmpType: 8,
                    icmpCode: 0,
                },
            ],
            egress: [
                { ruleNo: 100, action: "allow", protocol: "tcp", cidrBlock: "0.0.0.0/0", fromPort: 443, toPort: 443 },
            ],
        });
        assertBlocked(
            between(analyzeReachability([...peeredPair(), acl]), "10.1.1.10", "10.2.1.10"),
            /acl-2 of subnet subnet-2 has no rule allowing the ICMP echo reply out to 10\.1\.1\.10; ACLs are stateless/,
        );
    });

    it("a standalone rule added to a VPC's default ACL is evaluated before AWS's allow-all rule 100", () => {
        const deny: NetworkResource = {
            type: AWS_TYPES.networkAclRule,
            id: "deny-icmp",
            properties: {
                networkAclId: "acl-default-1",
                ruleNumber: 50,
                egress: true,
                protocol: "1",
                ruleAction: "deny",
                cidrBlock: "0.0.0.0/0",
                icmpType: 8,
                icmpCode: -1,
            },
        };
        const results = analyzeReachability([...peeredPair(), deny]);
        assertBlocked(
            between(results, "10.1.1.10", "10.2.1.10"),
            /network ACL acl-default-1 \(default ACL of vpc-1\) of subnet subnet-1 denies the ICMP echo request out to 10\.2\.1\.10 \(rule 50\)/,
        );
        assertReachable(between(results, "10.2.1.10", "10.1.1.10"), /acl-default-1 out \(rule 100\)/);
    });

    it("traffic inside one subnet never meets the subnet's ACL", () => {
        const denyAll = networkAcl(1, 1, 1, { ingress: [], egress: [] });
        const network = [
            ...side(1),
            instance(9, 1, "10.1.1.20", ["sg-1"]),
            echoIn(1, "10.1.1.0/24"),
            echoOut(1, "10.1.1.0/24"),
            denyAll,
        ];
        assertReachable(between(analyzeReachability(network), "10.1.1.10", "10.1.1.20"));
    });
});

describe("reachability: security groups", () => {
    it("an instance without groups gets its VPC's default group, which admits its own members", () => {
        const network = [...side(1), instance(8, 1, "10.1.1.20"), instance(9, 1, "10.1.1.30")];
        assertReachable(
            between(analyzeReachability(network), "10.1.1.20", "10.1.1.30"),
            /sg-default-1 out \(rule AWS default: all out\)/,
        );
        const restricted: NetworkResource = {
            type: AWS_TYPES.defaultSecurityGroup,
            id: "sg-managed",
            properties: { vpcId: "vpc-1", ingress: [], egress: [] },
        };
        assertBlocked(
            between(analyzeReachability([...network, restricted]), "10.1.1.20", "10.1.1.30"),
            /security group sg-default-1 of host-8 lets no ICMP echo out/,
        );
    });

    it("reads inline rules and ec2.SecurityGroupRule with any ICMP type (-1), and a rule naming the peer's group", () => {
        const inline = securityGroup(1, 1, {
            egress: [{ protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["10.2.0.0/16"] }],
        });
        const byGroup: NetworkResource = {
            type: AWS_TYPES.securityGroupRule,
            id: "sgrule-2",
            properties: {
                type: "ingress",
                securityGroupId: "sg-2",
                protocol: "icmp",
                fromPort: 8,
                toPort: 0,
                sourceSecurityGroupId: "sg-1",
            },
        };
        const network = [
            ...without(peeredPair(), "sg-1", "sgr-out-1-10.2.0.0/16", "sgr-in-2-10.1.0.0/16"),
            inline,
            byGroup,
        ];
        assertReachable(
            between(analyzeReachability(network), "10.1.1.10", "10.2.1.10"),
            /sg-1 out \(rule sg-1 egress\[0\]\).*sg-2 in \(rule sgrule-2\)/,
        );
    });

    it("an ICMP rule for another type (echo reply, 0) does not admit echo requests", () => {
        const network = changed(peeredPair(), "sgr-in-2-10.1.0.0/16", (p) => ({ ...p, fromPort: 0 }));
        assertBlocked(
            between(analyzeReachability(network), "10.1.1.10", "10.2.1.10"),
            /security group sg-2 .*admits no ICMP echo from 10\.1\.1\.10/,
        );
    });
});

describe("reachability: values not known", () => {
    it("an unknown subnet, peering connection or block gives not-determinable, naming what is missing", () => {
        const unknownSubnet = changed(peeredPair(), "i-2", (p) => ({ ...p, subnetId: undefined }));
        const result = between(analyzeReachability(unknownSubnet), "10.1.1.10", "10.2.1.10");
        assert.equal(result.verdict, "not-determinable");
        assert.equal(result.reachable, false);
        assert.match(result.reason, /the subnet of host-2 is not known/);

        const unknownPeering = without(peeredPair(), "pcx-12");
        assert.match(
            between(analyzeReachability(unknownPeering), "10.1.1.10", "10.2.1.10").reason,
            /^not determinable: .*pcx-12 .*not among the resources/,
        );

        const unknownRule = changed(peeredPair(), "sgr-in-2-10.1.0.0/16", (p) => ({
            ...p,
            cidrIpv4: PULUMI_UNKNOWN,
        }));
        assert.equal(between(analyzeReachability(unknownRule), "10.1.1.10", "10.2.1.10").verdict, "not-determinable");
    });

    it("a reference Pulumi does not know yet makes only the answers it could change not determinable", () => {
        const verdictWith = (extra: NetworkResource) =>
            between(analyzeReachability([...peeredPair(), extra]), "10.1.1.10", "10.2.1.10");
        const unplacedRoute = route(PULUMI_UNKNOWN, "10.2.1.0/24", { gatewayId: "igw-1" });
        assert.match(
            verdictWith(unplacedRoute).reason,
            /^not determinable: a route whose table is not known might change where route table rtb-1/,
        );

        const unplacedAssociation = associate(1, 1);
        const unknownTable = changed(
            [...without(peeredPair(), "rtbassoc-1"), unplacedAssociation],
            "rtbassoc-1",
            (p) => ({
                ...p,
                routeTableId: PULUMI_UNKNOWN,
            }),
        );
        assert.match(
            between(analyzeReachability(unknownTable), "10.1.1.10", "10.2.1.10").reason,
            /route table of subnet subnet-1 \(id not known\)/,
        );

        // A rule can only add permissions: it cannot take away a reachable answer, only a refusal.
        const unplacedRule = {
            ...echoIn(2, "10.9.0.0/16"),
            properties: { ...echoIn(2, "10.9.0.0/16").properties, securityGroupId: PULUMI_UNKNOWN },
        };
        assert.equal(verdictWith(unplacedRule).verdict, "reachable");
        const refused = between(
            analyzeReachability([...without(peeredPair(), "sgr-in-2-10.1.0.0/16"), unplacedRule]),
            "10.1.1.10",
            "10.2.1.10",
        );
        assert.match(
            refused.reason,
            /^not determinable: a security group rule whose group is not known might let 10\.1\.1\.10 through security group sg-2/,
        );
    });

    it("never throws, whatever resources or values are missing or mangled", () => {
        const base = [
            ...peeredPair(),
            ...side(3),
            peering(1, 3),
            networkAcl(1, 1, 1, { ingress: [{ ruleNo: 1, action: "allow", protocol: "-1", cidrBlock: "0.0.0.0/0" }] }),
        ];
        const junk = fc.oneof(
            fc.constant(undefined),
            fc.constant(null),
            fc.string(),
            fc.integer(),
            fc.constant([]),
            fc.constant({}),
            fc.constant(["x"]),
        );
        const damage = fc.array(fc.tuple(fc.nat(base.length - 1), fc.option(fc.string()), junk), { maxLength: 8 });
        fc.assert(
            fc.property(fc.subarray(base), damage, (kept, changes) => {
                let network = kept;
                for (const [index, key, value] of changes) {
                    const target = network[index % Math.max(network.length, 1)];
                    if (!target) continue;
                    const field = key ?? Object.keys(target.properties)[0] ?? "x";
                    network = changed(network, target.id, (p) => ({ ...p, [field]: value }));
                }
                for (const result of analyzeReachability(network)) assert.ok(result.reason.length > 0);
            }),
            { numRuns: 150 },
        );
    });
});

describe("formatReachability", () => {
    it("prints one line per pair: the ends, the protocol, the verdict and the reason", () => {
        const [blocked] = analyzeReachability(without(peeredPair(), "pcx-12", "r-rtb-1-10.2.0.0/16"));
        assert.equal(
            formatReachability(blocked),
            "host-1 (10.1.1.10) -> host-2 (10.2.1.10) icmp: blocked: route table rtb-1 of subnet subnet-1 has no route to 10.2.1.10",
        );
        const unknown = analyzeReachability(changed(peeredPair(), "i-1", (p) => ({ ...p, privateIp: undefined })))[0];
        assert.equal(
            formatReachability(unknown),
            "host-1 (address not known) -> host-2 (10.2.1.10) icmp: not determinable: the private IP of host-1 is not known",
        );
    });
});
