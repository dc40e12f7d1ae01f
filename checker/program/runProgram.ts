import { fork } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Answers, NO_ANSWERS } from "./answers";
import type { HostMessage, HostStart } from "./hostProtocol";
import { GraphResource } from "./resourceGraph";
import { loadStackConfig, readProjectFile } from "./stackConfig";
import { typeCheck, typeCheckPlan } from "./typeCheck";
import type { Unchecked } from "../reports/unchecked";

/**
 * Runs any Pulumi TypeScript (or JavaScript) project for one stack under mocks, in a child
 * process (./programHost), and returns the resource graph it registered. The program's own
 * type-check, when the CLI would do one, runs beside it (./typeCheck).
 */

/** The program or its config failed; the message is the program's own, fit to show as is. */
export class ProgramFailure extends Error {
    constructor(
        message: string,
        /** What the run could not evaluate before it failed. */
        readonly unchecked: readonly Unchecked[] = [],
    ) {
        super(message);
        this.name = "ProgramFailure";
    }
}

/** The DEFAULT run time limit: generous, since a large program under mocks takes seconds, not minutes. */
export const DEFAULT_TIME_LIMIT_SECONDS = 300;

export interface ProgramRunOptions {
    /** Receives what the program writes to stdout and stderr. @default dropped */
    readonly onOutput?: (text: string, stream: "stdout" | "stderr") => void;
    /** Called once, when the program declares its first resource: past its config and imports. */
    readonly onRegistering?: () => void;
    /** The environment the CLI would run in: passphrase, PULUMI_NODEJS_TRANSPILE_ONLY, AWS_REGION. @default process.env */
    readonly env?: NodeJS.ProcessEnv;
    /** Answers for invokes and stack references (see ./answers). @default none */
    readonly answers?: Answers;
    /** Seconds before the run is stopped. @default {@link DEFAULT_TIME_LIMIT_SECONDS} */
    readonly timeLimitSeconds?: number;
    /**
     * Stops the run at once, program and type-check, whatever the program is doing: the run then
     * rejects with a {@link ProgramFailure} saying it was stopped. @default never stopped
     */
    readonly signal?: AbortSignal;
}

export interface ProgramRun {
    readonly resources: GraphResource[];
    readonly unchecked: Unchecked[];
    /**
     * The type-check, which may still be running when the run is done: settles when it is,
     * rejecting with a {@link ProgramFailure} on a type error. Await it before giving a verdict.
     */
    readonly typeChecked: Promise<void>;
}

/** The file a directory entry point resolves to, as `require` would find it. */
function entryFile(candidate: string): string | undefined {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    for (const extension of [".ts", ".js", ".mts", ".mjs"])
        if (fs.existsSync(candidate + extension)) return candidate + extension;
    if (!fs.existsSync(candidate)) return undefined;
    const manifest = path.join(candidate, "package.json");
    const main = fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, "utf8")).main : undefined;
    const fromManifest = typeof main === "string" ? entryFile(path.join(candidate, main)) : undefined;
    return (
        fromManifest ??
        ["index.ts", "index.js", "index.mts", "index.mjs"]
            .map((f) => path.join(candidate, f))
            .find((f) => fs.existsSync(f))
    );
}

/** The nearest package.json at or above `dir`, and its directory (the language host's package root). */
function packageManifest(dir: string): { root: string; manifest: Record<string, unknown> } | undefined {
    for (let at = dir; ; at = path.dirname(at)) {
        const file = path.join(at, "package.json");
        if (fs.existsSync(file)) {
            try {
                return { root: at, manifest: JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown> };
            } catch {
                return undefined; // best effort, as the language host's packageObjectFromProjectRoot
            }
        }
        if (path.dirname(at) === at) return undefined;
    }
}

/**
 * The entry package.json names when `Pulumi.yaml` sets no `main`, in the Node language host's order
 * (@pulumi/pulumi/cmd/run/run.js, `run`): `exports` as a string; else `exports["."]` as a string, or
 * its `default || require || import`; only when there is no `exports` at all, `main`. A named file
 * that does not exist is passed over (run.js `resolveEntrypoint`).
 */
function manifestEntry(projectDir: string): string | undefined {
    const found = packageManifest(projectDir);
    if (!found) return undefined;
    const { root, manifest } = found;
    const { exports } = manifest;
    let named: unknown;
    if (typeof exports === "string") named = exports;
    else if (typeof exports === "object" && exports !== null) {
        const main = (exports as Record<string, unknown>)["."];
        if (typeof main === "string") named = main;
        else if (typeof main === "object" && main !== null) {
            const conditions = main as Record<string, unknown>;
            named = conditions.default || conditions.require || conditions.import;
        }
    } else named = manifest.main;
    if (typeof named !== "string" || !named) return undefined;
    const file = path.join(root, named);
    return fs.existsSync(file) ? file : undefined;
}

/**
 * The program's entry file, found as the Pulumi CLI finds it: `main` of `Pulumi.yaml`, else the
 * entry the project's package.json names (see {@link manifestEntry}), else what `require` finds in
 * the project directory (its package.json `main`, `index.ts`/`index.js`).
 */
export function programEntry(projectDir: string): string {
    const { file, main } = readProjectFile(projectDir);
    const start = main === undefined ? (manifestEntry(projectDir) ?? projectDir) : path.resolve(projectDir, main);
    const entry = entryFile(start);
    if (!entry)
        throw new Error(`no program for ${file}: ${start} has no index.ts, index.js or package.json exports or main`);
    return entry;
}

/** The nearest package.json's `type`, which decides CommonJS or ES module for the language host. */
function isEsModule(entry: string): boolean {
    if (/\.m[jt]s$/.test(entry)) return true;
    for (let dir = path.dirname(entry); ; dir = path.dirname(dir)) {
        const manifest = path.join(dir, "package.json");
        if (fs.existsSync(manifest)) return JSON.parse(fs.readFileSync(manifest, "utf8")).type === "module";
        if (path.dirname(dir) === dir) return false;
    }
}

/**
 * Compiles the program as the Pulumi CLI does (see compileTypeScript.js): its own tsconfig.json
 * when it has one, else Pulumi's defaults; CommonJS for `require`, ES modules through ts-node's
 * ESM hooks for `import()` (run.ts, "automatic ESM mode"). Type-checking is ./typeCheck's job.
 */
function typeScriptEnvironment(
    projectDir: string,
    env: NodeJS.ProcessEnv,
    esModule: boolean,
    tsconfigOption: unknown,
): NodeJS.ProcessEnv {
    const out: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(env)) {
        // The caller's ts-node settings and config are not the program's.
        if (value !== undefined && !key.startsWith("TS_NODE_") && !key.startsWith("PULUMI_CONFIG")) out[key] = value;
    }
    // `runtime.options.tsconfig` names another file (the language host's PULUMI_NODEJS_TSCONFIG_PATH).
    const tsconfig = path.resolve(projectDir, typeof tsconfigOption === "string" ? tsconfigOption : "tsconfig.json");
    const module = esModule
        ? { module: "nodenext", moduleResolution: "nodenext" }
        : { module: "commonjs", moduleResolution: "node" };
    if (fs.existsSync(tsconfig)) {
        out.TS_NODE_PROJECT = tsconfig;
        out.TS_NODE_COMPILER_OPTIONS = JSON.stringify(esModule ? module : { module: "commonjs" });
    } else {
        out.TS_NODE_SKIP_PROJECT = "true";
        out.TS_NODE_COMPILER_OPTIONS = JSON.stringify({ target: "es2020", ...module });
    }
    out.TS_NODE_TRANSPILE_ONLY = "true";
    return out;
}

/** Whether the project uses the AWS provider, whose default provider needs a region. */
function usesAws(projectDir: string): boolean {
    try {
        require.resolve("@pulumi/aws", { paths: [projectDir] });
        return true;
    } catch {
        return false;
    }
}

/**
 * Runs the project's program for `stack` with its config and returns every resource it
 * registered, under the stack's root resource. Rejects with a {@link ProgramFailure} carrying the
 * program's message when the program, its type-check or its config fails, or the time limit passes.
 */
export async function runProgram(
    projectDir: string,
    stack: string,
    options: ProgramRunOptions = {},
): Promise<ProgramRun> {
    const env = options.env ?? process.env;
    const project = readProjectFile(projectDir);
    const entry = programEntry(projectDir);
    const esModule = isEsModule(entry);
    const plan = typeCheckPlan(projectDir, entry, project.runtimeOptions, env);
    const loaded = await loadStackConfig(projectDir, stack, env, usesAws(projectDir));
    const stopped = () => new ProgramFailure(`the run was stopped: ${String(options.signal?.reason ?? "aborted")}`);
    if (options.signal?.aborted) throw stopped();
    const checking = plan ? typeCheck(projectDir, plan, env) : undefined;
    const child = fork(require.resolve("./programHost"), [], {
        cwd: projectDir,
        env: typeScriptEnvironment(projectDir, env, esModule, project.runtimeOptions.tsconfig),
        execArgv: [
            "--require",
            require.resolve("../compileTypeScript.js"),
            ...(esModule ? ["--import", require.resolve("./esmHooks.mjs")] : []),
        ],
        stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const start: HostStart = {
        kind: "start",
        projectDir,
        stack,
        project: project.name,
        entry,
        esModule,
        config: loaded.config,
        secretKeys: loaded.secretKeys,
        unreadable: loaded.unreadable,
        region: loaded.region,
        answers: options.answers ?? NO_ANSWERS,
    };
    // Kept after the program ends: the type-check may run on while the caller judges the graph.
    const stop = () => {
        child.kill("SIGKILL");
        checking?.stop();
    };
    options.signal?.addEventListener("abort", stop, { once: true });
    child.send(start);
    const stderr: string[] = [];
    child.stdout?.on("data", (chunk: Buffer) => options.onOutput?.(chunk.toString(), "stdout"));
    child.stderr?.on("data", (chunk: Buffer) => {
        stderr.push(chunk.toString());
        options.onOutput?.(chunk.toString(), "stderr");
    });
    const limit = options.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS;
    const run = new Promise<Omit<ProgramRun, "typeChecked">>((resolve, reject) => {
        let message: HostMessage | undefined;
        let timedOut: string[] | undefined;
        // The limit is the program's: it starts when the host is ready to load it, not with the process.
        let timer: NodeJS.Timeout | undefined;
        const startClock = () =>
            (timer = setTimeout(() => {
                timedOut = ["(the program did not answer: it may be busy in a loop)"];
                child.send({ kind: "status" }, () => undefined);
                // A program busy in a loop cannot answer; give it five seconds, then stop it regardless.
                setTimeout(() => child.kill("SIGKILL"), 5000).unref();
            }, limit * 1000));
        child.on("message", (received: HostMessage) => {
            if (received.kind === "loading") startClock();
            else if (received.kind === "registering") options.onRegistering?.();
            else if (received.kind === "status") {
                timedOut = received.waitingFor;
                child.kill("SIGKILL");
            } else message ??= received;
        });
        child.on("error", (error) => reject(new ProgramFailure(`could not run the program: ${error.message}`)));
        // "close", not "exit": only then has all of its output been read.
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            if (options.signal?.aborted) return reject(stopped());
            const unchecked = [
                ...loaded.unchecked,
                ...(message?.kind === "graph" || message?.kind === "failure" ? message.unchecked : []),
            ];
            if (timedOut)
                reject(
                    new ProgramFailure(
                        `the program did not finish within the run time limit of ${limit} s (--timeout); it was still waiting for:\n` +
                            timedOut.map((w) => `  - ${w}`).join("\n"),
                        [...unchecked, { kind: "timeout", subject: "program run", reason: `stopped after ${limit} s` }],
                    ),
                );
            else if (message?.kind === "graph") resolve({ resources: message.resources, unchecked });
            else if (message?.kind === "failure") reject(new ProgramFailure(message.message, unchecked));
            else {
                const output = stderr.join("").trim();
                reject(
                    new ProgramFailure(
                        `the program exited (${signal ?? `code ${code}`}) without finishing${output ? `:\n${output}` : ""}`,
                        unchecked,
                    ),
                );
            }
        });
    });
    const typeError = (diagnostics: string, unchecked: readonly Unchecked[]) =>
        new ProgramFailure(`the program does not type-check (as the Pulumi CLI would):\n${diagnostics}`, unchecked);
    try {
        const result = await run;
        // The caller judges the graph while the type-check finishes; it awaits this before its verdict.
        const typeChecked = (checking?.done ?? Promise.resolve("")).then((diagnostics) => {
            if (diagnostics) throw typeError(diagnostics, result.unchecked);
        });
        typeChecked.catch(() => undefined);
        return { ...result, typeChecked };
    } catch (error) {
        if (options.signal?.aborted) throw error;
        // A type error is the CLI's first word (ts-node fails before the program runs): wait for it.
        const diagnostics = await checking?.done;
        if (diagnostics) throw typeError(diagnostics, error instanceof ProgramFailure ? error.unchecked : []);
        throw error;
    }
}
