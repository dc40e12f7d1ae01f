import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { runCheck } from "./check";
import { formatSummary, indent, isRefused, jsonReport } from "./reports/checkReport";
import { ProgramFailure } from "./program/runProgram";
import { toSarif } from "./reports/sarif";

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
  --help                     show this help

Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 the program, its config or the check failed.`;

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
    } catch (error) {
        io.err.write(`error: ${(error as Error).message}\n\n${USAGE}\n`);
        return EXIT.failed;
    }

    try {
        const configFile = args["policy-pack-config"];
        const report = await runCheck({
            projectDir: args.cwd ? userPath(args.cwd) : PROJECT_ROOT,
            stack: args.stack,
            policyPackDir: args["policy-pack"] ? userPath(args["policy-pack"]) : path.join(PROJECT_ROOT, "policy"),
            policyPackConfig: configFile ? JSON.parse(fs.readFileSync(userPath(configFile), "utf8")) : undefined,
            onProgramOutput: (text) => io.err.write(text),
        });
        io.out.write(`${formatSummary(report)}\n`);
        if (args.sarif) writeFile(userPath(args.sarif), toSarif(report));
        if (args.json) writeFile(userPath(args.json), jsonReport(report));
        io.out.write(`Checked in ${seconds()} s\n`);
        return isRefused(report) ? EXIT.refused : EXIT.passed;
    } catch (error) {
        const what =
            error instanceof ProgramFailure ? `the program failed for stack ${args.stack}` : "the check failed";
        io.err.write(`error: ${what}:\n${indent((error as Error).message, 4)}\nChecked in ${seconds()} s\n`);
        return EXIT.failed;
    }
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
