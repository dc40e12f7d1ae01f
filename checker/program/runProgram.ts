import { fork } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { HostMessage } from "./programHost";
import { GraphResource } from "./resourceGraph";
import { readProjectFile } from "./stackConfig";

/**
 * Runs any Pulumi TypeScript (or JavaScript) project for one stack under mocks, in a child
 * process, and returns the resource graph it registered.
 */

/** The program or its config failed; the message is the program's own, fit to show as is. */
export class ProgramFailure extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ProgramFailure";
    }
}

export interface ProgramRunOptions {
    /** Receives what the program writes to stdout and stderr. @default dropped */
    readonly onOutput?: (text: string) => void;
    /** Called once, when the program declares its first resource: past its config and imports. */
    readonly onRegistering?: () => void;
}

/** The file a directory entry point resolves to, as `require` would find it. */
function entryFile(candidate: string): string | undefined {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    for (const extension of [".ts", ".js"]) if (fs.existsSync(candidate + extension)) return candidate + extension;
    if (!fs.existsSync(candidate)) return undefined;
    const manifest = path.join(candidate, "package.json");
    const main = fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, "utf8")).main : undefined;
    const fromManifest = typeof main === "string" ? entryFile(path.join(candidate, main)) : undefined;
    return fromManifest ?? ["index.ts", "index.js"].map((f) => path.join(candidate, f)).find((f) => fs.existsSync(f));
}

/**
 * The program's entry file, found as the Pulumi CLI finds it: `main` of `Pulumi.yaml`, else the
 * project's package.json `main`, else `index.ts`/`index.js` in the project directory.
 */
export function programEntry(projectDir: string): string {
    const { file, main } = readProjectFile(projectDir);
    const start = main === undefined ? projectDir : path.resolve(projectDir, main);
    const entry = entryFile(start);
    if (!entry) throw new Error(`no program for ${file}: ${start} has no index.ts, index.js or package.json main`);
    return entry;
}

/**
 * Compiles the program as the Pulumi CLI does (see compileTypeScript.js): its own tsconfig.json
 * when it has one, else Pulumi's defaults. Always to CommonJS, because the host loads it with `require`.
 */
function typeScriptEnvironment(projectDir: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
        // The caller's ts-node settings and config are not the program's.
        if (!key.startsWith("TS_NODE_") && key !== "PULUMI_CONFIG") env[key] = value;
    }
    const tsconfig = path.join(projectDir, "tsconfig.json");
    if (fs.existsSync(tsconfig)) {
        env.TS_NODE_PROJECT = tsconfig;
        env.TS_NODE_COMPILER_OPTIONS = JSON.stringify({ module: "commonjs" });
    } else {
        env.TS_NODE_SKIP_PROJECT = "true";
        env.TS_NODE_COMPILER_OPTIONS = JSON.stringify({
            target: "es2020",
            module: "commonjs",
            moduleResolution: "node",
        });
    }
    return env;
}

/**
 * Runs the project's program for `stack` with the config of `Pulumi.<stack>.yaml` and returns
 * every resource it registered, under the stack's root resource. Rejects with a
 * {@link ProgramFailure} carrying the program's message when the program or its config fails.
 */
export function runProgram(
    projectDir: string,
    stack: string,
    options: ProgramRunOptions = {},
): Promise<GraphResource[]> {
    const entry = programEntry(projectDir);
    if (!fs.existsSync(path.join(projectDir, `Pulumi.${stack}.yaml`))) {
        const stacks = fs.readdirSync(projectDir).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);
        throw new Error(`no Pulumi.${stack}.yaml in ${projectDir}; its stacks: ${stacks.join(", ") || "none"}`);
    }
    const child = fork(require.resolve("./programHost"), [projectDir, stack, entry], {
        cwd: projectDir,
        env: typeScriptEnvironment(projectDir),
        execArgv: ["--require", require.resolve("../compileTypeScript.js")],
        stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const stderr: string[] = [];
    child.stdout?.on("data", (chunk: Buffer) => options.onOutput?.(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => {
        stderr.push(chunk.toString());
        options.onOutput?.(chunk.toString());
    });
    return new Promise((resolve, reject) => {
        let message: HostMessage | undefined;
        child.on("message", (received: HostMessage) => {
            if (received.kind === "registering") options.onRegistering?.();
            else message ??= received;
        });
        child.on("error", (error) => reject(new ProgramFailure(`could not run the program: ${error.message}`)));
        child.on("exit", (code, signal) => {
            if (message?.kind === "graph") resolve(message.resources);
            else if (message?.kind === "failure") reject(new ProgramFailure(message.message));
            else {
                const output = stderr.join("").trim();
                reject(
                    new ProgramFailure(
                        `the program exited (${signal ?? `code ${code}`}) without finishing${output ? `:\n${output}` : ""}`,
                    ),
                );
            }
        });
    });
}
