import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    ConnectivityOutcome,
    judgeConnectivity,
    PairPattern,
    parseConnectivityFile,
    parsePairFlag,
} from "../../checker/connectivity";
import { CheckReport, formatSummary, isRefused, jsonReport } from "../../checker/reports/checkReport";
import { GraphResource } from "../../checker/program/resourceGraph";
import { analyzeReachability, NetworkResource } from "../../model/reachability";
import { changed, echoOut, peeredPair, without } from "../fixtures/reachability/network";
import { ROOT } from "../helpers/pulumi";

/** The fixture network as the checker's graph: URNs from the logical names, ids as given. */
function graphOf(network: readonly NetworkResource[]): GraphResource[] {
    return network.map((r) => ({
        urn: `urn:pulumi:dev::demo::${r.type}::${r.name}`,
        type: r.type,
        name: r.name ?? r.id,
        custom: true,
        id: r.id,
        inputs: r.properties as Record<string, unknown>,
        state: r.properties as Record<string, unknown>,
        dependencies: [],
        propertyDependencies: {},
    }));
}

function judge(network: readonly NetworkResource[], patterns: PairPattern[]) {
    return judgeConnectivity(patterns, analyzeReachability(network), graphOf(network));
}

const pair = (expect: PairPattern["expect"], from: string, to: string): PairPattern => ({
    expect,
    from,
    to,
    source: "intent.yaml",
});
const urnOf = (network: readonly NetworkResource[], id: string) => graphOf(network).find((r) => r.id === id)?.urn;

describe("connectivity intent, as declared", () => {
    it("reads pairs that must and must not reach from YAML, and from JSON", () => {
        const yaml = "mustReach:\n  - { from: host-1, to: host-2 }\nmustNotReach:\n  - from: '*'\n    to: host-3\n";
        const expected = [
            { expect: "must-reach", from: "host-1", to: "host-2", source: "intent.yaml" },
            { expect: "must-not-reach", from: "*", to: "host-3", source: "intent.yaml" },
        ];
        assert.deepEqual(parseConnectivityFile(yaml, "intent.yaml"), expected);
        const json = JSON.stringify({
            mustReach: [{ from: "host-1", to: "host-2" }],
            mustNotReach: [{ from: "*", to: "host-3" }],
        });
        assert.deepEqual(parseConnectivityFile(json, "intent.yaml"), expected);
    });

    it("keeps the dev stack's intent: each host reaches the other, both ways", () => {
        const file = path.join(ROOT, "connectivity", "dev.yaml");
        const pairs = parseConnectivityFile(fs.readFileSync(file, "utf8"), file).map((p) => [p.expect, p.from, p.to]);
        assert.deepEqual(pairs, [
            ["must-reach", "vpc1-host-instance", "vpc2-host-instance"],
            ["must-reach", "vpc2-host-instance", "vpc1-host-instance"],
        ]);
    });

    const badFiles: { name: string; text: string; error: RegExp }[] = [
        { name: "a misspelt key", text: "mustreach: []\n", error: /intent\.yaml: .*mustreach/ },
        {
            name: "a pair without its target",
            text: "mustReach:\n  - from: host-1\n",
            error: /intent\.yaml: mustReach\.0\.to: /,
        },
        { name: "text that is not YAML", text: "mustReach: [\n", error: /intent\.yaml is not YAML or JSON/ },
    ];
    for (const c of badFiles) {
        it(`refuses a file with ${c.name}, naming the file and the key`, () => {
            assert.throws(() => parseConnectivityFile(c.text, "intent.yaml"), c.error);
        });
    }

    const flags: { value: string; expected?: [string, string]; error?: RegExp }[] = [
        { value: "host-1:host-2", expected: ["host-1", "host-2"] },
        { value: "*:*", expected: ["*", "*"] },
        { value: "host-1", error: /--must-reach "host-1": expected FROM:TO/ },
        { value: "host-1:", error: /expected FROM:TO/ },
    ];
    for (const c of flags) {
        it(`reads --must-reach ${c.value}`, () => {
            if (c.error) return assert.throws(() => parsePairFlag(c.value, "must-reach"), c.error);
            const { from, to } = parsePairFlag(c.value, "must-reach");
            assert.deepEqual([from, to], c.expected);
        });
    }
});

describe("connectivity intent, judged against the reachability analysis", () => {
    it("keeps a pair that must reach and does, and a wildcard covers every ordered pair", () => {
        const { outcomes, unchecked } = judge(peeredPair(), [pair("must-reach", "*", "*")]);
        assert.deepEqual(
            outcomes.map((o) => [o.from, o.to, o.kept]),
            [
                ["host-1", "host-2", true],
                ["host-2", "host-1", true],
            ],
        );
        assert.deepEqual(unchecked, []);
    });

    const blocked: { name: string; network: NetworkResource[]; culprit: string; reason: RegExp }[] = [
        {
            name: "a security group without the egress rule",
            network: without(peeredPair(), echoOut(1, "10.2.0.0/16").id),
            culprit: "sg-1",
            reason: /security group sg-1 .*lets no ICMP echo out/,
        },
        {
            name: "a route table without the peering route",
            network: without(peeredPair(), "r-rtb-1-10.2.0.0/16"),
            culprit: "rtb-1",
            reason: /route table rtb-1 .*has no route to 10\.2\.1\.10/,
        },
        {
            name: "a peering connection not accepted",
            network: changed(peeredPair(), "pcx-12", (p) => ({
                ...p,
                autoAccept: false,
                acceptStatus: "pending-acceptance",
            })),
            culprit: "pcx-12",
            reason: /not active/,
        },
    ];
    for (const c of blocked) {
        it(`violates a pair that must reach when blocked by ${c.name}, blaming that resource`, () => {
            const { outcomes } = judge(c.network, [pair("must-reach", "host-1", "host-2")]);
            assert.equal(outcomes.length, 1);
            assert.equal(outcomes[0].kept, false);
            assert.match(outcomes[0].reason, c.reason);
            assert.equal(outcomes[0].culprit, urnOf(c.network, c.culprit));
        });
    }

    it("violates a pair that must not reach but does, blaming its source instance", () => {
        const network = peeredPair();
        const [outcome] = judge(network, [pair("must-not-reach", "host-2", "host-1")]).outcomes;
        assert.deepEqual([outcome.kept, outcome.culprit], [false, urnOf(network, "i-2")]);
    });

    it("lists a pair it cannot decide as not judged, never as kept or violated", () => {
        const network = changed(peeredPair(), "i-2", (p) => ({ ...p, privateIp: undefined }));
        const { outcomes, unchecked } = judge(network, [pair("must-reach", "host-1", "host-2")]);
        assert.deepEqual(outcomes, []);
        assert.equal(unchecked.length, 1);
        assert.equal(unchecked[0].kind, "reachability");
        assert.equal(unchecked[0].subject, "host-1 -> host-2 (must-reach)");
        assert.match(unchecked[0].reason, /private IP of host-2 is not known/);
    });

    const unmatched: { name: string; network: NetworkResource[]; pattern: PairPattern; count: string }[] = [
        {
            name: "an instance to itself",
            network: peeredPair(),
            pattern: pair("must-reach", "host-1", "host-1"),
            count: "2 instances",
        },
        {
            name: "every pair, on a stack with one instance",
            network: without(peeredPair(), "i-2"),
            pattern: pair("must-not-reach", "*", "*"),
            count: "1 instance",
        },
        {
            name: "its only instance, by name",
            network: without(peeredPair(), "i-2"),
            pattern: pair("must-reach", "host-1", "*"),
            count: "1 instance",
        },
    ];
    for (const c of unmatched) {
        it(`lists a pattern that matches no pair as not judged, never as kept: ${c.name}`, () => {
            const { outcomes, unchecked } = judge(c.network, [c.pattern]);
            assert.deepEqual(outcomes, []);
            assert.deepEqual(unchecked, [
                {
                    kind: "reachability",
                    subject: `${c.pattern.from} -> ${c.pattern.to} (${c.pattern.expect})`,
                    reason: `intent.yaml: matches no ordered pair of two different instances (the stack has ${c.count})`,
                },
            ]);
        });
    }

    it("refuses an instance the stack does not have, with the closest name it has", () => {
        assert.throws(
            () => judge(peeredPair(), [pair("must-reach", "host-1", "host-3")]),
            /intent\.yaml: the stack has no instance host-3 \(did you mean host-1\?\); its instances: host-1, host-2/,
        );
    });
});

describe("connectivity intent in the check's report", () => {
    const violated: ConnectivityOutcome = {
        expect: "must-reach",
        from: "host-1",
        to: "host-2",
        source: "intent.yaml",
        kept: false,
        reason: "route table rtb-1 of subnet subnet-1 has no route to 10.2.1.10",
        culprit: "urn:pulumi:dev::demo::aws:ec2/routeTable:RouteTable::rtb-1",
    };
    const report = (connectivity?: ConnectivityOutcome[]): CheckReport => ({
        project: "demo",
        stack: "dev",
        projectDir: ROOT,
        program: path.join(ROOT, "infra", "index.ts"),
        policyPack: { name: "demo-pack", policies: [] },
        resources: [],
        violations: [],
        reachability: [],
        unchecked: [],
        ...(connectivity ? { connectivity } : {}),
    });

    const verdicts: { name: string; connectivity?: ConnectivityOutcome[]; refused: boolean; last: RegExp }[] = [
        { name: "no intent declared", refused: false, last: /^Passed: no mandatory violation\.$/ },
        { name: "every pair kept", connectivity: [{ ...violated, kept: true }], refused: false, last: /^Passed/ },
        {
            name: "a pair violated",
            connectivity: [violated],
            refused: true,
            // `pulumi up` enforces the pack, not this intent: the line says which refused.
            last: /^Refused: 1 violated connectivity intent; this check refuses it \(`pulumi up` does not enforce connectivity intent\)\.$/,
        },
    ];
    for (const c of verdicts) {
        it(`refuses exactly when a declared pair is violated: ${c.name}`, () => {
            assert.equal(isRefused(report(c.connectivity)), c.refused);
            assert.equal(jsonReport(report(c.connectivity)).passed, !c.refused);
            assert.match(formatSummary(report(c.connectivity)).split("\n").pop() ?? "", c.last);
        });
    }

    it("shows each declared pair in the summary, with what blocks a violated one, and lists them in JSON", () => {
        const summary = formatSummary(report([{ ...violated, from: "host-2", to: "host-1", kept: true }, violated]));
        assert.match(
            summary,
            /Connectivity intent:\n {4}✓ host-2 must reach host-1\n {4}✗ host-1 must reach host-2: violated: route table rtb-1/,
        );
        assert.deepEqual(jsonReport(report([violated])).connectivity, [violated]);
    });
});
