import { performance } from "perf_hooks";
import { analyzeReachability, NetworkResource } from "../../model/reachability";
import {
    associate,
    echoIn,
    echoOut,
    instance,
    networkAcl,
    peering,
    route,
    routeTable,
    securityGroup,
    subnet,
    toPeering,
    vpc,
} from "../fixtures/reachability/network";

/**
 * `npm run bench:reachability`: times the analysis of every ordered pair of instances in a
 * full mesh of peered VPCs — the worst case per VPC count: every table holds a route to every
 * other VPC and every group a rule per peer — against a graph ten times smaller, in the same run.
 * Not a test: machines differ; the ratio is what shows how it scales.
 */

/** `vpcs` VPCs, all peered to each other, with `perVpc` instances each. */
function mesh(vpcs: number, perVpc: number): NetworkResource[] {
    const resources: NetworkResource[] = [];
    for (let n = 1; n <= vpcs; n++) {
        resources.push(
            vpc(n, `10.${n}.0.0/16`),
            subnet(n, n, `10.${n}.1.0/24`),
            routeTable(n, n),
            associate(n, n),
            securityGroup(n, n),
        );
        resources.push(
            networkAcl(n, n, n, {
                ingress: [
                    { ruleNo: 90, action: "deny", protocol: "tcp", cidrBlock: "0.0.0.0/0", fromPort: 22, toPort: 22 },
                    { ruleNo: 100, action: "allow", protocol: "-1", cidrBlock: "10.0.0.0/8" },
                ],
                egress: [{ ruleNo: 100, action: "allow", protocol: "-1", cidrBlock: "10.0.0.0/8" }],
            }),
        );
        for (let k = 0; k < perVpc; k++) resources.push(instance(n * 1000 + k, n, `10.${n}.1.${10 + k}`, [`sg-${n}`]));
        for (let m = 1; m <= vpcs; m++) {
            resources.push(echoIn(n, `10.${m}.0.0/16`), echoOut(n, `10.${m}.0.0/16`));
            if (m === n) continue;
            const pcx = n < m ? `pcx-${n}-${m}` : `pcx-${m}-${n}`;
            if (n < m) resources.push({ ...peering(n, m), id: pcx });
            resources.push(route(`rtb-${n}`, `10.${m}.0.0/16`, toPeering(pcx)));
        }
    }
    return resources;
}

/** Milliseconds of the fastest of a few runs, after one to warm the JIT. */
function time(resources: readonly NetworkResource[]): { ms: number; pairs: number; reachable: number } {
    const first = analyzeReachability(resources);
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
        const start = performance.now();
        analyzeReachability(resources);
        best = Math.min(best, performance.now() - start);
    }
    return { ms: best, pairs: first.length, reachable: first.filter((r) => r.reachable).length };
}

const big = { vpcs: 50, perVpc: 4 };
const small = { vpcs: 5, perVpc: 4 };
const bigGraph = mesh(big.vpcs, big.perVpc);
const smallGraph = mesh(small.vpcs, small.perVpc);
const full = time(bigGraph);
const base = time(smallGraph);

const line = (label: string, size: typeof big, graph: NetworkResource[], result: ReturnType<typeof time>) =>
    `${label}: ${size.vpcs * size.perVpc} instances in ${size.vpcs} VPCs, ${graph.length} resources, ` +
    `${result.pairs} ordered pairs (${result.reachable} reachable) in ${result.ms.toFixed(1)} ms ` +
    `(${((result.ms * 1000) / result.pairs).toFixed(2)} µs per pair)`;
console.log(line("full    ", big, bigGraph, full));
console.log(line("baseline", small, smallGraph, base));
console.log(
    `ratio: ${(full.ms / base.ms).toFixed(1)}x the time for ${(full.pairs / base.pairs).toFixed(1)}x the pairs ` +
        `and ${(bigGraph.length / smallGraph.length).toFixed(1)}x the resources; ` +
        `${(full.ms / full.pairs / (base.ms / base.pairs)).toFixed(2)}x the time per pair (1 is linear in the pairs)`,
);
if (full.reachable !== full.pairs) {
    console.error("every pair of the mesh should be reachable: the benchmark's graph is wrong");
    process.exitCode = 1;
}
