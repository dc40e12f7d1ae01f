import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

/**
 * Type-checks a TypeScript program as the CLI's ts-node does, in a process of its own so that it
 * runs alongside the program's run rather than before it. The switches are the Node language
 * host's (`@pulumi/pulumi/cmd/run/run.ts`; `pulumi-language-nodejs/main.go`, `parseOptions`):
 * `runtime.options.typescript: false` turns TypeScript off; `runtime.options.tsconfig` names the
 * tsconfig (missing: an error); `PULUMI_NODEJS_TRANSPILE_ONLY=true|false` decides, else the
 * tsconfig's `noCheck`, else ts-node's default, which is to type-check. Like ts-node, only the
 * entry and what it imports are checked, with the project's compiler options.
 */

export interface TypeCheckPlan {
    /** The tsconfig.json to take compiler options from, if any. */
    readonly tsconfig?: string;
    readonly entry: string;
}

/** Whether and how to type-check; undefined when the CLI would not. Throws for a named tsconfig that is missing. */
export function typeCheckPlan(
    projectDir: string,
    entry: string,
    runtimeOptions: Readonly<Record<string, unknown>>,
    env: NodeJS.ProcessEnv,
): TypeCheckPlan | undefined {
    if (runtimeOptions.typescript === false || !/\.[mc]?tsx?$/.test(entry)) return undefined;
    const named = typeof runtimeOptions.tsconfig === "string" ? runtimeOptions.tsconfig : undefined;
    const tsconfig = path.resolve(projectDir, named ?? "tsconfig.json");
    const exists = fs.existsSync(tsconfig);
    if (named && !exists) throw new Error(`tsconfig path was set to ${named} but the file was not found`);
    const setting = env.PULUMI_NODEJS_TRANSPILE_ONLY;
    if (setting) return setting === "true" ? undefined : { tsconfig: exists ? tsconfig : undefined, entry };
    if (exists && noCheck(tsconfig)) return undefined;
    return { tsconfig: exists ? tsconfig : undefined, entry };
}

/**
 * The tsconfig's `noCheck`, from the config TypeScript parses (comments, `extends`). run.js reads the
 * file's own `compilerOptions` only, but ts-node then compiles with the extended options, where
 * `noCheck` skips the checker all the same. TypeScript is loaded only here, for the config alone.
 */
function noCheck(tsconfig: string): boolean {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require("typescript") as typeof import("typescript");
    const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
    if (read.error) return false; // the type-check reports the broken config
    return (
        ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(tsconfig), undefined, tsconfig).options
            .noCheck === true
    );
}

/** Runs the type-check; resolves with its diagnostics (empty when the program type-checks). */
export function typeCheck(
    projectDir: string,
    plan: TypeCheckPlan,
    /** The environment the CLI runs in (TS_NODE_IGNORE_DIAGNOSTICS). @default process.env */
    env: NodeJS.ProcessEnv = process.env,
): { done: Promise<string>; stop: () => void } {
    const child = spawn(
        process.execPath,
        [require.resolve("./typeCheckProcess.js"), projectDir, plan.entry, ...(plan.tsconfig ? [plan.tsconfig] : [])],
        { cwd: projectDir, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const done = new Promise<string>((resolve) =>
        child.on("close", (code) =>
            resolve(code === 0 ? "" : output.trim() || `the type-check exited with code ${code}`),
        ),
    );
    return { done, stop: () => child.kill("SIGKILL") };
}
