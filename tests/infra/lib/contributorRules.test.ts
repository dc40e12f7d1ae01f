import { strict as assert } from "assert";
import { contributorRules, fieldPositions } from "../../../infra/lib/contributorRules";

/** The seeds' record; its fields by 1-based position, as Contributor Insights reads CLF records. */
const SEED =
    "2 394971810761 eni-0ba4fb34d7e9a41ff 143.110.152.75 10.1.1.133 56142 20167 6 1 44 1752577951 1752578009 ACCEPT OK";
const fieldsOf = (record: string, positions: Record<string, string>) =>
    Object.fromEntries(Object.entries(positions).map(([position, name]) => [name, record.split(" ")[+position - 1]]));

describe("Contributor Insights rules", () => {
    const [talkers, rejected] = contributorRules("/flow/logs");

    it("use AWS's documented positions for the flow-log fields (srcaddr 4, dstaddr 5, bytes 10, action 13)", () =>
        assert.deepEqual(fieldPositions(["srcaddr", "dstaddr", "bytes", "action"]), {
            "4": "srcaddr",
            "5": "dstaddr",
            "10": "bytes",
            "13": "action",
        }));

    it("read the seeds' record into the fields each rule keys on", () => {
        assert.deepEqual(fieldsOf(SEED, talkers.definition.Fields), {
            srcaddr: "143.110.152.75",
            dstaddr: "10.1.1.133",
            bytes: "44",
        });
        assert.deepEqual(fieldsOf(SEED, rejected.definition.Fields), { srcaddr: "143.110.152.75", action: "ACCEPT" });
    });

    it("rank source and destination pairs by the sum of their bytes", () => {
        const { Contribution, AggregateOn } = talkers.definition;
        assert.deepEqual(
            [Contribution.Keys, Contribution.ValueOf, AggregateOn],
            [["srcaddr", "dstaddr"], "bytes", "Sum"],
        );
    });

    it("rank sources by their count of REJECT records only", () => {
        const { Contribution, AggregateOn } = rejected.definition;
        assert.deepEqual(
            [Contribution.Keys, Contribution.Filters, AggregateOn],
            [["srcaddr"], [{ Match: "action", In: ["REJECT"] }], "Count"],
        );
    });

    it("watch only the given log group, as CloudWatchLogRule version 1 on CLF records", () => {
        for (const { definition } of [talkers, rejected]) {
            assert.deepEqual(definition.LogGroupNames, ["/flow/logs"]);
            assert.deepEqual(
                [definition.Schema, definition.LogFormat],
                [{ Name: "CloudWatchLogRule", Version: 1 }, "CLF"],
            );
            for (const key of [...definition.Contribution.Keys, ...definition.Contribution.Filters.map((f) => f.Match)])
                assert.ok(Object.values(definition.Fields).includes(key), `${key} is a named field`);
        }
    });

    it("refuse a field the format does not have", () =>
        assert.throws(() => fieldPositions(["tcp-flags" as "action"]), /tcp-flags is not a field/));
});
