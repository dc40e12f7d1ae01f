import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { runCheck } from "./check";
import { AnalyzerTimeout, DEFAULT_CALL_TIMEOUT_MS, PolicyPackFailure } from "./analyzer/analyzerClient";
import { PolicyConfigError, readPolicyConfigFile } from "./analyzer/policyConfig";
import { ConnectivityError, parsePairFlag, readConnectivityFile } from "./connectivity";
import { failedJsonReport, formatSummary, indent, isRefused, jsonReport, strictFailure } from "./reports/checkReport";
import { DEFAULT_TIME_LIMIT_SECONDS, ProgramFailure } from "./program/runProgram";
import { toSarif } from "./reports/sarif";
import { readAnswers } from "./program/answers";
import { failedSarif } from "./reports/failedSarif";
import { projectName } from "./program/stackConfig";

/**
 * `npm run check -- --stack NAME [--cwd DIR] [--policy-pack DIR] [--policy-pack-config FILE] [--sarif FILE] [--json FILE]
 *  [--connectivity FILE] [--must-reach FROM:TO]... [--must-not-reach FROM:TO]... [--analyzer-timeout SECONDS]`
 * The verdict of `pulumi preview --policy-pack`, without the Pulumi CLI or cloud credentials.
 */

export const EXIT = { passed: 0, refused: 1, failed: 2 } as const;

const USAGE = `Usage: npm run check -- --stack NAME [options]

Runs the Pulumi program for stack NAME under mocks (config from Pulumi.NAME.yaml) and puts its
resources to the policy pack, as \`pulumi preview --policy-pack\` would.

Options:
  --stack NAME               the stack whose Pulumi.NAME.yaml config to use (required)
  --cwd DIR                  the Pulumi project to check (default: this project)
  --policy-pack DIR          the policy pack (default: this project's policy/)
  --policy-pack-config FILE  enforcement levels and policy settings, as for pulumi preview --policy-pack-config
  --sarif FILE               also write the violations as SARIF 2.1.0, for code scanning
  --json FILE                also write a machine-readable report
  --connectivity FILE        instances that must (not) reach each other, YAML or JSON (see README)
  --must-reach FROM:TO       instance FROM must ping instance TO ("*" = every instance); repeatable
  --must-not-reach FROM:TO   instance FROM must not ping instance TO; repeatable
  --analyzer-timeout SECONDS deadline of each call to the policy pack (default: ${DEFAULT_CALL_TIMEOUT_MS / 1000})
  --answers FILE             answers for invokes and StackReference outputs the mocks cannot know (YAML or JSON)
  --timeout SECONDS          stop a program that has not finished after this long (default: ${DEFAULT_TIME_LIMIT_SECONDS})
  --strict                   exit 2 when anything was not judged (undecrypted secrets, remote components, ...)
  --help                     show this help

Environment: PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE decrypt secure config values;
PULUMI_NODEJS_TRANSPILE_ONLY=true skips the type-check, as for the Pulumi CLI.

Exit codes: 0 no mandatory violation and every connectivity intent kept, 1 a mandatory violation or a
violated connectivity intent, 2 the program, its config, the pack, its config or the check failed
(or, with --strict, something was not judged).`;

const PROJECT_ROOT = path.resolve(__dirname, "..");

export interface Output {
    write(text: string): unknown;
}

export interface CliIo {
    readonly out: Output;
    readonly err: Output;
}

/** `npm run` starts scripts in the package root; paths the user typed are relative to where they typed them. */
function userPath(value: string): string {
    return path.resolve(process.env.INIT_CWD ?? process.cwd(), value);
}

function writeFile(file: string, value: unknown): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** The longest delay setTimeout holds (2^31 - 1 ms); a longer one, or Infinity, fires at once. */
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** A timeout flag's value in seconds; throws, naming the flag, unless finite, above 0 and one setTimeout holds. */
export function timerSeconds(flag: string, value: string | undefined): number | undefined {
    if (value === undefined) return undefined;
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds > 0 && seconds <= MAX_TIMER_SECONDS) return seconds;
    throw new Error(
        `--${flag} ${JSON.stringify(value)}: expected a number of seconds above 0 and at most ${MAX_TIMER_SECONDS}`,
    );
}

/** Runs the checker; resolves with the exit code. */
export async function main(
    argv: readonly string[],
    io: CliIo = { out: process.stdout, err: process.stderr },
    env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
    const started = process.hrtime.bigint();
    const seconds = () => (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
    let args;
    try {
        args = parseArgs({
            args: [...argv],
            options: {
                stack: { type: "string" },
                cwd: { type: "string" },
                "policy-pack": { type: "string" },
                "policy-pack-config": { type: "string" },
                sarif: { type: "string" },
                json: { type: "string" },
                connectivity: { type: "string" },
                "must-reach": { type: "string", multiple: true },
                "must-not-reach": { type: "string", multiple: true },
                "analyzer-timeout": { type: "string" },
                answers: { type: "string" },
                timeout: { type: "string" },
                strict: { type: "boolean" },
                help: { type: "boolean" },
            },
            strict: true,
            allowPositionals: false,
        }).values;
        if (args.help) {
            io.out.write(`${USAGE}\n`);
            return EXIT.passed;
        }
        if (!args.stack) throw new Error("--stack is required");
        for (const flag of ["analyzer-timeout", "timeout"] as const) timerSeconds(flag, args[flag]);
    } catch (error) {
        io.err.write(`error: ${(error as Error).message}\n\n${USAGE}\n`);
        return EXIT.failed;
    }

    const projectDir = args.cwd ? userPath(args.cwd) : PROJECT_ROOT;
    const stack = args.stack;
    const reports = (json: unknown, sarif: unknown) => {
        if (args.json) writeFile(userPath(args.json), json);
        if (args.sarif) writeFile(userPath(args.sarif), sarif);
    };
    try {
        const configFile = args["policy-pack-config"];
        const intentFile = args.connectivity;
        const flagged = [
            ...(args["must-reach"] ?? []).map((pair) => parsePairFlag(pair, "must-reach")),
            ...(args["must-not-reach"] ?? []).map((pair) => parsePairFlag(pair, "must-not-reach")),
        ];
        const intent = [...(intentFile ? readConnectivityFile(userPath(intentFile)) : []), ...flagged];
        const report = await runCheck({
            projectDir,
            stack,
            policyPackDir: args["policy-pack"] ? userPath(args["policy-pack"]) : path.join(PROJECT_ROOT, "policy"),
            policyPackConfig: configFile ? readPolicyConfigFile(userPath(configFile)) : undefined,
            callTimeoutMs: args["analyzer-timeout"] ? Number(args["analyzer-timeout"]) * 1000 : undefined,
            connectivity: intentFile || flagged.length > 0 ? intent : undefined,
            onProgramOutput: (text) => io.err.write(text),
            onWarning: (text) => io.err.write(`warning: ${text}\n`),
            env,
            answers: args.answers ? readAnswers(userPath(args.answers)) : undefined,
            timeLimitSeconds: args.timeout === undefined ? undefined : Number(args.timeout),
        });
        io.out.write(`${formatSummary(report, args.strict)}\n`);
        // The reports say the stack was not judged, as a failed check's do, with what was judged.
        const notJudged = args.strict ? strictFailure(report) : undefined;
        reports(
            notJudged ? { ...jsonReport(report), passed: false, error: notJudged } : jsonReport(report),
            toSarif(report, notJudged),
        );
        if (notJudged) io.err.write(`error: ${notJudged}\n`);
        io.out.write(`Checked in ${seconds()} s\n`);
        if (notJudged) return EXIT.failed;
        return isRefused(report) ? EXIT.refused : EXIT.passed;
    } catch (error) {
        // Input errors are said in their own words: each names the file, the pack or the call at fault.
        const inputs = [PolicyPackFailure, PolicyConfigError, AnalyzerTimeout, ConnectivityError];
        const ownWords = inputs.some((kind) => error instanceof kind);
        const what = error instanceof ProgramFailure ? `the program failed for stack ${stack}` : "the check failed";
        const message = (error as Error).message;
        const reason = ownWords ? message : `${what}: ${message}`;
        const unchecked = error instanceof ProgramFailure ? error.unchecked : [];
        let project: string | undefined;
        try {
            project = projectName(projectDir);
        } catch {
            project = undefined;
        }
        // The reports say the stack was not judged, and why: never an earlier run's verdict.
        try {
            reports(
                failedJsonReport(stack, reason, unchecked, project),
                failedSarif(project ?? "unknown", stack, reason, unchecked),
            );
        } catch (writeError) {
            io.err.write(`error: could not write the reports: ${(writeError as Error).message}\n`);
        }
        if (ownWords) io.err.write(`error: ${message}\nChecked in ${seconds()} s\n`);
        else io.err.write(`error: ${what}:\n${indent(message, 4)}\nChecked in ${seconds()} s\n`);
        return EXIT.failed;
    }
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
