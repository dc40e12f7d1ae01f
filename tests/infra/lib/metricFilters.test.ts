import { strict as assert } from "assert";
import { addressWildcards, flowLogMetrics, flowLogPattern, METRIC_NAMES } from "../../../infra/lib/metricFilters";
import { FLOW_LOG_FIELDS } from "../../../model/flowLogFormat";
import { matchFields, publishedValue } from "../../helpers/filterPattern";

/** The seeds' own record: an internet scanner's TCP flow to the host, accepted. */
const SEED_ACCEPT =
    "2 394971810761 eni-0ba4fb34d7e9a41ff 143.110.152.75 10.1.1.133 56142 20167 6 1 44 1752577951 1752578009 ACCEPT OK";
const SCAN_REJECT =
    "2 394971810761 eni-0ba4fb34d7e9a41ff 198.51.100.7 10.1.1.133 44321 22 6 3 180 1752577951 1752578009 REJECT OK";
const ping = (src: string, dst: string, action = "ACCEPT") =>
    `2 394971810761 eni-0ba4fb34d7e9a41ff ${src} ${dst} 0 0 1 4 336 1752577951 1752578009 ${action} OK`;
const NODATA = "2 394971810761 eni-0ba4fb34d7e9a41ff - - - - - - - 1752577951 1752578009 - NODATA";

const BLOCKS = ["10.1.0.0/16", "10.2.0.0/16"];
const metrics = flowLogMetrics(BLOCKS);
const byName = (name: string) => metrics.filter((m) => m.metricName === name);
/** What a metric receives from one record, summed over its filters (a metric may have several). */
const received = (name: string, record: string) =>
    byName(name)
        .map((m) => publishedValue(m.pattern, m.value, record))
        .filter((v): v is number => v !== undefined);

describe("flow-log metric filters", () => {
    it("name every field of the one record format, in its order", () => {
        const fields = matchFields(flowLogPattern({}), SEED_ACCEPT)!;
        assert.deepEqual(
            Object.keys(fields),
            FLOW_LOG_FIELDS.map((f) => f.column),
        );
        assert.equal(fields.srcaddr, "143.110.152.75");
        assert.equal(fields.bytes, "44");
    });

    it("refuse a condition on a field the format does not have", () =>
        assert.throws(() => flowLogPattern({ ["tcp_flags" as "action"]: "= 2" }), /tcp_flags is not a field/));

    describe("rejected traffic", () => {
        const cases = [
            { record: SEED_ACCEPT, name: "the seeds' accepted record", flows: [], packets: [], bytes: [] },
            { record: SCAN_REJECT, name: "a rejected SSH probe", flows: [1], packets: [3], bytes: [180] },
            { record: ping("10.1.1.10", "10.2.0.10"), name: "an accepted ping", flows: [], packets: [], bytes: [] },
            { record: NODATA, name: "a NODATA record", flows: [], packets: [], bytes: [] },
        ];
        for (const c of cases) {
            it(`count ${c.name} as ${c.flows.length ? "one rejected flow with its packets and bytes" : "nothing"}`, () => {
                assert.deepEqual(received(METRIC_NAMES.rejectedFlows, c.record), c.flows);
                assert.deepEqual(received(METRIC_NAMES.rejectedPackets, c.record), c.packets);
                assert.deepEqual(received(METRIC_NAMES.rejectedBytes, c.record), c.bytes);
            });
        }

        it("publish bytes in Bytes and flows and packets in Count", () =>
            assert.deepEqual(
                [METRIC_NAMES.rejectedFlows, METRIC_NAMES.rejectedPackets, METRIC_NAMES.rejectedBytes].map(
                    (n) => byName(n)[0].unit,
                ),
                ["Count", "Count", "Bytes"],
            ));
    });

    describe("accepted ICMP between the VPCs", () => {
        const cases = [
            { name: "a ping from vpc1 to vpc2", record: ping("10.1.1.10", "10.2.0.10"), packets: [4] },
            { name: "its reply from vpc2 to vpc1", record: ping("10.2.0.10", "10.1.1.10"), packets: [4] },
            { name: "a rejected ping between them", record: ping("10.1.1.10", "10.2.0.10", "REJECT"), packets: [] },
            { name: "a ping from the internet", record: ping("203.0.113.9", "10.1.1.10"), packets: [] },
            { name: "a ping inside vpc1", record: ping("10.1.1.10", "10.1.1.11"), packets: [] },
            { name: "a neighbour block's ping", record: ping("10.10.1.10", "10.2.0.10"), packets: [] },
            { name: "TCP between the VPCs", record: SEED_ACCEPT.replace("143.110.152.75", "10.2.0.10"), packets: [] },
        ];
        for (const c of cases)
            it(`${c.packets.length ? "counts the packets of" : "ignores"} ${c.name}`, () =>
                assert.deepEqual(received(METRIC_NAMES.icmpBetweenVpcs, c.record), c.packets));
    });
});

describe("addressWildcards", () => {
    const cases = [
        { cidr: "10.1.0.0/16", wildcards: ['"10.1.*"'] },
        { cidr: "10.1.1.0/24", wildcards: ['"10.1.1.*"'] },
        { cidr: "10.0.0.0/8", wildcards: ['"10.*"'] },
        { cidr: "10.1.4.0/23", wildcards: ['"10.1.4.*"', '"10.1.5.*"'] },
        { cidr: "10.1.0.0/17", wildcards: ['"10.1.*"'], note: " (the enclosing /16: 128 /24s are too many)" },
        { cidr: "10.1.1.16/28", wildcards: ['"10.1.1.*"'], note: " (the enclosing /24)" },
    ];
    for (const c of cases)
        it(`covers ${c.cidr} with ${c.wildcards.join(" ")}${c.note ?? ""}`, () =>
            assert.deepEqual(addressWildcards(c.cidr), c.wildcards));

    it("matches every address of a split block and none beside it", () => {
        const pattern = `[a = ${addressWildcards("10.1.4.0/23").join(" || a = ")}]`;
        assert.ok(matchFields(pattern, "10.1.4.1") && matchFields(pattern, "10.1.5.254"));
        assert.equal(matchFields(pattern, "10.1.6.1"), undefined);
        assert.equal(matchFields(pattern, "10.1.45.1"), undefined);
    });
});
