import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Log } from "sarif";
import { CliIo, main } from "../../checker/cli";
import { FailedJsonReport, JsonReport } from "../../checker/reports/checkReport";
import { ProgramRun, ProgramRunOptions, runProgram } from "../../checker/program/runProgram";
import { ROOT } from "./pulumi";
import { schemaErrors } from "./sarifSchema";

/**
 * The offline checker's end-to-end runs. Each costs a program process (and, once the program
 * declares a resource, a policy-pack process), mostly waiting, so the checker's own test files
 * start them when mocha loads them ({@link checkerRuns}, {@link programRuns}): they run beside
 * the in-process tests of the whole suite, and a mocha run of any other file pays nothing.
 */

export const FOREIGN = path.join(ROOT, "tests", "fixtures", "foreign-project");
export const PROGRAMS = path.join(ROOT, "tests", "fixtures", "programs");

/** The suite's own `tsc` type-checks this project; its check need not do it twice. */
export const TRANSPILE_ONLY = { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
/**
 * The environment as the CLI would see it, type-checking as ts-node does: for fixtures, which the
 * suite's `tsc` does not cover (tsconfig.json excludes tests/fixtures).
 */
export const TYPE_CHECKED = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key !== "PULUMI_NODEJS_TRANSPILE_ONLY"),
);
/** The passphrase of the fixtures' `secure:` values (Pulumi's own test vector's). */
export const FIXTURE_PASSPHRASE = "password";

export interface CheckerRun {
    readonly code: number;
    readonly out: string;
    readonly err: string;
    readonly json?: JsonReport & Partial<Pick<FailedJsonReport, "error">>;
    readonly sarif?: Log;
}

const readJson = (file: string) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined);

/** The checker in this process, as the npm script runs it, with its output captured. */
export async function check(dir: string, args: string[], env: NodeJS.ProcessEnv = TRANSPILE_ONLY): Promise<CheckerRun> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: { write: (t: string) => out.push(t) }, err: { write: (t: string) => err.push(t) } };
    const json = path.join(dir, `${args.join("-").replace(/\W+/g, "_")}.json`);
    const sarif = json.replace(/\.json$/, ".sarif");
    const code = await main([...args, "--json", json, "--sarif", sarif], io, env);
    const log = readJson(sarif);
    // Every SARIF file a test makes the checker write, judged or failed, conforms to SARIF 2.1.0.
    const errors = log === undefined ? [] : schemaErrors(log);
    if (errors.length > 0)
        throw new Error(`${args.join(" ")} wrote SARIF against the 2.1.0 schema: ${errors.join("; ")}`);
    return { code, out: out.join(""), err: err.join(""), json: readJson(json), sarif: log };
}

export interface CheckerRuns {
    /** Where the runs wrote their reports; removed after the suite. */
    readonly dir: string;
    /** This project's dev stack. */
    readonly dev: CheckerRun;
    /** A foreign project with world-open ICMP and overlapping VPCs. */
    readonly flawed: CheckerRun;
}

let runs: Promise<CheckerRuns> | undefined;

export function checkerRuns(): Promise<CheckerRuns> {
    runs ??= (async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-"));
        const [dev, flawed] = await Promise.all([
            check(dir, ["--stack", "dev", "--connectivity", "connectivity/dev.yaml"]),
            check(dir, ["--stack", "test", "--cwd", FOREIGN]),
        ]);
        return { dir, dev, flawed };
    })();
    return runs;
}

/** Removes the reports, once the runs (if any were started) are done. */
export async function removeCheckerRuns(): Promise<void> {
    if (!runs) return;
    const { dir } = await runs.catch(() => ({ dir: undefined }));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

export interface ProgramOutcome {
    readonly run?: ProgramRun;
    readonly error?: Error;
    /** Characters the program wrote, by stream. */
    readonly written: { stdout: number; stderr: number };
}

export async function outcome(
    projectDir: string,
    stack: string,
    options: ProgramRunOptions = {},
): Promise<ProgramOutcome> {
    const written = { stdout: 0, stderr: 0 };
    const onOutput = (text: string, stream: "stdout" | "stderr") => {
        written[stream] += text.length;
        options.onOutput?.(text, stream);
    };
    try {
        const run = await runProgram(projectDir, stack, { env: TRANSPILE_ONLY, ...options, onOutput });
        await run.typeChecked;
        return { run, written };
    } catch (error) {
        return { error: error as Error, written };
    }
}

export interface ProgramRuns {
    /** Declares a world-open security group from a timer, after printing 3 MB to stdout and 1 MB to stderr. */
    readonly timer: ProgramOutcome;
    /** A promise rejected on a later turn. */
    readonly rejection: ProgramOutcome;
    /** Exports a function whose promise never settles. */
    readonly never: ProgramOutcome;
    /** Reads a secret of a stack without an encryption salt. */
    readonly secret: ProgramOutcome;
    /** A program that never ends, stopped through the run's signal once it prints. */
    readonly stopped: ProgramOutcome;
}

let programs: Promise<ProgramRuns> | undefined;

/** A program that never ends, stopped as soon as it runs; its limit is long enough to tell a stop from a timeout. */
function stoppedRun(projectDir: string, stack: string): Promise<ProgramOutcome> {
    const controller = new AbortController();
    return outcome(projectDir, stack, {
        signal: controller.signal,
        timeLimitSeconds: 60,
        onOutput: () => controller.abort(new Error("the policy pack failed to start")),
    });
}

/**
 * Programs run without a policy pack, where what matters is how their run ends and what graph it
 * leaves: programs that misbehave, and real-world ones whose verdict is a plain pass (the policy
 * pack's side is proven on the runs above), to keep the suite's processes few.
 */
export function programRuns(): Promise<ProgramRuns> {
    programs ??= (async () => {
        const hostile = path.join(PROGRAMS, "hostile");
        const [timer, rejection, never, secret, stopped] = await Promise.all([
            outcome(hostile, "timer"),
            outcome(hostile, "rejection"),
            outcome(hostile, "never"),
            outcome(hostile, "secret"),
            stoppedRun(hostile, "interval"),
        ]);
        return { timer, rejection, never, secret, stopped };
    })();
    return programs;
}
