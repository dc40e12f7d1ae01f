import { PolicyPack } from "@pulumi/policy";
import { flowLogRoleTrust } from "./policies/flowLogRoleTrust";
import { noOverlappingVpcCidrs } from "./policies/noOverlappingVpcCidrs";
import { noWorldOpenIcmp } from "./policies/noWorldOpenIcmp";

// Constructing the pack starts its gRPC server: only run-policy-pack loads this file (through
// launch.js); tests import the policies themselves.
new PolicyPack("vpc-flow-monitoring", {
    description:
        "Guards the VPC flow-monitoring stack: disjoint VPC blocks, no ICMP from the internet, flow-log roles only for flow logs.",
    enforcementLevel: "mandatory",
    policies: [noOverlappingVpcCidrs, noWorldOpenIcmp, flowLogRoleTrust],
});
