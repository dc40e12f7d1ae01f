import { strict as assert } from "assert";
import { parseCidr } from "../../model/cidr";
import {
    admitsIcmp,
    IcmpIngress,
    icmpProtocol,
    judgeIcmpIngress,
    readSources,
    sourceBlocks,
} from "../../model/icmpIngress";

const rule = (
    owner: string,
    icmp: boolean | undefined,
    sources: string[],
    sourcesUnknown = false,
): IcmpIngress<string> => ({
    owner,
    icmp,
    blocks: sourceBlocks(sources),
    sourcesUnknown,
});

describe("ICMP ingress", () => {
    it("knows ICMP by name or number, in any case, and all traffic as ICMP too", () => {
        assert.deepEqual(["icmp", "ICMPv6", "1", "+1", "58", 58, -1, "-1", "All"].map(admitsIcmp), Array(9).fill(true));
        assert.deepEqual(["tcp", "6", 17, "icmp6", "", "1.0", null, {}].map(admitsIcmp), Array(8).fill(false));
    });

    it("takes only CIDR sources, dropping security groups, prefix lists and garbage", () => {
        assert.deepEqual(
            sourceBlocks(["10.0.0.0/8", "sg-123", "pl-1", 42, null, "::/0"]).map((b) => b.text),
            ["10.0.0.0/8", "::/0"],
        );
    });

    it("is open when the ICMP sources of a family add up to the whole space, naming who takes part", () => {
        const verdict = judgeIcmpIngress(
            [rule("a", true, ["0.0.0.0/1"]), rule("b", true, ["128.0.0.0/1"]), rule("c", false, ["0.0.0.0/0"])],
            4,
        );
        assert.equal(verdict.open, true);
        assert.deepEqual(verdict.owners, ["a", "b"]);
        assert.equal(
            judgeIcmpIngress([rule("a", true, ["0.0.0.0/1"]), rule("b", true, ["128.0.0.0/1"])], 6).open,
            false,
        );
    });

    it("is undetermined, not open, when what is not known yet could open it", () => {
        const unknownSources = judgeIcmpIngress([rule("a", true, [], true)], 4);
        assert.deepEqual([unknownSources.open, unknownSources.undetermined], [false, true]);
        assert.equal(judgeIcmpIngress([rule("a", undefined, ["0.0.0.0/0"])], 4).undetermined, true);
        assert.equal(judgeIcmpIngress([rule("a", undefined, ["10.0.0.0/8"])], 4).undetermined, false);
        assert.equal(judgeIcmpIngress([rule("a", false, [], true)], 4).undetermined, false);
    });

    it("tells a protocol it cannot judge from one that is not ICMP", () => {
        assert.deepEqual([undefined, null, "", "tcp", 6, "17"].map(icmpProtocol), Array(6).fill(false));
        assert.deepEqual(
            [true, {}, ["icmp"], 1.5, "ｉｃｍｐ", "icmp or tcp"].map(icmpProtocol),
            Array(6).fill(undefined),
        );
    });

    it("reads sources into blocks, values not known yet, and values named because they cannot be judged", () => {
        const pending = Symbol("pending");
        const read = readSources(
            [
                { name: "cidrBlocks", value: ["10.0.0.0/8", "0/0", pending, ["0.0.0.0/0"], null], list: true },
                { name: "cidrIpv4", value: ["0.0.0.0/0"], list: false },
                { name: "ipv6CidrBlocks", value: "::/0", list: true },
            ],
            parseCidr,
            (value) => value === pending,
        );
        assert.deepEqual(
            read.blocks.map((b) => b.text),
            ["10.0.0.0/8"],
        );
        assert.equal(read.sourcesUnknown, true);
        assert.deepEqual(read.unjudged, [
            'cidrBlocks[1] "0/0"',
            'cidrBlocks[3] ["0.0.0.0/0"]',
            'cidrIpv4 ["0.0.0.0/0"]',
            'ipv6CidrBlocks "::/0"',
        ]);
    });

    it("names what cannot be judged unless the judged sources are already open", () => {
        const odd = { ...rule("a", true, ["0.0.0.0/1"]), unjudged: ['cidrIpv4 "0/0"'] };
        assert.deepEqual(judgeIcmpIngress([odd], 4).unjudged, ['cidrIpv4 "0/0"']);
        assert.deepEqual(judgeIcmpIngress([odd, rule("b", true, ["128.0.0.0/1"])], 4).unjudged, []);
        const protocol = { ...rule("c", undefined, ["0.0.0.0/0"]), icmpUnjudged: "protocol true" };
        const verdict = judgeIcmpIngress([protocol], 4);
        assert.deepEqual([verdict.open, verdict.undetermined, verdict.unjudged], [false, false, ["protocol true"]]);
    });
});
