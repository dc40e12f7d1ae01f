import { ICMP_PROTOCOL } from "../../model/flowLogFormat";
import { vpcPairs } from "./vpcPairs";
/**
 * CloudWatch Logs Insights queries over VPC flow logs in the default format, whose fields Logs
 * Insights discovers as srcAddr, dstAddr, srcPort, dstPort, protocol, packets, bytes, action.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_AnalyzeLogData-discoverable-fields.html
 */

export interface SavedQuery {
    /** Short, stable key used in resource names. */
    readonly key: string;
    /** Name shown in the console's saved queries. */
    readonly title: string;
    readonly queryString: string;
}

/** The query the seeds ran: "Top 10 byte transfers by source and destination IP addresses". */
export const TOP_BYTE_TRANSFERS =
    "stats sum(bytes) as bytesTransferred by srcAddr, dstAddr | sort bytesTransferred desc | limit 10";

/** Matches flows whose source lies in one VPC and destination in another. */
function betweenBlocksFilter(cidrBlocks: readonly string[]): string {
    return vpcPairs(cidrBlocks)
        .map(({ from, to }) => `(isIpv4InSubnet(srcAddr, "${from}") and isIpv4InSubnet(dstAddr, "${to}"))`)
        .join(" or ");
}

/** The saved queries: the seeds' top transfers, rejected flows, ICMP between the VPCs, top talkers. */
export function insightsQueries(vpcCidrBlocks: readonly string[]): SavedQuery[] {
    const queries: SavedQuery[] = [
        {
            key: "top-bytes",
            title: "Top 10 byte transfers by source and destination IP addresses",
            queryString: TOP_BYTE_TRANSFERS,
        },
        {
            key: "rejected",
            title: "Rejected flows by source, destination and port",
            queryString:
                'filter action = "REJECT" | stats count(*) as rejectedFlows by srcAddr, dstAddr, dstPort, protocol | sort rejectedFlows desc | limit 20',
        },
        {
            key: "top-talkers",
            title: "Top 10 talkers by packets",
            queryString:
                "stats sum(packets) as packetsTransferred by srcAddr, dstAddr | sort packetsTransferred desc | limit 10",
        },
    ];
    if (vpcCidrBlocks.length >= 2) {
        queries.splice(2, 0, {
            key: "icmp-between-vpcs",
            title: "ICMP between the peered VPCs",
            queryString: `filter protocol = ${ICMP_PROTOCOL} and (${betweenBlocksFilter(vpcCidrBlocks)}) | stats sum(packets) as packets, count(*) as flows by srcAddr, dstAddr, action | sort packets desc`,
        });
    }
    return queries;
}
