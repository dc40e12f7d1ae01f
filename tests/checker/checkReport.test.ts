import { strict as assert } from "assert";
import * as path from "path";
import {
    CheckReport,
    formatSummary,
    isRefused,
    jsonReport,
    strictFailure,
    Violation,
} from "../../checker/reports/checkReport";
import { ReachabilityResult } from "../../model/reachability";
import { GraphResource } from "../../checker/program/resourceGraph";
import { sourceRoot, toSarif } from "../../checker/reports/sarif";
import { ROOT } from "../helpers/pulumi";
import { AWS_TYPES } from "../../model/awsTypes";

const STACK_URN = "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev";
const program = path.join(ROOT, "infra", "index.ts");

function resource(name: string, type: string, extra: Partial<GraphResource> = {}): GraphResource {
    const urn = `urn:pulumi:dev::demo::${type}::${name}`;
    return {
        urn,
        type,
        name,
        custom: true,
        inputs: {},
        state: {},
        dependencies: [],
        propertyDependencies: {},
        parent: STACK_URN,
        ...extra,
    };
}

const stack = resource("demo-dev", "pulumi:pulumi:Stack", { urn: STACK_URN, parent: undefined, custom: false });
const component = resource("web", "demo:index:Web", {
    custom: false,
    source: { file: path.join(ROOT, "infra", "vpc.ts"), line: 12, column: 5 },
});
const group = resource("web-sg", AWS_TYPES.securityGroup, { parent: component.urn });
const vpc = resource("net", AWS_TYPES.vpc, {
    source: { file: path.join(ROOT, "node_modules", "lib", "index.js"), line: 3, column: 1 },
});

const icmp: Violation = {
    policy: "no-world-open-icmp",
    policyPack: "demo-pack",
    level: "mandatory",
    urn: group.urn,
    description: "No ICMP from the internet.",
    message: "No ICMP from the internet.\nsecurity group web-sg lets ICMP in from 0.0.0.0/0",
};

const blockedPing: ReachabilityResult = {
    from: { name: "web-a", id: "i-a", privateIp: "10.1.1.10" },
    to: { name: "web-b", id: "i-b", privateIp: "10.2.0.10" },
    protocol: "icmp",
    reachable: false,
    verdict: "blocked",
    reason: "route table rtb-1 of subnet subnet-1 has no route to 10.2.0.10",
};

function report(violations: Violation[], reachability: ReachabilityResult[] = []): CheckReport {
    return {
        project: "demo",
        stack: "dev",
        projectDir: ROOT,
        program,
        policyPack: {
            name: "demo-pack",
            version: "1.0.0",
            policies: [
                {
                    name: "no-world-open-icmp",
                    description: "No ICMP from the internet.",
                    enforcementLevel: "mandatory",
                },
                { name: "tagging", description: "Tag everything.", enforcementLevel: "advisory" },
            ],
        },
        resources: [stack, component, group, vpc],
        unchecked: [],
        violations,
        reachability,
    };
}

describe("the check's report", () => {
    it("refuses only on a mandatory violation", () => {
        assert.equal(isRefused(report([icmp])), true);
        assert.equal(isRefused(report([{ ...icmp, level: "advisory" }])), false);
        assert.equal(isRefused(report([])), false);
    });

    it("summarises resources by type, then each violation with level, policy, resource and message", () => {
        const summary = formatSummary(report([icmp]));
        assert.match(summary, /Resources: 4\n/);
        assert.match(summary, /^ +1 aws:ec2\/securityGroup:SecurityGroup$/m);
        assert.match(summary, /\[mandatory\] +no-world-open-icmp +\(aws:ec2\/securityGroup:SecurityGroup: web-sg\)/);
        assert.match(summary, /security group web-sg lets ICMP in from 0\.0\.0\.0\/0/);
        assert.match(summary, /tagging \(advisory\): passed/);
        assert.match(summary, /^Refused: 1 mandatory violation/m);
    });

    it("passes a mandatory policy whose only findings are advisory, and counts them as advisory", () => {
        const summary = formatSummary(report([{ ...icmp, level: "advisory" }]));
        assert.match(summary, /^ +no-world-open-icmp \(mandatory\): passed, 1 advisory$/m);
        assert.equal(summary.split("\n").pop(), "Passed: no mandatory violation, 1 advisory finding.");
    });

    it("says a mandatory violation stops `pulumi up`", () => {
        assert.equal(
            formatSummary(report([icmp, { ...icmp, level: "advisory" }]))
                .split("\n")
                .pop(),
            "Refused: 1 mandatory violation and 1 other; `pulumi up` would stop here.",
        );
    });

    it("writes the JSON report with the stack, the resource count and each violation", () => {
        const json = jsonReport(report([icmp]));
        assert.equal(json.stack, "dev");
        assert.equal(json.resources, 4);
        assert.equal(json.passed, false);
        assert.deepEqual(json.violations, [
            { policy: "no-world-open-icmp", level: "mandatory", urn: group.urn, message: icmp.message },
        ]);
    });
});

describe("the check's reachability section", () => {
    it("prints one line per ordered pair, after the policies, and says where it is blocked", () => {
        const summary = formatSummary(report([], [blockedPing]));
        assert.match(
            summary,
            /Policies:[\s\S]*Reachability \(ICMP echo between instances, from the code\):\n +✗ web-a \(10\.1\.1\.10\) -> web-b \(10\.2\.0\.10\) icmp: blocked: route table rtb-1 of subnet subnet-1 has no route to 10\.2\.0\.10\n/,
        );
    });

    it("leaves the section out when the stack has fewer than two instances", () => {
        assert.doesNotMatch(formatSummary(report([])), /Reachability/);
    });

    it("puts each pair in the JSON report with from, to, protocol, reachable and reason", () => {
        const [entry] = jsonReport(report([], [blockedPing])).reachability;
        assert.deepEqual(
            [entry.from.name, entry.to.name, entry.protocol, entry.reachable, entry.reason],
            ["web-a", "web-b", "icmp", false, blockedPing.reason],
        );
    });
});

describe("the check as SARIF", () => {
    const sarif = toSarif(
        report([
            icmp,
            { ...icmp, policy: "tagging", level: "advisory", urn: vpc.urn, message: "tag it" },
            { ...icmp, urn: undefined },
        ]),
    );
    const run = sarif.runs[0];

    it("is SARIF 2.1.0 with one rule per policy, named by the policy", () => {
        assert.equal(sarif.version, "2.1.0");
        assert.deepEqual(
            run.tool.driver.rules?.map((rule) => [rule.id, rule.defaultConfiguration?.level]),
            [
                ["no-world-open-icmp", "error"],
                ["tagging", "warning"],
            ],
        );
    });

    it("gives one result per violation, its level from the enforcement level, its text without the repeated description", () => {
        assert.deepEqual(
            run.results?.map((r) => [r.ruleId, r.ruleIndex, r.level]),
            [
                ["no-world-open-icmp", 0, "error"],
                ["tagging", 1, "warning"],
                ["no-world-open-icmp", 0, "error"],
            ],
        );
        assert.equal(
            run.results?.[0].message.text,
            "web-sg (aws:ec2/securityGroup:SecurityGroup): security group web-sg lets ICMP in from 0.0.0.0/0",
        );
    });

    it("points at the declaration of the resource, or its nearest declared ancestor, relative to the repository", () => {
        const where = (index: number) => {
            const location = run.results?.[index].locations?.[0].physicalLocation;
            return [location?.artifactLocation?.uri, location?.region?.startLine];
        };
        assert.equal(sourceRoot(ROOT), ROOT);
        assert.deepEqual(where(0), ["infra/vpc.ts", 12], "declared inside a component: the component's declaration");
        assert.deepEqual(where(1), ["infra/index.ts", 1], "declared in a dependency: the program's entry");
        assert.deepEqual(where(2), ["infra/index.ts", 1], "blames the whole stack: the program's entry");
        assert.equal(run.results?.[0].locations?.[0].logicalLocations?.[0].fullyQualifiedName, group.urn);
    });

    it("keeps each stack a separate analysis for code scanning", () => {
        assert.equal(run.automationDetails?.id, "pulumi-policy/demo/dev/");
    });
});

describe("the check's Not judged section", () => {
    const remote = {
        kind: "remote-component" as const,
        subject: "urn:pulumi:dev::demo::awsx:ec2:Vpc::main",
        reason: "a remote component: its provider declares its children",
    };

    it("lists each item under its own heading, and a pass says it covers only what was judged", () => {
        const summary = formatSummary({ ...report([]), unchecked: [remote] });
        assert.match(
            summary,
            /^Not judged \(1\): [^\n]*\n {4}\? \[remote-component\] urn:pulumi:dev::demo::awsx:ec2:Vpc::main\n {10}a remote component/m,
        );
        assert.match(summary, /^Passed: no mandatory violation among what was judged; 1 item not judged\.$/m);
        assert.deepEqual(jsonReport({ ...report([]), unchecked: [remote] }).unchecked, [remote]);
    });

    it("with --strict, does not say Passed: the stack is not passed while something was not judged", () => {
        const last = formatSummary({ ...report([]), unchecked: [remote] }, true)
            .split("\n")
            .pop();
        assert.equal(last, "Not passed (--strict): no mandatory violation among what was judged; 1 item not judged.");
        assert.match(strictFailure({ ...report([]), unchecked: [remote] }) ?? "", /^--strict: 1 item not judged/);
        assert.equal(strictFailure(report([])), undefined);
    });

    it("is left out when everything was judged", () => {
        assert.doesNotMatch(formatSummary(report([])), /Not judged/);
    });
});
