import { parseCidr } from "../../model/cidr";
import { SavedQuery } from "./insightsQueries";
import { ICMP_PROTOCOL } from "../../model/flowLogFormat";
import { vpcPairs } from "./vpcPairs";

/**
 * Athena named queries over the flow-log table, equivalent to the saved Logs Insights queries
 * (insightsQueries.ts). Each filters on the partition columns, so Athena's partition projection
 * reads only the hours asked for; the hours are the query's execution parameters, in this order.
 * The SQL is kept to what Athena's engine (Trino) and DuckDB read alike, so the tests run it.
 * @see https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html
 */

/** The `?` parameters of every query, in order: one day's span of hours (UTC), both ends included. */
export const WINDOW_PARAMETERS = ["year", "month", "day", "first hour", "last hour"] as const;

const WINDOW = "year = ? AND month = ? AND day = ? AND hour BETWEEN ? AND ?";

/** Names Athena and Glue accept without quoting: lower-case letters, digits and underscores. */
const PLAIN_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * An IPv4 address column as a number, or NULL for anything else (IPv6 addresses, `-`). Both
 * engines lack a CIDR test in common (Trino has `contains(cidr, IPADDRESS …)`, DuckDB an
 * extension), so blocks are compared as numeric ranges.
 */
function ipv4Number(column: string): string {
    const octet = (n: number) => `try_cast(split_part(${column}, '.', ${n}) AS bigint)`;
    return `(${octet(1)} * 16777216 + ${octet(2)} * 65536 + ${octet(3)} * 256 + ${octet(4)})`;
}

function inBlock(column: string, cidr: string): string {
    const range = parseCidr(cidr);
    if (range?.version !== 4) throw new Error(`athenaQueries: ${cidr} is not an IPv4 CIDR block`);
    return `${ipv4Number(column)} BETWEEN ${range.first} AND ${range.last}`;
}

/** Flows whose source lies in one block and destination in another. */
function betweenBlocks(cidrBlocks: readonly string[]): string {
    return vpcPairs(cidrBlocks)
        .map(({ from, to }) => `(${inBlock("srcaddr", from)} AND ${inBlock("dstaddr", to)})`)
        .join(" OR ");
}

export interface AthenaQueriesArgs {
    /** The Glue table the queries read, in the named query's database. */
    readonly table: string;
    /** Blocks of the peered VPCs, for the query of ICMP between them (needs two or more). */
    readonly vpcCidrBlocks: readonly string[];
}

/** The named queries: top transfers, rejected flows, ICMP between the VPCs, top talkers. */
export function athenaQueries(args: AthenaQueriesArgs): SavedQuery[] {
    if (!PLAIN_NAME.test(args.table)) throw new Error(`athenaQueries: table name ${args.table} needs quoting`);
    const from = `FROM ${args.table} WHERE ${WINDOW}`;
    const queries: SavedQuery[] = [
        {
            key: "top-bytes",
            title: "Top 10 byte transfers by source and destination IP addresses",
            queryString: `SELECT srcaddr, dstaddr, sum(bytes) AS bytes_transferred ${from} GROUP BY srcaddr, dstaddr ORDER BY bytes_transferred DESC, srcaddr, dstaddr LIMIT 10`,
        },
        {
            key: "rejected",
            title: "Rejected flows by source, destination and port",
            queryString: `SELECT srcaddr, dstaddr, dstport, protocol, count(*) AS rejected_flows ${from} AND action = 'REJECT' GROUP BY srcaddr, dstaddr, dstport, protocol ORDER BY rejected_flows DESC, srcaddr, dstaddr, dstport, protocol LIMIT 20`,
        },
        {
            key: "top-talkers",
            title: "Top 10 talkers by packets",
            queryString: `SELECT srcaddr, dstaddr, sum(packets) AS packets_transferred ${from} GROUP BY srcaddr, dstaddr ORDER BY packets_transferred DESC, srcaddr, dstaddr LIMIT 10`,
        },
    ];
    if (args.vpcCidrBlocks.length >= 2) {
        queries.splice(2, 0, {
            key: "icmp-between-vpcs",
            title: "ICMP between the peered VPCs",
            queryString: `SELECT srcaddr, dstaddr, action, sum(packets) AS icmp_packets, count(*) AS flows ${from} AND protocol = ${ICMP_PROTOCOL} AND (${betweenBlocks(args.vpcCidrBlocks)}) GROUP BY srcaddr, dstaddr, action ORDER BY icmp_packets DESC, srcaddr, dstaddr, action`,
        });
    }
    return queries;
}
