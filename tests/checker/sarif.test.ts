import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Log } from "sarif";
import { ConnectivityOutcome } from "../../checker/connectivity";
import { CheckReport, Violation } from "../../checker/reports/checkReport";
import { GraphResource } from "../../checker/program/resourceGraph";
import { CONNECTIVITY_RULE, SARIF_SCHEMA, toSarif } from "../../checker/reports/sarif";
import { failedSarif } from "../../checker/reports/failedSarif";
import { declarationSpan } from "../../checker/reports/sourceSpan";
import { AWS_TYPES } from "../../model/awsTypes";
import { gitHubGaps, schemaErrors } from "../helpers/sarifSchema";
import { ROOT } from "../helpers/pulumi";

/**
 * The SARIF file as GitHub code scanning reads it: the official 2.1.0 schema, GitHub's list of
 * required properties, its fingerprints and its paths.
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */

const BLOCKED = path.join(ROOT, "tests", "fixtures", "blocked-project", "index.ts");
const blockedSource = fs.readFileSync(BLOCKED, "utf8").split("\n");
/** 1-based line and column where `text` starts in the blocked project's program. */
function positionOf(text: string): { file: string; line: number; column: number } {
    const line = blockedSource.findIndex((l) => l.includes(text));
    return { file: BLOCKED, line: line + 1, column: blockedSource[line].indexOf(text) + 1 };
}

const STACK_URN = "urn:pulumi:test::blocked-project::pulumi:pulumi:Stack::blocked-project-test";
function resource(name: string, type: string, extra: Partial<GraphResource> = {}): GraphResource {
    return {
        urn: `urn:pulumi:test::blocked-project::${type}::${name}`,
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
const stack = resource("blocked-project-test", "pulumi:pulumi:Stack", {
    urn: STACK_URN,
    custom: false,
    parent: undefined,
});
// Both hosts come from one `new aws.ec2.Instance(...)` inside a `map`: one source position.
const hostDeclaration = positionOf("new aws.ec2.Instance(");
const hostA = resource("host-a", AWS_TYPES.instance, { source: hostDeclaration });
const hostB = resource("host-b", AWS_TYPES.instance, { source: hostDeclaration });
const group = resource("closed", AWS_TYPES.securityGroup, { source: positionOf("new aws.ec2.SecurityGroup(") });

const untagged = (host: GraphResource, level: Violation["level"] = "mandatory"): Violation => ({
    policy: "instance-required-tags",
    policyPack: "configured-in-code",
    level,
    urn: host.urn,
    description: "Instances carry their tags.",
    message: `Instances carry their tags.\ninstance ${host.name} has no owner tag`,
});
const blockedPing: ConnectivityOutcome = {
    expect: "must-reach",
    from: "host-a",
    to: "host-b",
    source: "connectivity/test.yaml",
    kept: false,
    reason: "security group sg-1 (closed) of host-a lets no ICMP echo out to 10.9.1.11",
    culprit: group.urn,
};

function report(overrides: Partial<CheckReport> = {}): CheckReport {
    return {
        project: "blocked-project",
        stack: "test",
        projectDir: path.dirname(BLOCKED),
        program: BLOCKED,
        policyPack: {
            name: "configured-in-code",
            version: "0.1.0",
            policies: [
                {
                    name: "instance-required-tags",
                    description: "Instances carry their tags.",
                    enforcementLevel: "mandatory",
                },
                { name: "slow-review", description: "Waits.", enforcementLevel: "remediate" },
            ],
        },
        resources: [stack, hostA, hostB, group],
        violations: [untagged(hostA), untagged(hostB)],
        reachability: [],
        unchecked: [],
        ...overrides,
    };
}

/** Every SARIF log these tests write, each checked against the schema and GitHub's list at the end. */
const written: [name: string, log: Log][] = [];
function sarifOf(name: string, overrides: Partial<CheckReport> = {}, failure?: string): Log {
    const log = toSarif(report(overrides), failure);
    written.push([name, log]);
    return log;
}

describe("SARIF for GitHub code scanning", () => {
    const log = sarifOf("two hosts declared by one line, a blocked ping", { connectivity: [blockedPing] });
    const run = log.runs[0];
    const results = run.results ?? [];

    it("locates each result by the whole expression that declared the resource", () => {
        const region = results[0].locations?.[0].physicalLocation?.region;
        const start = hostDeclaration.line;
        const end = blockedSource.findIndex((l, i) => i >= start && /^\s*\}\)/.test(l)) + 1;
        assert.deepEqual(region, {
            startLine: start,
            startColumn: hostDeclaration.column,
            endLine: end,
            endColumn: blockedSource[end - 1].indexOf("})") + 3,
        });
    });

    it("gives two resources declared by one line two alerts: fingerprints from the rule and the URN", () => {
        const [a, b] = results;
        assert.deepEqual(a.locations?.[0].physicalLocation, b.locations?.[0].physicalLocation);
        assert.notEqual(a.partialFingerprints?.primaryLocationLineHash, b.partialFingerprints?.primaryLocationLineHash);
        assert.deepEqual(Object.keys(a.partialFingerprints ?? {}), ["primaryLocationLineHash"], "no key nothing reads");
    });

    it("numbers two results of one rule on one resource, as upload-sarif numbers equal line hashes", () => {
        const twice = sarifOf("one host untagged twice", {
            violations: [untagged(hostA), { ...untagged(hostA), message: "no owner tag for IPv6" }, untagged(hostB)],
        }).runs[0].results?.map((r) => r.partialFingerprints?.primaryLocationLineHash ?? "");
        const [first, second, other] = twice ?? [];
        assert.equal(first.replace(/:1$/, ":2"), second);
        assert.match(other, /:1$/);
        assert.equal(first, results[0].partialFingerprints?.primaryLocationLineHash, "the first keeps its :1");
    });

    it("names a connectivity file relative to the repository root, as the URIs do", () => {
        const absolute = { ...blockedPing, source: path.join(ROOT, "connectivity", "test.yaml") };
        const text = sarifOf("an intent file given by absolute path", {
            connectivity: [absolute],
        }).runs[0].results?.find((r) => r.ruleId === CONNECTIVITY_RULE)?.message.text;
        assert.match(text ?? "", /\(declared in connectivity\/test\.yaml\)/);
        assert.doesNotMatch(text ?? "", new RegExp(ROOT.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    });

    it("keeps an alert's fingerprint when its declaration moves", () => {
        const moved = sarifOf("the same hosts declared elsewhere", {
            resources: [stack, { ...hostA, source: { ...hostDeclaration, line: 2 } }, hostB, group],
        });
        const fingerprints = (l: Log) => l.runs[0].results?.map((r) => r.partialFingerprints?.primaryLocationLineHash);
        assert.notEqual(
            moved.runs[0].results?.[0].locations?.[0].physicalLocation?.region?.startLine,
            hostDeclaration.line,
        );
        assert.deepEqual(fingerprints(moved), fingerprints(log)?.slice(0, 2));
    });

    it("reports a violated connectivity intent under its own rule, at the declaration of what blocks it", () => {
        const result = results.find((r) => r.ruleId === CONNECTIVITY_RULE);
        assert.equal(result?.level, "error");
        assert.equal(run.tool.driver.rules?.[result?.ruleIndex ?? -1]?.id, CONNECTIVITY_RULE);
        assert.match(
            result?.message.text ?? "",
            /^host-a must reach host-b .*but is blocked: security group sg-1 \(closed\)/,
        );
        const where = result?.locations?.[0].physicalLocation;
        assert.deepEqual(
            [where?.artifactLocation?.uri, where?.region?.startLine],
            ["tests/fixtures/blocked-project/index.ts", group.source?.line],
        );
    });

    const quiet: { name: string; connectivity?: ConnectivityOutcome[] }[] = [
        { name: "no intent was declared" },
        { name: "every declared pair holds", connectivity: [{ ...blockedPing, kept: true }] },
    ];
    for (const c of quiet) {
        it(`keeps to the pack's rules when ${c.name}`, () => {
            const rules = sarifOf(c.name, { connectivity: c.connectivity }).runs[0].tool.driver.rules?.map((r) => r.id);
            assert.deepEqual(rules, ["instance-required-tags", "slow-review"]);
        });
    }

    const levels: { level: Violation["level"]; sarif: string }[] = [
        { level: "mandatory", sarif: "error" },
        { level: "remediate", sarif: "error" },
        { level: "advisory", sarif: "warning" },
    ];
    for (const c of levels) {
        it(`makes a ${c.level} finding a SARIF ${c.sarif}, in the rule and the result`, () => {
            const one = sarifOf(`a ${c.level} finding`, {
                policyPack: {
                    ...report().policyPack,
                    policies: [{ ...report().policyPack.policies[0], enforcementLevel: c.level }],
                },
                violations: [untagged(hostA, c.level)],
            }).runs[0];
            assert.deepEqual(
                [one.tool.driver.rules?.[0].defaultConfiguration?.level, one.results?.[0].level],
                [c.sarif, c.sarif],
            );
        });
    }

    it("lists what the check could not judge as run-level notifications, not as alerts", () => {
        const unchecked = [
            {
                kind: "reachability" as const,
                subject: "host-a -> host-b (must-reach)",
                reason: "the private IP of host-b is not known",
            },
        ];
        const one = sarifOf("an undecidable pair", { unchecked, violations: [] }).runs[0];
        assert.deepEqual(one.results, []);
        const [notification] = one.invocations?.[0].toolExecutionNotifications ?? [];
        assert.equal(notification.descriptor?.id, "reachability");
        assert.equal(notification.level, "warning");
        assert.match(
            notification.message.text ?? "",
            /Not judged: host-a -> host-b \(must-reach\): the private IP of host-b is not known/,
        );
    });

    it("percent-encodes paths relative to the repository root, e.g. a project folder with a space and a #", () => {
        const repo = fs.mkdtempSync(path.join(os.tmpdir(), "sarif-"));
        try {
            const project = path.join(repo, "my stacks #1");
            fs.mkdirSync(path.join(repo, ".git"));
            fs.mkdirSync(project);
            const program = path.join(project, "index.ts");
            fs.writeFileSync(program, 'import * as aws from "@pulumi/aws";\nnew aws.ec2.Vpc("net", {});\n');
            const vpc = resource("net", AWS_TYPES.vpc, { source: { file: program, line: 2, column: 1 } });
            const moved = sarifOf("a project folder with a space and a #", {
                projectDir: project,
                program,
                resources: [stack, vpc],
                violations: [{ ...untagged(hostA), urn: vpc.urn }],
            });
            const location = moved.runs[0].results?.[0].locations?.[0].physicalLocation;
            assert.equal(location?.artifactLocation?.uri, "my%20stacks%20%231/index.ts");
            assert.deepEqual(location?.region, { startLine: 2, startColumn: 1, endLine: 2, endColumn: 27 });
            assert.deepEqual(schemaErrors(moved), []);
        } finally {
            fs.rmSync(repo, { recursive: true, force: true });
        }
    });

    it("with --strict and something not judged, keeps the results but says the invocation failed, and why", () => {
        const unchecked = [{ kind: "secret" as const, subject: "demo:password", reason: "no passphrase" }];
        const failure = "--strict: 1 item not judged";
        const [invocation] = sarifOf("--strict with a secret not judged", { unchecked }).runs[0].invocations ?? [];
        assert.equal(invocation.executionSuccessful, true);
        const strict = sarifOf("--strict failed", { unchecked }, failure).runs[0];
        assert.equal(strict.results?.length, 2);
        assert.equal(strict.invocations?.[0].executionSuccessful, false);
        const [error, notJudged] = strict.invocations?.[0].toolExecutionNotifications ?? [];
        assert.deepEqual([error.level, error.message.text], ["error", `stack test was not judged: ${failure}`]);
        assert.equal(notJudged.descriptor?.id, "secret");
    });

    it("names the tool, the category and the schema as a failed check's log does, so one replaces the other", () => {
        const failed = failedSarif("blocked-project", "test", "the pack did not start", []);
        written.push(["a failed check", failed]);
        const identity = (l: Log) => [l.$schema, l.runs[0].tool.driver.name, l.runs[0].automationDetails?.id];
        assert.deepEqual(identity(failed), identity(log));
        assert.equal(log.$schema, SARIF_SCHEMA);
    });

    describe("every SARIF log above", () => {
        it("conforms to the official SARIF 2.1.0 schema and has what GitHub requires", () => {
            assert.ok(written.length >= 8);
            for (const [name, written1] of written) {
                assert.deepEqual(schemaErrors(written1), [], name);
                assert.deepEqual(gitHubGaps(written1), [], name);
            }
        });
    });
});

describe("the span of a declaring expression", () => {
    const spans: { name: string; text: string; lines: number }[] = [
        { name: "a `new` over several lines", text: "new aws.ec2.SecurityGroup(", lines: 5 },
        { name: "a `new` on one line", text: 'new aws.ec2.Vpc("net"', lines: 1 },
    ];
    for (const c of spans) {
        it(`covers ${c.name}`, () => {
            const span = declarationSpan(positionOf(c.text));
            assert.equal(span.endLine - span.startLine + 1, c.lines);
        });
    }

    it("falls back to the rest of the line where no expression starts, and to the position where the file is gone", () => {
        const comment = positionOf("// No egress rule");
        assert.deepEqual(declarationSpan(comment), {
            startLine: comment.line,
            startColumn: 1,
            endLine: comment.line,
            endColumn: blockedSource[comment.line - 1].length + 1,
        });
        const gone = { file: path.join(ROOT, "no-such-file.ts"), line: 3, column: 5 };
        assert.deepEqual(declarationSpan(gone), { startLine: 3, startColumn: 5, endLine: 3, endColumn: 6 });
    });
});
