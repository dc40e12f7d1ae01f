import { strict as assert } from "assert";
import { FLOW_LOG_FIELDS } from "../../model/flowLogFormat";

/**
 * The Parquet type AWS documents for each default-format field ("Parquet data type" in the
 * Available fields table), as the Glue table's column type: INT_32 is `int`, INT_64 `bigint`,
 * STRING `string`. A column typed otherwise than the files makes Athena fail or misread them.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html#flow-logs-fields
 */
const DOCUMENTED: Record<string, "INT_32" | "INT_64" | "STRING"> = {
    version: "INT_32",
    "account-id": "STRING",
    "interface-id": "STRING",
    srcaddr: "STRING",
    dstaddr: "STRING",
    srcport: "INT_32",
    dstport: "INT_32",
    protocol: "INT_32",
    packets: "INT_64",
    bytes: "INT_64",
    start: "INT_64",
    end: "INT_64",
    action: "STRING",
    "log-status": "STRING",
};
const GLUE_TYPE = { INT_32: "int", INT_64: "bigint", STRING: "string" } as const;

describe("the flow-log format's Parquet types", () => {
    it("are the ones AWS documents for each field of the default format", () => {
        assert.deepEqual(
            FLOW_LOG_FIELDS.map((f) => [f.name, f.type]),
            Object.entries(DOCUMENTED).map(([name, parquet]) => [name, GLUE_TYPE[parquet]]),
        );
    });
});
