import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { athenaQueries, WINDOW_PARAMETERS } from "../../../infra/lib/athenaQueries";
import { FLOW_LOG_TABLE } from "../../../infra/flowLogArchive";
import { HIVE_PARTITIONS } from "../../../infra/lib/flowLogTable";
import { FLOW_LOG_FIELDS, FLOW_LOG_ROOT } from "../../../model/flowLogFormat";

/**
 * The named queries, run for real: sample records written as Parquet in the layout flow logs
 * deliver (Hive-compatible, hourly), read by DuckDB through a view that stands for the Glue table
 * (same columns, same partition columns and types), each query's answer checked against the same
 * records summed up in plain TypeScript, and each one-hour query shown to read that hour's files
 * only. One in-memory DuckDB for the file; a few hundred rows.
 */

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const VPC_BLOCKS = ["10.1.0.0/16", "10.2.0.0/16"];

interface FlowRecord {
    readonly srcaddr: string;
    readonly dstaddr: string;
    readonly srcport: number | null;
    readonly dstport: number | null;
    readonly protocol: number | null;
    readonly packets: number | null;
    readonly bytes: number | null;
    readonly start: number | null;
    readonly action: string | null;
    readonly logStatus: string;
    /** The delivery it arrives in: each becomes a file of its own in its hour. */
    readonly delivery: number;
    readonly hour: number;
    readonly day: number;
}

const flow = (
    srcaddr: string,
    dstaddr: string,
    protocol: number,
    packets: number,
    bytes: number,
    extra: Partial<FlowRecord> = {},
): FlowRecord => ({
    srcaddr,
    dstaddr,
    srcport: 40000,
    dstport: protocol === 1 ? 0 : 443,
    protocol,
    packets,
    bytes,
    start: 1752577951,
    action: "ACCEPT",
    logStatus: "OK",
    delivery: 1,
    hour: 11,
    day: 15,
    ...extra,
});

/** The seeds' own record: `2 394971810761 eni-0ba4fb34d7e9a41ff 143.110.152.75 10.1.1.133 56142 20167 6 1 44 1752577951 1752578009 ACCEPT OK`. */
const SEED = flow("143.110.152.75", "10.1.1.133", 6, 1, 44, { srcport: 56142, dstport: 20167 });

const RECORDS: FlowRecord[] = [
    SEED,
    // Twelve pairs at 11:00 with distinct totals, so the top 10 leaves two out; the first pair's
    // total comes from three records, none of which would rank on its own.
    ...[1, 2, 3].map((n) => flow("10.1.1.10", "52.94.0.10", 6, 100, 3000, { delivery: n % 2 })),
    ...Array.from({ length: 11 }, (_, i) =>
        flow(`10.1.1.${20 + i}`, `198.51.100.${i + 1}`, 6, 20 + i, 1000 + 500 * i, { delivery: i % 2 }),
    ),
    // ICMP: between the VPCs both ways (two records one way), from outside, within one VPC, and IPv6.
    flow("10.1.1.133", "10.2.0.140", 1, 4, 336),
    flow("10.1.1.133", "10.2.0.140", 1, 2, 168, { delivery: 2 }),
    flow("10.2.0.140", "10.1.1.133", 1, 4, 336),
    flow("10.2.0.140", "10.1.1.133", 1, 1, 84, { action: "REJECT" }),
    flow("203.0.113.9", "10.1.1.133", 1, 9, 756),
    flow("10.1.1.133", "10.1.1.134", 1, 7, 588),
    flow("2600:1f18::1", "2600:1f18::2", 1, 8, 672),
    flow("10.1.1.133", "10.2.0.140", 6, 50, 5000),
    // Rejected flows: one source probing two ports, one of them three times.
    ...[1, 2, 3].map(() => flow("192.0.2.66", "10.1.1.133", 6, 1, 40, { dstport: 22, action: "REJECT" })),
    flow("192.0.2.66", "10.1.1.133", 6, 1, 40, { dstport: 3389, action: "REJECT" }),
    flow("192.0.2.77", "10.2.0.140", 17, 2, 80, { dstport: 53, action: "REJECT" }),
    // An interface with nothing to report: addresses "-", numbers missing.
    {
        ...flow("-", "-", 0, 0, 0),
        srcport: null,
        dstport: null,
        protocol: null,
        packets: null,
        bytes: null,
        action: null,
        logStatus: "NODATA",
    },
    // Heavy traffic in other hours and on another day: it would top every list if it were read.
    flow("10.2.0.140", "10.1.1.133", 1, 90000, 9000000, { hour: 12 }),
    flow("10.1.1.99", "198.51.100.99", 6, 90000, 9000000, { hour: 12 }),
    flow("192.0.2.66", "10.1.1.133", 6, 500, 20000, { hour: 10, dstport: 22, action: "REJECT" }),
    flow("10.1.1.99", "198.51.100.99", 6, 90000, 9000000, { day: 16 }),
];

const pad = (n: number) => String(n).padStart(2, "0");
const sql = (value: string | number | null) =>
    value === null ? "NULL" : typeof value === "number" ? String(value) : `'${value}'`;
const DUCKDB_TYPES = { int: "INTEGER", bigint: "BIGINT", string: "VARCHAR" } as const;

/** One row: the format's fields in order, then the Hive partition values as AWS writes them. */
function rowOf(r: FlowRecord): string {
    const fields: Record<string, string | number | null> = {
        version: 2,
        account_id: ACCOUNT,
        interface_id: "eni-0ba4fb34d7e9a41ff",
        srcaddr: r.srcaddr,
        dstaddr: r.dstaddr,
        srcport: r.srcport,
        dstport: r.dstport,
        protocol: r.protocol,
        packets: r.packets,
        bytes: r.bytes,
        start: r.start,
        end: r.start === null ? null : r.start + 58,
        action: r.action,
        log_status: r.logStatus,
    };
    const columns = FLOW_LOG_FIELDS.map((f) => `CAST(${sql(fields[f.column])} AS ${DUCKDB_TYPES[f.type]})`);
    const partitions = [ACCOUNT, "vpcflowlogs", REGION, "2025", "07", pad(r.day), pad(r.hour)].map(sql);
    return `(${[...columns, ...partitions, r.delivery].join(", ")})`;
}

/** A window of the named queries' parameters: 2025-07-<day>, hours from..to. */
interface Window {
    readonly day: number;
    readonly from: number;
    readonly to: number;
}
const inWindow = (w: Window) => (r: FlowRecord) => r.day === w.day && r.hour >= w.from && r.hour <= w.to;

/** Sums a measure by a key over the records, largest first, ties by key: the queries' ORDER BY. */
function ranked(
    records: readonly FlowRecord[],
    keyOf: (r: FlowRecord) => string,
    measure: (r: FlowRecord) => number,
): [string, number][] {
    const totals = new Map<string, number>();
    for (const r of records) totals.set(keyOf(r), (totals.get(keyOf(r)) ?? 0) + measure(r));
    return [...totals].sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : ka > kb ? 1 : 0));
}

const pair = (r: FlowRecord) => `${r.srcaddr} ${r.dstaddr}`;
const ipv4In = (address: string, prefix: string) => address.startsWith(prefix);
const betweenVpcs = (r: FlowRecord) =>
    (ipv4In(r.srcaddr, "10.1.") && ipv4In(r.dstaddr, "10.2.")) ||
    (ipv4In(r.srcaddr, "10.2.") && ipv4In(r.dstaddr, "10.1."));

/** Each query's expected answer, as rows of its columns, from the records alone. */
const EXPECTED: Record<string, (records: FlowRecord[]) => unknown[][]> = {
    "top-bytes": (records) =>
        ranked(records, pair, (r) => r.bytes ?? 0)
            .slice(0, 10)
            .map(([key, total]) => [...key.split(" "), total]),
    rejected: (records) =>
        ranked(
            records.filter((r) => r.action === "REJECT"),
            (r) => [r.srcaddr, r.dstaddr, r.dstport, r.protocol].join(" "),
            () => 1,
        )
            .slice(0, 20)
            .map(([key, count]) => {
                const [src, dst, port, protocol] = key.split(" ");
                return [src, dst, Number(port), Number(protocol), count];
            }),
    "icmp-between-vpcs": (records) => {
        const icmp = records.filter((r) => r.protocol === 1 && betweenVpcs(r));
        const flows = ranked(
            icmp,
            (r) => `${pair(r)} ${r.action}`,
            () => 1,
        );
        return ranked(
            icmp,
            (r) => `${pair(r)} ${r.action}`,
            (r) => r.packets ?? 0,
        ).map(([key, packets]) => [...key.split(" "), packets, flows.find(([k]) => k === key)![1]]);
    },
    "top-talkers": (records) =>
        ranked(records, pair, (r) => r.packets ?? 0)
            .slice(0, 10)
            .map(([key, total]) => [...key.split(" "), total]),
};

describe("the Athena named queries, run by DuckDB over Parquet files in the delivered layout", () => {
    let instance: DuckDBInstance;
    let db: DuckDBConnection;
    let root: string;
    const queries = athenaQueries({ table: FLOW_LOG_TABLE, vpcCidrBlocks: VPC_BLOCKS });

    before(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "flow-logs-"));
        instance = await DuckDBInstance.create(":memory:");
        db = await instance.connect();
        const columns = [
            ...FLOW_LOG_FIELDS.map((f) => `"${f.column}"`),
            ...HIVE_PARTITIONS.map((p) => `"${p.hiveKey}"`),
            "delivery",
        ];
        await db.run(`CREATE TABLE records AS SELECT * FROM (VALUES ${RECORDS.map(rowOf).join(", ")}) t(${columns})`);
        const partitionBy = HIVE_PARTITIONS.map((p) => `"${p.hiveKey}"`).join(", ");
        const fieldList = FLOW_LOG_FIELDS.map((f) => `"${f.column}"`).join(", ");
        // Each delivery a file of its own, as flow logs publish a file per delivery.
        for (const delivery of new Set(RECORDS.map((r) => r.delivery))) {
            await db.run(
                `COPY (SELECT ${fieldList}, ${partitionBy} FROM records WHERE delivery = ${delivery}) TO '${root}/${FLOW_LOG_ROOT}' (FORMAT parquet, PARTITION_BY (${partitionBy}), FILENAME_PATTERN 'delivery${delivery}_{i}', OVERWRITE_OR_IGNORE true)`,
            );
        }
        // The Glue table's stand-in: the same partition columns, with the same names and types.
        const hiveTypes = HIVE_PARTITIONS.map((p) => `'${p.hiveKey}': ${p.type === "int" ? "INTEGER" : "VARCHAR"}`);
        const renames = HIVE_PARTITIONS.filter((p) => p.hiveKey !== p.column).map(
            (p) => `"${p.hiveKey}" AS ${p.column}`,
        );
        const levels = HIVE_PARTITIONS.map(() => "*").join("/");
        await db.run(
            `CREATE VIEW ${FLOW_LOG_TABLE} AS SELECT * RENAME (${renames.join(", ")}) FROM read_parquet('${root}/${FLOW_LOG_ROOT}/${levels}/*.parquet', hive_partitioning = true, hive_types = {${hiveTypes.join(", ")}})`,
        );
    });

    after(() => {
        db?.closeSync();
        instance?.closeSync();
        if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    /** Runs a named query with its window bound, as Athena's execution parameters bind it. */
    async function execute(text: string, w: Window) {
        const statement = await db.prepare(text);
        [2025, 7, w.day, w.from, w.to].forEach((value, i) => statement.bindInteger(i + 1, value));
        return statement.runAndReadAll();
    }

    async function answer(text: string, w: Window): Promise<unknown[][]> {
        const reader = await execute(text, w);
        return reader.getRows().map((row) => row.map((value) => (typeof value === "bigint" ? Number(value) : value)));
    }

    /** Files the scan of the query read, from DuckDB's profile of the run. */
    async function filesRead(text: string, w: Window): Promise<number> {
        const reader = await execute(`EXPLAIN ANALYZE ${text}`, w);
        const profile = reader
            .getRows()
            .map((row) => String(row[1]))
            .join("\n")
            .replace(/[│\s]+/g, " ");
        const counts = [...profile.matchAll(/Total Files Read: (\d+)/g)].map((m) => Number(m[1]));
        assert.ok(counts.length > 0, `no file count in the profile:\n${profile}`);
        return counts.reduce((a, b) => a + b, 0);
    }

    const filesOfHour = (day: number, hour: number) =>
        fs.readdirSync(
            path.join(
                root,
                FLOW_LOG_ROOT,
                `aws-account-id=${ACCOUNT}/aws-service=vpcflowlogs/aws-region=${REGION}/year=2025/month=07/day=${pad(day)}/hour=${pad(hour)}`,
            ),
        ).length;

    it("binds one day's span of hours, and nothing else, as parameters", () => {
        assert.deepEqual(WINDOW_PARAMETERS, ["year", "month", "day", "first hour", "last hour"]);
        for (const q of queries) assert.equal(q.queryString.split("?").length - 1, WINDOW_PARAMETERS.length, q.key);
    });

    it("refuses a table name that would need quoting, and a block that is not IPv4", () => {
        assert.throws(
            () => athenaQueries({ table: "flow-logs", vpcCidrBlocks: VPC_BLOCKS }),
            /flow-logs needs quoting/,
        );
        assert.throws(
            () => athenaQueries({ table: FLOW_LOG_TABLE, vpcCidrBlocks: ["10.1.0.0/16", "2600:1f18::/56"] }),
            /2600:1f18::\/56 is not an IPv4 CIDR block/,
        );
    });

    const HOUR_11: Window = { day: 15, from: 11, to: 11 };
    for (const key of Object.keys(EXPECTED)) {
        it(`answers ${key} for one hour as the records add up, reading only that hour's files`, async () => {
            const query = queries.find((q) => q.key === key)!;
            const expected = EXPECTED[key](RECORDS.filter(inWindow(HOUR_11)));
            assert.ok(expected.length > 0);
            assert.deepEqual(await answer(query.queryString, HOUR_11), expected);
            const files = await filesRead(query.queryString, HOUR_11);
            assert.equal(files, filesOfHour(15, 11));
            assert.ok(files >= 2, "the hour has several deliveries");
        });
    }

    it("makes the top 10 a real choice: the two smallest pairs, the seeds' record among them, are left out", async () => {
        const query = queries.find((q) => q.key === "top-bytes")!;
        const pairs = (await answer(query.queryString, HOUR_11)).map(([src, dst]) => `${src} ${dst}`);
        const hourPairs = new Set(RECORDS.filter(inWindow(HOUR_11)).map(pair));
        assert.equal(pairs.length, 10);
        assert.ok(hourPairs.size > 12);
        assert.equal(pairs[0], "10.1.1.10 52.94.0.10", "three small records add up to the largest transfer");
        assert.ok(!pairs.includes(pair(SEED)));
    });

    it("counts ICMP between the VPCs only: not from outside, not within one VPC, not IPv6, not TCP", async () => {
        const query = queries.find((q) => q.key === "icmp-between-vpcs")!;
        assert.deepEqual(await answer(query.queryString, HOUR_11), [
            ["10.1.1.133", "10.2.0.140", "ACCEPT", 6, 2],
            ["10.2.0.140", "10.1.1.133", "ACCEPT", 4, 1],
            ["10.2.0.140", "10.1.1.133", "REJECT", 1, 1],
        ]);
    });

    it("reads every hour of a longer window, and its heavier traffic then leads", async () => {
        const query = queries.find((q) => q.key === "top-talkers")!;
        const window: Window = { day: 15, from: 10, to: 12 };
        const rows = await answer(query.queryString, window);
        assert.deepEqual(rows, EXPECTED["top-talkers"](RECORDS.filter(inWindow(window))));
        assert.deepEqual(rows[0], ["10.2.0.140", "10.1.1.133", 90005], "hour 12's ICMP burst with hour 11's");
        assert.equal(
            await filesRead(query.queryString, window),
            [10, 11, 12].map((h) => filesOfHour(15, h)).reduce((a, b) => a + b),
        );
    });
});
