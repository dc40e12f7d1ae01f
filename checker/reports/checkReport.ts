import { AnalyzerInfo, EnforcementLevel, PolicyInfo } from "../analyzer/analyzerClient";
import { formatReachability, ReachabilityResult } from "../../model/reachability";
import { countByType, GraphResource } from "../program/resourceGraph";
import { Unchecked } from "./unchecked";
import { ConnectivityOutcome, connectivityViolations, formatConnectivity } from "../connectivity";

/**
 * What a check found, and the two ways of showing it: a summary in the spirit of
 * `pulumi preview --policy-pack`, and the machine-readable `--json` report. Further analyses of
 * the graph add a field to {@link CheckReport}, a section to {@link formatSummary} and a key to
 * {@link jsonReport}, as reachability does.
 */

export interface Violation {
    readonly policy: string;
    readonly policyPack: string;
    readonly level: EnforcementLevel;
    /** The resource at fault; absent when a stack policy blames the stack as a whole. */
    readonly urn?: string;
    /** What the policy checks. */
    readonly description: string;
    /** What is wrong and what to change. */
    readonly message: string;
}

export interface CheckReport {
    readonly project: string;
    readonly stack: string;
    readonly projectDir: string;
    /** The program's entry file. */
    readonly program: string;
    readonly policyPack: AnalyzerInfo;
    /** Every resource the program registered, the stack's root first. */
    readonly resources: readonly GraphResource[];
    readonly violations: readonly Violation[];
    /** ICMP echo between every ordered pair of instances, decided from the graph. */
    readonly reachability: readonly ReachabilityResult[];
    /** What the check could not evaluate (see ./unchecked). */
    readonly unchecked: readonly Unchecked[];
    /** Each declared connectivity pair the analysis decided (see ../connectivity). @default none declared */
    readonly connectivity?: readonly ConnectivityOutcome[];
}

/** A mandatory violation stops `pulumi up`, as does a declared connectivity pair that does not hold; advisory findings are shown. */
export function isRefused(report: CheckReport): boolean {
    return (
        report.violations.some((v) => v.level === "mandatory") ||
        connectivityViolations(report.connectivity ?? []).length > 0
    );
}

function resourceLabel(report: CheckReport, urn: string | undefined): string {
    const resource = urn === undefined ? undefined : report.resources.find((r) => r.urn === urn);
    if (resource) return `${resource.type}: ${resource.name}`;
    return urn ?? `stack ${report.stack}`;
}

/** Each line of `text`, indented. */
export function indent(text: string, spaces: number): string {
    return text
        .split("\n")
        .map((line) => " ".repeat(spaces) + line)
        .join("\n");
}

function plural(count: number, noun: string): string {
    return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** What the violation adds to its policy's description (the policy SDK sends both, joined). */
export function detailOf(violation: Violation): string {
    const prefix = `${violation.description}\n`;
    return violation.message.startsWith(prefix) ? violation.message.slice(prefix.length) : violation.message;
}

/** Why `--strict` does not let the report pass: something was not judged. */
export function strictFailure(report: CheckReport): string | undefined {
    const count = report.unchecked.length;
    return count > 0 ? `--strict: ${plural(count, "item")} not judged (listed under "Not judged")` : undefined;
}

/**
 * A policy's line: its violations, or "passed" with the advisory findings it made despite its own
 * level (a mandatory policy that could not judge a resource reports that as advisory), which do
 * not refuse the stack.
 */
function policyVerdict(report: CheckReport, policy: PolicyInfo): string {
    const found = report.violations.filter((v) => v.policy === policy.name);
    const advisory = found.filter((v) => v.level === "advisory").length;
    if (found.length === 0) return "passed";
    if (advisory === found.length && policy.enforcementLevel !== "advisory") return `passed, ${advisory} advisory`;
    return plural(found.length, "violation");
}

/** @param strict whether anything not judged fails the check (`--strict`) */
export function formatSummary(report: CheckReport, strict = false): string {
    const { policyPack } = report;
    const pack = `${policyPack.name}${policyPack.version ? `@v${policyPack.version}` : ""}`;
    const lines = [
        `Checking stack ${report.stack} of ${report.project} with policy pack ${pack}, offline under mocks`,
        "",
    ];

    lines.push(`Resources: ${report.resources.length}`);
    const counts = countByType(report.resources).sort(([a], [b]) => a.localeCompare(b));
    const width = Math.max(...counts.map(([, count]) => String(count).length));
    for (const [type, count] of counts) lines.push(`    ${String(count).padStart(width)} ${type}`);

    lines.push("", "Policies:", `    ${isRefused(report) ? "✗" : "✓"} ${pack}`);
    for (const v of report.violations) {
        lines.push(`        - [${v.level}]  ${v.policy}  (${resourceLabel(report, v.urn)})`, indent(v.message, 10));
    }
    for (const policy of policyPack.policies) {
        const verdict = policy.enforcementLevel === "disabled" ? "disabled" : policyVerdict(report, policy);
        lines.push(`        ${policy.name} (${policy.enforcementLevel}): ${verdict}`);
    }

    if (report.reachability.length > 0) {
        lines.push("", "Reachability (ICMP echo between instances, from the code):");
        for (const result of report.reachability)
            lines.push(`    ${result.reachable ? "✓" : "✗"} ${formatReachability(result)}`);
    }

    lines.push(...formatConnectivity(report.connectivity ?? []));
    if (report.unchecked.length > 0) {
        lines.push(
            "",
            `Not judged (${report.unchecked.length}): the check could not evaluate these; they did not pass.`,
        );
        for (const item of report.unchecked)
            lines.push(`    ? [${item.kind}] ${item.subject}`, indent(item.reason, 10));
    }

    const mandatory = report.violations.filter((v) => v.level === "mandatory").length;
    const other = report.violations.length - mandatory;
    const broken = connectivityViolations(report.connectivity ?? []).length;
    const refusals = [
        ...(mandatory || !broken ? [plural(mandatory, "mandatory violation")] : []),
        ...(broken ? [plural(broken, "violated connectivity intent")] : []),
    ].join(" and ");
    // `pulumi up` enforces the pack, not the connectivity intent, which only this check holds to.
    const stops = mandatory
        ? "; `pulumi up` would stop here"
        : "; this check refuses it (`pulumi up` does not enforce connectivity intent)";
    const passed = strict && report.unchecked.length > 0 ? "Not passed (--strict)" : "Passed";
    lines.push(
        "",
        isRefused(report)
            ? `Refused: ${refusals}${other ? ` and ${other} other` : ""}${stops}.`
            : `${passed}: no mandatory violation${other ? `, ${plural(other, "advisory finding")}` : ""}` +
                  (report.unchecked.length > 0
                      ? ` among what was judged; ${plural(report.unchecked.length, "item")} not judged.`
                      : "."),
    );
    return lines.join("\n");
}

export interface JsonReport {
    readonly project: string;
    readonly stack: string;
    readonly policyPack: { readonly name: string; readonly version?: string };
    readonly passed: boolean;
    /** How many resources the program registered, the stack's root included. */
    readonly resources: number;
    readonly resourcesByType: Record<string, number>;
    readonly violations: readonly { policy: string; level: EnforcementLevel; urn?: string; message: string }[];
    readonly reachability: readonly ReachabilityResult[];
    readonly unchecked: readonly Unchecked[];
    /** Each declared connectivity pair the analysis decided; absent when none was declared. */
    readonly connectivity?: readonly ConnectivityOutcome[];
    /** Why the stack was not judged, when the check failed (exit code 2). */
    readonly error?: string;
}

/** The report of a check that could not judge the stack: never a pass, never a leftover of an earlier run. */
export interface FailedJsonReport {
    readonly project?: string;
    readonly stack: string;
    readonly passed: false;
    readonly error: string;
    readonly unchecked: readonly Unchecked[];
}

export function failedJsonReport(
    stack: string,
    error: string,
    unchecked: readonly Unchecked[],
    project?: string,
): FailedJsonReport {
    return { project, stack, passed: false, error, unchecked };
}

export function jsonReport(report: CheckReport): JsonReport {
    return {
        project: report.project,
        stack: report.stack,
        policyPack: { name: report.policyPack.name, version: report.policyPack.version },
        passed: !isRefused(report),
        resources: report.resources.length,
        resourcesByType: Object.fromEntries(countByType(report.resources)),
        violations: report.violations.map(({ policy, level, urn, message }) => ({ policy, level, urn, message })),
        reachability: report.reachability,
        unchecked: report.unchecked,
        ...(report.connectivity ? { connectivity: report.connectivity } : {}),
    };
}
