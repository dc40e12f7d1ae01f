import { strict as assert } from "assert";
import { parseCidr } from "../../../model/cidr";
import { defaultPublicSubnetCidr, vpcArgsProblems } from "../../../infra/lib/vpcArgs";

describe("Vpc arguments", () => {
    describe("the public subnet's default block", () => {
        const cases: [string, string][] = [
            ["10.1.0.0/16", "10.1.0.0/24"],
            ["10.1.0.0/24", "10.1.0.0/24"],
            ["10.1.0.16/28", "10.1.0.16/28"],
        ];
        for (const [vpc, subnet] of cases)
            it(`is ${subnet} in ${vpc}`, () => assert.equal(defaultPublicSubnetCidr(parseCidr(vpc)!), subnet));
    });

    it("accept a subnet inside the VPC, or none (the default)", () => {
        assert.deepEqual(vpcArgsProblems({ cidrBlock: "10.9.0.0/16", publicSubnetCidr: "10.9.3.0/24" }), []);
        assert.deepEqual(vpcArgsProblems({ cidrBlock: "10.9.0.0/16" }), []);
    });

    describe("are refused, naming the argument and its value", () => {
        const cases: [string, { cidrBlock: string; publicSubnetCidr?: string }, string][] = [
            [
                "a subnet outside the VPC",
                { cidrBlock: "10.9.0.0/16", publicSubnetCidr: "10.8.0.0/24" },
                `publicSubnetCidr "10.8.0.0/24": lies outside the VPC's block 10.9.0.0/16; pick a block inside it`,
            ],
            [
                "a VPC block AWS would not create",
                { cidrBlock: "10.0.0.0/8" },
                `cidrBlock "10.0.0.0/8": AWS accepts VPC blocks from /16 to /28`,
            ],
            [
                "a block with host bits, which the provider refuses",
                { cidrBlock: "10.9.0.0/16", publicSubnetCidr: "10.9.3.7/24" },
                `publicSubnetCidr "10.9.3.7/24": is not written as its network address, which AWS requires; did you mean 10.9.3.0/24?`,
            ],
            [
                "a subnet block that is no CIDR",
                { cidrBlock: "10.9.0.0/16", publicSubnetCidr: "10.9.0.0" },
                `publicSubnetCidr "10.9.0.0": not an IPv4 CIDR block (expected a.b.c.d/n with n from 0 to 32)`,
            ],
        ];
        for (const [what, args, problem] of cases) it(what, () => assert.deepEqual(vpcArgsProblems(args), [problem]));
    });
});
