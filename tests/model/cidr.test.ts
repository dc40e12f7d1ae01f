import { strict as assert } from "assert";
import fc from "fast-check";
import { contains, coversAddressSpace, findOverlaps, parseCidr, subnetOf } from "../../model/cidr";
import { REFUSED_CIDR_SPELLINGS } from "../fixtures/cidr/refusedSpellings";

const block = (text: string) => {
    const parsed = parseCidr(text);
    assert.ok(parsed, `${text} should parse`);
    return parsed;
};

describe("CIDR helpers", () => {
    describe("parseCidr", () => {
        it("clears host bits, as AWS does", () => {
            assert.equal(block("10.1.5.5/16").text, "10.1.0.0/16");
            assert.equal(block("2001:db8::1/32").text, "2001:db8::/32");
        });

        it("reads every IPv6 spelling of the same block alike", () => {
            assert.equal(block("::/0").text, block("0:0:0:0:0:0:0:0/0").text);
            assert.equal(block("2001:DB8:0::/48").text, "2001:db8::/48");
        });

        it("rejects the spellings issue 12 found, none of which the AWS provider's CIDR validator accepts", () => {
            for (const bad of [...REFUSED_CIDR_SPELLINGS, "0.0.0.0/+0"])
                assert.equal(parseCidr(bad), undefined, `${JSON.stringify(bad)} should not parse`);
        });

        it("rejects what AWS rejects: no prefix, prefix too long, non-decimal IPv4, non-strings", () => {
            for (const bad of [
                "10.1.0.0",
                "10.1.0.0/33",
                "::/129",
                "010.1.0.0/16",
                "0x0a.1.0.0/16",
                "10.1/16",
                "10.1.0.0/-1",
                "fe80::1%eth0/64",
                "",
                42,
                null,
                undefined,
                {},
            ]) {
                assert.equal(parseCidr(bad), undefined, `${JSON.stringify(bad)} should not parse`);
            }
        });
    });

    describe("subnetOf", () => {
        it("numbers blocks of the new length from the parent's start", () => {
            assert.equal(subnetOf(block("10.1.0.0/16"), 24, 0).text, "10.1.0.0/24");
            assert.equal(subnetOf(block("10.1.0.0/16"), 24, 2).text, "10.1.2.0/24");
        });

        it("refuses a block that does not fit", () => {
            assert.throws(() => subnetOf(block("10.1.0.0/16"), 24, 256), /no block number 256/);
            assert.throws(() => subnetOf(block("10.1.0.0/16"), 8, 0), RangeError);
        });
    });

    describe("findOverlaps", () => {
        const overlapsOf = (texts: string[]) =>
            findOverlaps(texts.map(block), (b) => b).map(({ outer, inner }) => `${outer.text} > ${inner.text}`);

        it("finds identical and nested blocks, and nothing among disjoint ones", () => {
            assert.deepEqual(overlapsOf(["10.1.0.0/16", "10.2.0.0/16"]), []);
            assert.deepEqual(overlapsOf(["10.1.0.0/16", "10.1.0.0/16"]), ["10.1.0.0/16 > 10.1.0.0/16"]);
            assert.deepEqual(overlapsOf(["10.1.128.0/17", "10.0.0.0/8"]), ["10.0.0.0/8 > 10.1.128.0/17"]);
        });

        it("never mixes families", () => {
            assert.deepEqual(overlapsOf(["0.0.0.0/0", "::/0"]), []);
        });

        it("reports every block involved in an overlap, exactly as a pairwise check decides", () => {
            const arbitraryBlock = fc
                .tuple(
                    fc.integer({ min: 0, max: 255 }),
                    fc.integer({ min: 0, max: 255 }),
                    fc.integer({ min: 4, max: 20 }),
                )
                .map(([a, b, prefix]) => block(`${a}.${b}.0.0/${prefix}`));
            fc.assert(
                fc.property(fc.array(arbitraryBlock, { maxLength: 30 }), (blocks) => {
                    const involved = new Set<number>();
                    findOverlaps(
                        blocks.map((b, i) => ({ b, i })),
                        (x) => x.b,
                    ).forEach(({ outer, inner }) => {
                        involved.add(outer.i);
                        involved.add(inner.i);
                    });
                    blocks.forEach((b, i) => {
                        const pairwise = blocks.some(
                            (other, j) => j !== i && (contains(other, b) || contains(b, other)),
                        );
                        assert.equal(involved.has(i), pairwise, `block ${b.text} at ${i}`);
                    });
                }),
            );
        });
    });

    describe("coversAddressSpace", () => {
        it("sees the whole space in /0 and in halves that add up to it", () => {
            assert.equal(coversAddressSpace([block("0.0.0.0/0")], 4), true);
            assert.equal(coversAddressSpace([block("0.0.0.0/1"), block("128.0.0.0/1")], 4), true);
            assert.equal(coversAddressSpace([block("::/1"), block("8000::/1")], 6), true);
        });

        it("does not see it when a single address is missing, or in the other family", () => {
            assert.equal(coversAddressSpace([block("0.0.0.0/1"), block("128.0.0.0/2")], 4), false);
            assert.equal(coversAddressSpace([block("::/0")], 4), false);
            assert.equal(coversAddressSpace([], 4), false);
        });
    });
});
