import * as fs from "fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { AWS_TYPES } from "../model/awsTypes";
import { ReachabilityResult } from "../model/reachability";
import { didYouMean } from "./analyzer/policyConfig";
import { GraphResource } from "./program/resourceGraph";
import { Unchecked } from "./reports/unchecked";

/**
 * Connectivity intent: which instances must reach each other (ICMP echo, as the reachability
 * analysis decides it from the code) and which must not. A declared pair that the analysis finds
 * blocked (or reachable, when it must not be) refuses the check like a mandatory violation; a
 * pair it cannot decide is listed as not judged, never passed.
 *
 * The file (`--connectivity FILE`, YAML or JSON) names instances by their logical name, the name
 * given to `new aws.ec2.Instance(name, ...)`; `"*"` stands for every instance:
 *
 *     mustReach:
 *       - { from: vpc1-host-instance, to: vpc2-host-instance }
 *     mustNotReach:
 *       - { from: "*", to: db-instance }
 *
 * The same pairs can be given as `--must-reach FROM:TO` and `--must-not-reach FROM:TO`.
 */

/** Every instance, in a pair pattern. */
export const ANY_INSTANCE = "*";

const PairSchema = z.strictObject({ from: z.string().min(1), to: z.string().min(1) });
const IntentSchema = z.strictObject({
    mustReach: z.array(PairSchema).default([]),
    mustNotReach: z.array(PairSchema).default([]),
});

export type Expectation = "must-reach" | "must-not-reach";

export interface PairPattern {
    readonly expect: Expectation;
    readonly from: string;
    readonly to: string;
    /** Where it was declared: the file, or the flag. */
    readonly source: string;
}

/** Intent the user gave, unusable as given (a malformed file, an instance the stack does not have). */
export class ConnectivityError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConnectivityError";
    }
}

export function parseConnectivityFile(text: string, file: string): PairPattern[] {
    let raw: unknown;
    try {
        // YAML 1.2 reads JSON too.
        raw = parseYaml(text) ?? {};
    } catch (error) {
        throw new ConnectivityError(`connectivity file ${file} is not YAML or JSON: ${(error as Error).message}`);
    }
    const parsed = IntentSchema.safeParse(raw);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(file)"}: ${issue.message}`);
        throw new ConnectivityError(`connectivity file ${file}: ${problems.join("; ")}`);
    }
    return [
        ...parsed.data.mustReach.map((p) => ({ expect: "must-reach" as const, ...p, source: file })),
        ...parsed.data.mustNotReach.map((p) => ({ expect: "must-not-reach" as const, ...p, source: file })),
    ];
}

export function readConnectivityFile(file: string): PairPattern[] {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new ConnectivityError(`connectivity file ${file} cannot be read: ${(error as Error).message}`);
    }
    return parseConnectivityFile(text, file);
}

/** `FROM:TO` from `--must-reach` or `--must-not-reach`. */
export function parsePairFlag(value: string, expect: Expectation): PairPattern {
    const flag = `--${expect}`;
    const parts = value.split(":");
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
        throw new ConnectivityError(`${flag} ${JSON.stringify(value)}: expected FROM:TO, instance names or "*"`);
    }
    return { expect, from: parts[0], to: parts[1], source: flag };
}

export interface ConnectivityOutcome {
    readonly expect: Expectation;
    readonly from: string;
    readonly to: string;
    readonly source: string;
    readonly kept: boolean;
    /** The path when reachable, else what blocks it, as the analysis said. */
    readonly reason: string;
    /**
     * The resource to fix: the one that blocks a pair that must reach, or the source instance of a
     * pair that must not reach but does.
     */
    readonly culprit?: string;
}

export interface ConnectivityVerdict {
    /** Each declared pair the analysis could decide, kept or violated. */
    readonly outcomes: readonly ConnectivityOutcome[];
    readonly unchecked: readonly Unchecked[];
}

/** The resource a blocking component's id names: itself, else the resource that carries the id (a VPC's main table). */
function resourceNamed(resources: readonly GraphResource[], id: string | undefined): string | undefined {
    if (!id) return undefined;
    const own = resources.find((r) => r.id === id);
    if (own) return own.urn;
    return resources.find((r) => r.custom && Object.values(r.state).includes(id))?.urn;
}

/** Expands the patterns over the stack's instances and judges each ordered pair. */
export function judgeConnectivity(
    patterns: readonly PairPattern[],
    reachability: readonly ReachabilityResult[],
    resources: readonly GraphResource[],
): ConnectivityVerdict {
    // An instance without a pair (the stack's only one) is still an instance the intent may name.
    const instances = [
        ...new Set([
            ...reachability.flatMap((r) => [r.from.name, r.to.name]),
            ...resources.filter((r) => r.type === AWS_TYPES.instance).map((r) => r.name),
        ]),
    ];
    const instanceUrn = (name: string) => resources.find((r) => r.type === AWS_TYPES.instance && r.name === name)?.urn;
    const outcomes: ConnectivityOutcome[] = [];
    const unchecked: Unchecked[] = [];
    const seen = new Set<string>();
    for (const pattern of patterns) {
        for (const end of [pattern.from, pattern.to]) {
            if (end !== ANY_INSTANCE && !instances.includes(end)) {
                throw new ConnectivityError(
                    `${pattern.source}: the stack has no instance ${end}${didYouMean(end, instances)}; its instances: ${instances.join(", ") || "none"}`,
                );
            }
        }
        const pairs = reachability.filter(
            (r) =>
                (pattern.from === ANY_INSTANCE || r.from.name === pattern.from) &&
                (pattern.to === ANY_INSTANCE || r.to.name === pattern.to),
        );
        if (pairs.length === 0) {
            // Nothing was decided for this pattern: never a pass.
            unchecked.push({
                kind: "reachability",
                subject: `${pattern.from} -> ${pattern.to} (${pattern.expect})`,
                reason: `${pattern.source}: matches no ordered pair of two different instances (the stack has ${instances.length} instance${instances.length === 1 ? "" : "s"})`,
            });
        }
        for (const pair of pairs) {
            const key = `${pattern.expect} ${pair.from.name} ${pair.to.name}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const subject = `${pair.from.name} -> ${pair.to.name} (${pattern.expect})`;
            if (pair.verdict === "not-determinable") {
                unchecked.push({ kind: "reachability", subject, reason: pair.reason });
                continue;
            }
            const kept = pattern.expect === "must-reach" ? pair.reachable : !pair.reachable;
            const culprit = kept
                ? undefined
                : pair.reachable
                  ? instanceUrn(pair.from.name)
                  : resourceNamed(resources, pair.blockedBy);
            outcomes.push({
                expect: pattern.expect,
                from: pair.from.name,
                to: pair.to.name,
                source: pattern.source,
                kept,
                reason: pair.reason,
                ...(culprit ? { culprit } : {}),
            });
        }
    }
    return { outcomes, unchecked };
}

export function connectivityViolations(outcomes: readonly ConnectivityOutcome[]): ConnectivityOutcome[] {
    return outcomes.filter((o) => !o.kept);
}

/** The summary's section: one line per declared pair. */
export function formatConnectivity(outcomes: readonly ConnectivityOutcome[]): string[] {
    if (outcomes.length === 0) return [];
    const lines = ["", "Connectivity intent:"];
    for (const o of outcomes) {
        const wanted = o.expect === "must-reach" ? "must reach" : "must not reach";
        // A kept pair's path is in the reachability section already.
        lines.push(`    ${o.kept ? "✓" : "✗"} ${o.from} ${wanted} ${o.to}${o.kept ? "" : `: violated: ${o.reason}`}`);
    }
    return lines;
}
