import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { runCheck } from "./check";
import { failedJsonReport, formatSummary, indent, isRefused, jsonReport } from "./reports/checkReport";
import { DEFAULT_TIME_LIMIT_SECONDS, ProgramFailure } from "./program/runProgram";
import { toSarif } from "./reports/sarif";
import { readAnswers } from "./program/answers";
import { failedSarif } from "./reports/failedSarif";
import { projectName } from "./program/stackConfig";

/**
 * `npm run check -- --stack NAME [--cwd DIR] [--policy-pack DIR] [--policy-pack-config FILE] [--sarif FILE] [--json FILE]`
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
  --answers FILE             answers for invokes and StackReference outputs the mocks cannot know (YAML or JSON)
  --timeout SECONDS          stop a program that has not finished after this long (default: ${DEFAULT_TIME_LIMIT_SECONDS})
  --strict                   exit 2 when anything was not judged (undecrypted secrets, remote components, ...)
  --help                     show this help

Environment: PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE decrypt secure config values;
PULUMI_NODEJS_TRANSPILE_ONLY=true skips the type-check, as for the Pulumi CLI.

Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 the program, its config or the check failed
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
        if (args.timeout !== undefined && !(Number(args.timeout) > 0))
            throw new Error(`--timeout takes a number of seconds above 0, not ${JSON.stringify(args.timeout)}`);
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
        const report = await runCheck({
            projectDir,
            stack,
            policyPackDir: args["policy-pack"] ? userPath(args["policy-pack"]) : path.join(PROJECT_ROOT, "policy"),
            policyPackConfig: configFile ? JSON.parse(fs.readFileSync(userPath(configFile), "utf8")) : undefined,
            onProgramOutput: (text) => io.err.write(text),
            env,
            answers: args.answers ? readAnswers(userPath(args.answers)) : undefined,
            timeLimitSeconds: args.timeout === undefined ? undefined : Number(args.timeout),
        });
        io.out.write(`${formatSummary(report)}\n`);
        const strictFailure =
            args.strict && report.unchecked.length > 0
                ? `--strict: ${report.unchecked.length} item(s) not judged (listed under "Not judged")`
                : undefined;
        reports(
            strictFailure ? { ...jsonReport(report), passed: false, error: strictFailure } : jsonReport(report),
            toSarif(report),
        );
        if (strictFailure) io.err.write(`error: ${strictFailure}\n`);
        io.out.write(`Checked in ${seconds()} s\n`);
        if (strictFailure) return EXIT.failed;
        return isRefused(report) ? EXIT.refused : EXIT.passed;
    } catch (error) {
        const what = error instanceof ProgramFailure ? `the program failed for stack ${stack}` : "the check failed";
        const message = (error as Error).message;
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
                failedJsonReport(stack, `${what}: ${message}`, unchecked, project),
                failedSarif(project ?? "unknown", stack, `${what}: ${message}`, unchecked),
            );
        } catch (writeError) {
            io.err.write(`error: could not write the reports: ${(writeError as Error).message}\n`);
        }
        io.err.write(`error: ${what}:\n${indent(message, 4)}\nChecked in ${seconds()} s\n`);
        return EXIT.failed;
    }
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
