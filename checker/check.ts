import { AnalyzerConnection, checkPackDirectory, PolicyDiagnostic, startPolicyPack } from "./analyzer/analyzerClient";
import { configurePack, PolicyConfigFile } from "./analyzer/policyConfig";
import { isUnknownValueDiagnostic, uncheckedOf } from "./analyzer/unknownValues";
import { judgeConnectivity, PairPattern } from "./connectivity";
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
    /** The `--policy-pack-config` file, read (see ./analyzer/policyConfig). @default none: the pack's own settings */
    readonly policyPackConfig?: PolicyConfigFile;
    /** Deadline of each Analyzer call. @default DEFAULT_CALL_TIMEOUT_MS */
    readonly callTimeoutMs?: number;
    /** Declared connectivity intent (see ./connectivity). @default none */
    readonly connectivity?: readonly PairPattern[];
    /** Receives what the program prints. */
    readonly onProgramOutput?: (text: string, stream: "stdout" | "stderr") => void;
    /** The environment the Pulumi CLI would run in (passphrase, PULUMI_NODEJS_TRANSPILE_ONLY, AWS_REGION). @default process.env */
    readonly env?: NodeJS.ProcessEnv;
    /** The `--answers` file's content. @default none */
    readonly answers?: Answers;
    /** `--timeout`: seconds the program may run. @default DEFAULT_TIME_LIMIT_SECONDS */
    readonly timeLimitSeconds?: number;
    /** Receives what the engine would silently ignore, e.g. a misspelt policy setting. */
    readonly onWarning?: (text: string) => void;
}

export function violationOf(diagnostic: PolicyDiagnostic, urn?: string): Violation {
    return {
        policy: diagnostic.policyName,
        policyPack: diagnostic.policyPackName,
        // A remediate-level finding is one no remediation fixed: the policy SDK reports resource ones as
        // mandatory already, and the engine turns stack ones so (pkg/resource/deploy/step_generator.go).
        level: diagnostic.enforcementLevel === "remediate" ? "mandatory" : diagnostic.enforcementLevel,
        urn: diagnostic.urn ?? urn,
        description: diagnostic.description,
        message: diagnostic.message,
    };
}

export async function runCheck(options: CheckOptions): Promise<CheckReport> {
    const program = programEntry(options.projectDir);
    checkPackDirectory(options.policyPackDir);
    // The pack starts while the program runs (each is a Node start of its own), but only once the
    // program declares a resource: a config error then fails fast, without a pack to start and stop.
    // A pack that fails to start ends the check at once, whatever the program is doing.
    let starting: Promise<AnalyzerConnection> | undefined;
    let packFailed: (error: unknown) => void = () => undefined;
    const packFailure = new Promise<never>((_, reject) => (packFailed = reject));
    const startPack = () => {
        starting ??= startPolicyPack(options.policyPackDir, { callTimeoutMs: options.callTimeoutMs });
        starting.catch(packFailed);
        return starting;
    };
    const run = new AbortController();
    let resources, unchecked, typeChecked;
    try {
        ({ resources, unchecked, typeChecked } = await Promise.race([
            runProgram(options.projectDir, options.stack, {
                onOutput: options.onProgramOutput,
                onRegistering: startPack,
                env: options.env,
                answers: options.answers,
                timeLimitSeconds: options.timeLimitSeconds,
                signal: run.signal,
            }),
            packFailure,
        ]));
    } catch (error) {
        // The pack's failure won the race: stop the program and its type-check rather than wait for them.
        run.abort(error);
        void starting?.then(
            (pack) => pack.close(),
            () => undefined,
        );
        throw error;
    }
    const pack = await startPack().catch((error: unknown) => {
        run.abort(error); // the program is done, but its type-check may not be
        throw error;
    });
    try {
        const { info: policyPack, warnings } = await configurePack(pack, options.policyPackConfig);
        for (const warning of warnings) options.onWarning?.(warning);
        const perResource = await Promise.all(
            resources.map(async (r) =>
                (await pack.analyze(analyzedResource(r, "inputs"))).map((d) => ({ ...d, urn: d.urn ?? r.urn })),
            ),
        );
        const stackWide = await pack.analyzeStack(resources.map((r) => analyzedResource(r, "state")));
        // The pack judged the graph while the type-check ran beside it; a type error still fails the check.
        await typeChecked;
        const diagnostics = [...perResource.flat(), ...stackWide];
        const notJudged = diagnostics.filter(isUnknownValueDiagnostic);
        const reachability = analyzeReachability(
            resources.map((r) => ({ type: r.type, id: r.id ?? "", name: r.name, properties: r.state })),
        );
        const intent = options.connectivity && judgeConnectivity(options.connectivity, reachability, resources);
        return {
            project: projectName(options.projectDir),
            stack: options.stack,
            projectDir: options.projectDir,
            program,
            policyPack,
            resources,
            violations: diagnostics
                .filter((d) => !notJudged.includes(d))
                .map((d) => violationOf(d))
                .filter((v) => v.level !== "disabled"),
            reachability,
            unchecked: [...unchecked, ...notJudged.map((d) => uncheckedOf(d, d.urn)), ...(intent?.unchecked ?? [])],
            ...(intent ? { connectivity: intent.outcomes } : {}),
        };
    } finally {
        await pack.close();
    }
}
