/**
 * Reachability of ICMP echo between instances, decided from the resource graph before anything is
 * deployed. `analyzeReachability(resources)` answers every ordered pair;
 * `formatReachability` prints one.
 */
export { analyzeReachability, formatReachability } from "./analyze";
export type { Endpoint, ReachabilityResult, Verdict } from "./analyze";
export type { NetworkResource } from "./networkResource";
