import { strict as assert } from "assert";
import { parseStackConfig } from "../../infra/config";
import { configProblems, onlyConfigProblem, rawConfig, TWO_VPCS } from "../helpers/config";
import { PROJECT } from "../helpers/pulumi";

/**
 * Config that zod would accept but AWS or its provider would refuse at `pulumi up`, caught before
 * any resource is declared, one line naming the key and its value.
 */

const NS = PROJECT;
const ssh = (allowedCidrs: string[]) => ({ vpcs: TWO_VPCS, pingHosts: { ssh: { enabled: true, allowedCidrs } } });

describe("stack config, spelled as AWS accepts it", () => {
    describe("pingHosts.ssh.allowedCidrs: each block written as its network address, as the provider's cidr_ipv4 validator (verify.ValidIPv4CIDRNetworkAddress) requires", () => {
        const refused = [
            {
                name: "host bits set: suggests the network address and the one host",
                cidr: "203.0.113.7/24",
                message: `${NS}:pingHosts.ssh.allowedCidrs[0] = "203.0.113.7/24": is not written as its network address, which AWS requires; did you mean 203.0.113.0/24? (or 203.0.113.7/32 for one host)`,
            },
            {
                name: "a leading space",
                cidr: " 198.51.100.0/24",
                message: `${NS}:pingHosts.ssh.allowedCidrs[0] = " 198.51.100.0/24": has spaces around it; write "198.51.100.0/24"`,
            },
            {
                name: "a trailing space",
                cidr: "198.51.100.0/24 ",
                message: `${NS}:pingHosts.ssh.allowedCidrs[0] = "198.51.100.0/24 ": has spaces around it; write "198.51.100.0/24"`,
            },
        ];
        for (const c of refused)
            it(`refuses ${c.name}`, () => assert.equal(onlyConfigProblem(ssh([c.cidr])), c.message));

        it("names each offending entry by its index, one line each", () => {
            const problems = configProblems(ssh(["198.51.100.0/24", "203.0.113.7/24", " 192.0.2.0/24"]));
            assert.deepEqual(
                problems.map((p) => p.split(" = ")[0]),
                [`${NS}:pingHosts.ssh.allowedCidrs[1]`, `${NS}:pingHosts.ssh.allowedCidrs[2]`],
            );
        });

        it("passes blocks written as their network address through unchanged", () => {
            const cidrs = ["203.0.113.0/24", "198.51.100.7/32", "192.0.2.128/25"];
            assert.deepEqual(parseStackConfig(rawConfig(ssh(cidrs)), NS).pingHosts.ssh.allowedCidrs, cidrs);
        });
    });

    describe("VPC names", () => {
        const refused = ["VPC1", "Vpc1", "1vpc", "vpc_1", "-vpc", `v${"a".repeat(31)}`];
        for (const name of refused) {
            it(`refuses ${JSON.stringify(name)} with the project's own rule, not zod's "Invalid key in record"`, () => {
                const vpcs = { [name]: TWO_VPCS.vpc1, vpc2: TWO_VPCS.vpc2 };
                const problem = onlyConfigProblem({ vpcs });
                assert.ok(problem.startsWith(`${NS}:vpcs.${name} = `), problem);
                assert.match(
                    problem,
                    /: is not a VPC name: a lower-case letter, then up to 30 lower-case letters, digits or dashes/,
                );
                assert.doesNotMatch(problem, /Invalid key/);
            });
        }

        it("accepts a lower-case letter followed by up to 30 lower-case letters, digits and dashes", () => {
            const longest = `v${"a-1".repeat(10)}`;
            assert.equal(longest.length, 31);
            const config = parseStackConfig(rawConfig({ vpcs: { [longest]: TWO_VPCS.vpc1, b: TWO_VPCS.vpc2 } }), NS);
            assert.deepEqual(Object.keys(config.vpcs), [longest, "b"]);
        });

        it("reports a bad name and a bad block of the same VPC together", () => {
            const problems = configProblems({ vpcs: { VPC1: { cidrBlock: "10.1.0.0/33" }, vpc2: TWO_VPCS.vpc2 } });
            assert.deepEqual(problems.map((p) => p.split(" = ")[0]).sort(), [
                `${NS}:vpcs.VPC1`,
                `${NS}:vpcs.VPC1.cidrBlock`,
            ]);
        });
    });
});
