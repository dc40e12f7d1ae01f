import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import type { Location, Log, Notification, ReportingDescriptor, Result } from "sarif";
import { EnforcementLevel, PolicyInfo } from "../analyzer/analyzerClient";
import { ConnectivityOutcome, connectivityViolations } from "../connectivity";
import { CheckReport, detailOf, Violation } from "./checkReport";
import { SourcePosition, STACK_TYPE } from "../program/resourceGraph";
import { declarationSpan } from "./sourceSpan";

/**
 * The check as SARIF 2.1.0 for GitHub code scanning: one rule per policy (`ruleId` = the policy's
 * name) and one for connectivity intent, one result per violation, located at the expression that
 * declared the resource at fault; what the check could not judge, as run-level notifications.
 * Every property GitHub lists as required is set.
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */

/** The schema's own address (its `id`); tests/fixtures/sarif holds a copy. */
export const SARIF_SCHEMA =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/**
 * The tool's name in every log, judged or not. GitHub code scanning keys an analysis by tool name
 * and category, so a failed run must carry the judged run's name to replace its alerts; the pack's
 * own name is only known once it has started (GetAnalyzerInfo) and differs from its package.json
 * name (policy/: "vpc-flow-monitoring" vs "vpc-flow-monitoring-policy"), so the name is fixed and
 * the pack is named in `fullName` and the rules' tags.
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#runautomationdetails-object
 */
export const SARIF_TOOL_NAME = "pulumi-policy";

/** One analysis per stack: code scanning keeps each stack's results apart. */
export function analysisCategory(project: string, stack: string): string {
    return `pulumi-policy/${project}/${stack}/`;
}

/** The rule of declared connectivity intent (see ../connectivity). */
export const CONNECTIVITY_RULE = "connectivity-intent";

/**
 * A remediation is enforced like a mandatory policy (the engine changes the resource rather than
 * let it through as is), so it is an error too; advisory findings are warnings.
 */
const SARIF_LEVEL: Record<EnforcementLevel, Result.level> = {
    mandatory: "error",
    remediate: "error",
    advisory: "warning",
    disabled: "none",
};

/** The repository root, which code scanning resolves paths against; the project directory outside git. */
export function sourceRoot(projectDir: string): string {
    for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, ".git"))) return dir;
        if (path.dirname(dir) === dir) return path.resolve(projectDir);
    }
}

/** A path relative to the root as a URI reference: `/`-separated, each segment percent-encoded. */
export function relativeUri(root: string, file: string): string {
    return path.relative(root, file).split(path.sep).map(encodeURIComponent).join("/");
}

/**
 * Where the resource was declared: its own source position, else its nearest ancestor's (the SDK
 * cannot place resources declared in anonymous callbacks), else the program's entry file. Positions
 * in dependencies (node_modules) or outside the repository say nothing a reviewer can change.
 */
function declaration(report: CheckReport, root: string, urn: string | undefined): SourcePosition {
    const byUrn = new Map(report.resources.map((r) => [r.urn, r]));
    for (
        let resource = urn ? byUrn.get(urn) : undefined;
        resource;
        resource = resource.parent ? byUrn.get(resource.parent) : undefined
    ) {
        const source = resource.source;
        const relative = source && path.relative(root, source.file);
        if (source && relative && !relative.startsWith("..") && !relative.split(path.sep).includes("node_modules"))
            return source;
    }
    return { file: report.program, line: 1, column: 1 };
}

function location(report: CheckReport, root: string, urn: string | undefined): Location {
    const source = declaration(report, root, urn);
    const resource = report.resources.find((r) => r.urn === urn);
    return {
        physicalLocation: {
            artifactLocation: { uri: relativeUri(root, source.file), uriBaseId: "%SRCROOT%" },
            region: declarationSpan(source),
        },
        logicalLocations: resource
            ? [{ name: resource.name, fullyQualifiedName: resource.urn, kind: "resource" }]
            : undefined,
    };
}

/**
 * Code scanning's identity of an alert. From the rule and the resource's URN, not from the line's
 * text as upload-sarif would compute it: two resources declared by one line stay two alerts, and
 * an alert survives its declaration moving. In upload-sarif's `<hash>:<occurrence>` shape.
 */
export function primaryLocationLineHash(rule: string, subject: string): string {
    return `${createHash("sha256").update(`${rule}\n${subject}`).digest("hex").slice(0, 16)}:1`;
}

/**
 * Numbers results that share a fingerprint (one rule, one resource, e.g. a group open to IPv4 and
 * to IPv6) in the `:N` suffix, in the order they were reported, as upload-sarif numbers equal
 * line hashes within a file (`hashCounts` in `hash()`); else code scanning merges them into one alert.
 * @see https://github.com/github/codeql-action/blob/main/src/fingerprints.ts
 */
function numberOccurrences(results: readonly Result[]): Result[] {
    const seen = new Map<string, number>();
    return results.map((result) => {
        const hash = result.partialFingerprints?.primaryLocationLineHash;
        if (hash === undefined) return result;
        const occurrence = (seen.get(hash) ?? 0) + 1;
        seen.set(hash, occurrence);
        const numbered = hash.replace(/:1$/, `:${occurrence}`);
        return { ...result, partialFingerprints: { ...result.partialFingerprints, primaryLocationLineHash: numbered } };
    });
}

/** A declared file as the message names it: relative to the repository root, as the URIs are; a flag as typed. */
function intentSource(root: string, source: string): string {
    return path.isAbsolute(source) ? path.relative(root, source).split(path.sep).join("/") : source;
}

function policyRule(report: CheckReport, policy: PolicyInfo): ReportingDescriptor {
    const level = policy.enforcementLevel;
    return {
        id: policy.name,
        name: policy.name,
        shortDescription: { text: policy.description },
        fullDescription: { text: `${policy.description} (policy pack ${report.policyPack.name})` },
        help: {
            text: `${policy.description}\nEnforcement level: ${level}. Each result's message says what to change.`,
        },
        defaultConfiguration: { level: SARIF_LEVEL[level], enabled: level !== "disabled" },
        properties: { tags: ["pulumi-policy", report.policyPack.name], enforcementLevel: level },
    };
}

const connectivityRule: ReportingDescriptor = {
    id: CONNECTIVITY_RULE,
    name: CONNECTIVITY_RULE,
    shortDescription: { text: "Declared connectivity between instances holds." },
    fullDescription: {
        text: "Instances declared to reach each other (ICMP echo) must, and instances declared not to reach each other must not, as the checker's reachability analysis decides from the code.",
    },
    help: {
        text: "The intent comes from --connectivity FILE or --must-reach / --must-not-reach. The result is located at the resource that blocks the pair (a security group, route table, network ACL or peering connection), or, for a pair that must not reach, at its source instance.",
    },
    defaultConfiguration: { level: "error", enabled: true },
    properties: { tags: ["connectivity", "reachability"] },
};

function stackUrn(report: CheckReport): string {
    return report.resources.find((r) => r.type === STACK_TYPE)?.urn ?? `${report.project}/${report.stack}`;
}

function policyResult(report: CheckReport, root: string, violation: Violation, ruleIndex?: number): Result {
    const resource = report.resources.find((r) => r.urn === violation.urn);
    const subject = resource ? `${resource.name} (${resource.type})` : `stack ${report.stack}`;
    return {
        ruleId: violation.policy,
        ruleIndex,
        level: SARIF_LEVEL[violation.level],
        message: { text: `${subject}: ${detailOf(violation)}` },
        locations: [location(report, root, violation.urn)],
        partialFingerprints: {
            primaryLocationLineHash: primaryLocationLineHash(violation.policy, violation.urn ?? stackUrn(report)),
        },
        properties: { enforcementLevel: violation.level, stack: report.stack, urn: violation.urn },
    };
}

function connectivityResult(
    report: CheckReport,
    root: string,
    outcome: ConnectivityOutcome,
    ruleIndex: number,
): Result {
    const wanted = outcome.expect === "must-reach" ? "must reach" : "must not reach";
    const what = outcome.expect === "must-reach" ? `but is blocked: ${outcome.reason}` : `but does: ${outcome.reason}`;
    return {
        ruleId: CONNECTIVITY_RULE,
        ruleIndex,
        level: "error",
        message: {
            text: `${outcome.from} ${wanted} ${outcome.to} (declared in ${intentSource(root, outcome.source)}), ${what}`,
        },
        locations: [location(report, root, outcome.culprit)],
        partialFingerprints: {
            primaryLocationLineHash: primaryLocationLineHash(
                CONNECTIVITY_RULE,
                `${stackUrn(report)}\n${outcome.expect}\n${outcome.from}\n${outcome.to}`,
            ),
        },
        properties: { stack: report.stack, expect: outcome.expect, from: outcome.from, to: outcome.to },
    };
}

/** Why the stack was not judged, as the invocation's error. */
export function failureNotification(stack: string, error: string): Notification {
    return { level: "error", message: { text: `stack ${stack} was not judged: ${error}` } };
}

/** What the check could not judge, which code scanning shows with the analysis rather than as alerts. */
function notifications(report: CheckReport): Notification[] {
    return report.unchecked.map((item) => ({
        level: "warning",
        message: { text: `Not judged: ${item.subject}: ${item.reason}` },
        descriptor: { id: item.kind },
        properties: { kind: item.kind, subject: item.subject },
    }));
}

/**
 * The check as SARIF. With `failure` (e.g. `--strict` with something not judged) the judged results
 * stay, but the invocation did not succeed and says why, as a failed check's log does (./failedSarif).
 */
export function toSarif(report: CheckReport, failure?: string): Log {
    const root = sourceRoot(report.projectDir);
    const rules = report.policyPack.policies.map((policy) => policyRule(report, policy));
    const broken = connectivityViolations(report.connectivity ?? []);
    // The pack's rules, and the checker's own only when it has a result: the driver stays the pack.
    if (broken.length > 0) rules.push(connectivityRule);
    const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
    const results = numberOccurrences([
        ...report.violations.map((v) => policyResult(report, root, v, ruleIndex.get(v.policy))),
        ...broken.map((o) => connectivityResult(report, root, o, ruleIndex.get(CONNECTIVITY_RULE) ?? 0)),
    ]);
    return {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: SARIF_TOOL_NAME,
                        fullName: `${SARIF_TOOL_NAME} ${report.policyPack.name}`,
                        version: report.policyPack.version,
                        rules,
                    },
                },
                invocations: [
                    {
                        executionSuccessful: failure === undefined,
                        toolExecutionNotifications: [
                            ...(failure === undefined ? [] : [failureNotification(report.stack, failure)]),
                            ...notifications(report),
                        ],
                    },
                ],
                automationDetails: { id: analysisCategory(report.project, report.stack) },
                originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(root + path.sep).href } },
                results,
            },
        ],
    };
}
