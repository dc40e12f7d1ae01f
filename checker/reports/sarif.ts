import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import type { Location, Log, ReportingDescriptor, Result } from "sarif";
import { EnforcementLevel } from "../analyzer/analyzerClient";
import { CheckReport, detailOf, Violation } from "./checkReport";
import { SourcePosition } from "../program/resourceGraph";

/**
 * The check as SARIF 2.1.0 for GitHub code scanning: one rule per policy (`ruleId` = the policy's
 * name), one result per violation, located where the program declared the resource at fault.
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */

const SARIF_LEVEL: Record<EnforcementLevel, Result.level> = {
    mandatory: "error",
    advisory: "warning",
    remediate: "note",
    disabled: "none",
};

/** The repository root, which code scanning resolves paths against; the project directory outside git. */
export function sourceRoot(projectDir: string): string {
    for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, ".git"))) return dir;
        if (path.dirname(dir) === dir) return path.resolve(projectDir);
    }
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

function location(report: CheckReport, root: string, violation: Violation): Location {
    const source = declaration(report, root, violation.urn);
    const resource = report.resources.find((r) => r.urn === violation.urn);
    return {
        physicalLocation: {
            artifactLocation: {
                uri: path.relative(root, source.file).split(path.sep).join("/"),
                uriBaseId: "%SRCROOT%",
            },
            region: { startLine: Math.max(source.line, 1), startColumn: Math.max(source.column, 1) },
        },
        logicalLocations: resource
            ? [{ name: resource.name, fullyQualifiedName: resource.urn, kind: "resource" }]
            : undefined,
    };
}

export function toSarif(report: CheckReport): Log {
    const root = sourceRoot(report.projectDir);
    const rules: ReportingDescriptor[] = report.policyPack.policies.map((policy) => ({
        id: policy.name,
        shortDescription: { text: policy.description },
        help: { text: `${policy.description}\nEnforcement level: ${policy.enforcementLevel}.` },
        defaultConfiguration: {
            level: SARIF_LEVEL[policy.enforcementLevel],
            enabled: policy.enforcementLevel !== "disabled",
        },
        properties: { tags: ["pulumi-policy", report.policyPack.name], enforcementLevel: policy.enforcementLevel },
    }));
    const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
    const results: Result[] = report.violations.map((violation) => {
        const resource = report.resources.find((r) => r.urn === violation.urn);
        const subject = resource ? `${resource.name} (${resource.type})` : `stack ${report.stack}`;
        return {
            ruleId: violation.policy,
            ruleIndex: ruleIndex.get(violation.policy),
            level: SARIF_LEVEL[violation.level],
            message: { text: `${subject}: ${detailOf(violation)}` },
            locations: [location(report, root, violation)],
            // Stable across commits that move the declaration, unlike the line-based default.
            partialFingerprints: {
                "pulumiPolicyViolation/v1": createHash("sha256")
                    .update([report.stack, violation.policy, violation.urn ?? "", violation.message].join("\n"))
                    .digest("hex"),
            },
            properties: { enforcementLevel: violation.level, stack: report.stack, urn: violation.urn },
        };
    });
    return {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [
            {
                tool: { driver: { name: report.policyPack.name, version: report.policyPack.version, rules } },
                // One analysis per stack: code scanning keeps each stack's results apart.
                automationDetails: { id: `pulumi-policy/${report.project}/${report.stack}/` },
                originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(root + path.sep).href } },
                results,
            },
        ],
    };
}
