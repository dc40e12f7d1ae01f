import { AnalyzerConnection, PolicyDiagnostic, startPolicyPack } from "./analyzer/analyzerClient";
import { parsePolicyPackConfig } from "./analyzer/policyConfig";
import { analyzeReachability } from "../model/reachability";
import { CheckReport, Violation } from "./reports/checkReport";
import { analyzedResource } from "./program/resourceGraph";
import { Answers } from "./program/answers";
import { programEntry, runProgram } from "./program/runProgram";
import { projectName } from "./program/stackConfig";

/**
 * One check: run the program under mocks, then put its resources to the policy pack the way
 * `pulumi preview --policy-pack` does — `Analyze` per resource with its inputs, `AnalyzeStack`
 * with every resource's outputs, parents and dependencies.
 */

export interface CheckOptions {
    readonly projectDir: string;
    readonly stack: string;
    readonly policyPackDir: string;
    /** The parsed `--policy-pack-config` file, when one is given. */
    readonly policyPackConfig?: unknown;
    /** Receives what the program prints. */
    readonly onProgramOutput?: (text: string, stream: "stdout" | "stderr") => void;
    /** The environment the Pulumi CLI would run in (passphrase, PULUMI_NODEJS_TRANSPILE_ONLY, AWS_REGION). @default process.env */
    readonly env?: NodeJS.ProcessEnv;
    /** The `--answers` file's content. @default none */
    readonly answers?: Answers;
    /** `--timeout`: seconds the program may run. @default DEFAULT_TIME_LIMIT_SECONDS */
    readonly timeLimitSeconds?: number;
}

function violationOf(diagnostic: PolicyDiagnostic, urn?: string): Violation {
    return {
        policy: diagnostic.policyName,
        policyPack: diagnostic.policyPackName,
        level: diagnostic.enforcementLevel,
        urn: diagnostic.urn ?? urn,
        description: diagnostic.description,
        message: diagnostic.message,
    };
}

export async function runCheck(options: CheckOptions): Promise<CheckReport> {
    const program = programEntry(options.projectDir);
    // The pack starts while the program runs (each is a Node start of its own), but only once the
    // program declares a resource: a config error then fails fast, without a pack to start and stop.
    let starting: Promise<AnalyzerConnection> | undefined;
    const startPack = () => (starting ??= startPolicyPack(options.policyPackDir));
    let resources, unchecked, typeChecked;
    try {
        ({ resources, unchecked, typeChecked } = await runProgram(options.projectDir, options.stack, {
            onOutput: options.onProgramOutput,
            onRegistering: startPack,
            env: options.env,
            answers: options.answers,
            timeLimitSeconds: options.timeLimitSeconds,
        }));
    } catch (error) {
        void starting?.then(
            (pack) => pack.close(),
            () => undefined,
        );
        throw error;
    }
    const pack = await startPack();
    try {
        const defaults = await pack.info();
        const settings =
            options.policyPackConfig === undefined
                ? {}
                : parsePolicyPackConfig(
                      options.policyPackConfig,
                      defaults.policies.map((p) => p.name),
                  );
        if (Object.keys(settings).length > 0) await pack.configure(settings);
        // The levels in force, which the pack's info does not reflect after Configure.
        const policyPack = {
            ...defaults,
            policies: defaults.policies.map((p) => ({
                ...p,
                enforcementLevel: settings[p.name]?.enforcementLevel ?? p.enforcementLevel,
            })),
        };
        const perResource = await Promise.all(
            resources.map(async (r) =>
                (await pack.analyze(analyzedResource(r, "inputs"))).map((d) => violationOf(d, r.urn)),
            ),
        );
        const stackWide = await pack.analyzeStack(resources.map((r) => analyzedResource(r, "state")));
        // The pack judged the graph while the type-check ran beside it; a type error still fails the check.
        await typeChecked;
        return {
            project: projectName(options.projectDir),
            stack: options.stack,
            projectDir: options.projectDir,
            program,
            policyPack,
            resources,
            violations: [...perResource.flat(), ...stackWide.map((d) => violationOf(d))].filter(
                (v) => v.level !== "disabled",
            ),
            reachability: analyzeReachability(
                resources.map((r) => ({ type: r.type, id: r.id ?? "", name: r.name, properties: r.state })),
            ),
            unchecked,
        };
    } finally {
        await pack.close();
    }
}
