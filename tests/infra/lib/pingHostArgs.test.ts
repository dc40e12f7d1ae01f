import { strict as assert } from "assert";
import {
    AL2023_PARAMETERS,
    amiParameterArchitecture,
    defaultAmiParameter,
    instanceTypeArchitecture,
    pingHostArgsProblems,
} from "../../../infra/lib/pingHostArgs";

describe("PingHost arguments", () => {
    describe("an instance type's architecture, from AWS's naming conventions", () => {
        const cases: [string, string][] = [
            ["t3.micro", "x86_64"],
            ["t4g.micro", "arm64"],
            ["m7gd.large", "arm64"],
            ["c7gn.xlarge", "arm64"],
            ["is4gen.large", "arm64"],
            ["g5g.xlarge", "arm64"],
            ["a1.medium", "arm64"],
            ["mac2-m2.metal", "arm64"],
            ["g4dn.xlarge", "x86_64"],
            ["m7i-flex.large", "x86_64"],
            ["u-6tb1.metal", "x86_64"],
            ["mac1.metal", "x86_64"],
        ];
        for (const [type, architecture] of cases)
            it(`${type} is ${architecture}`, () => assert.equal(instanceTypeArchitecture(type), architecture));
    });

    it("read the architecture an AMI parameter's name states, and nothing from one that states none", () => {
        assert.equal(amiParameterArchitecture(AL2023_PARAMETERS.arm64), "arm64");
        assert.equal(amiParameterArchitecture(AL2023_PARAMETERS.x86_64), "x86_64");
        assert.equal(amiParameterArchitecture("/my/golden-image"), undefined);
    });

    it("default the AMI parameter to Amazon Linux 2023 for the instance type's architecture", () => {
        assert.equal(defaultAmiParameter("t3.micro"), AL2023_PARAMETERS.x86_64);
        assert.equal(defaultAmiParameter("t4g.micro"), AL2023_PARAMETERS.arm64);
    });

    it("accept the seeds' host: a peer VPC, no SSH", () =>
        assert.deepEqual(pingHostArgsProblems({ peerCidrBlocks: ["10.2.0.0/16"] }), []));

    describe("are refused, naming the argument and its value", () => {
        const base = { peerCidrBlocks: ["10.2.0.0/16"] };
        const cases: [string, Parameters<typeof pingHostArgsProblems>[0], RegExp][] = [
            [
                "SSH from the whole internet",
                { ...base, ssh: { allowedCidrs: ["0.0.0.0/0"] } },
                /^ssh\.allowedCidrs\[0\] "0\.0\.0\.0\/0": opens SSH to the whole internet/,
            ],
            ["SSH from nowhere", { ...base, ssh: { allowedCidrs: [] } }, /^ssh\.allowedCidrs is empty/],
            // What the provider's cidr_ipv4 validator refuses (verify.ValidIPv4CIDRNetworkAddress).
            [
                "an SSH source with host bits, which the provider refuses",
                { ...base, ssh: { allowedCidrs: ["203.0.113.7/24"] } },
                /^ssh\.allowedCidrs\[0\] "203\.0\.113\.7\/24": is not written as its network address, which AWS requires; did you mean 203\.0\.113\.0\/24\? \(or 203\.0\.113\.7\/32 for one host\)$/,
            ],
            [
                "an SSH source with spaces around it",
                { ...base, ssh: { allowedCidrs: [" 198.51.100.0/24"] } },
                /^ssh\.allowedCidrs\[0\] " 198\.51\.100\.0\/24": has spaces around it; write "198\.51\.100\.0\/24"$/,
            ],
            [
                "a peer block with host bits",
                { peerCidrBlocks: ["10.2.3.4/16"] },
                /^peerCidrBlocks\[0\] "10\.2\.3\.4\/16": is not written as its network address, which AWS requires; did you mean 10\.2\.0\.0\/16\?$/,
            ],
            [
                "pings from the whole internet",
                { peerCidrBlocks: ["0.0.0.0/0"] },
                /^peerCidrBlocks\[0\] "0\.0\.0\.0\/0": lets the whole internet ping/,
            ],
            [
                "an x86_64 image for a Graviton instance type",
                { ...base, instanceType: "t4g.micro", amiParameter: AL2023_PARAMETERS.x86_64 },
                /^amiParameter ".*x86_64": names an x86_64 image, but instanceType t4g\.micro is arm64; use .*arm64/,
            ],
            [
                "an arm64 image for the default instance type",
                { ...base, amiParameter: AL2023_PARAMETERS.arm64 },
                /^amiParameter ".*arm64": names an arm64 image, but instanceType t3\.micro is x86_64/,
            ],
        ];
        for (const [what, args, why] of cases)
            it(what, () => {
                const problems = pingHostArgsProblems(args);
                assert.equal(problems.length, 1, problems.join("\n"));
                assert.match(problems[0], why);
            });
    });
});
