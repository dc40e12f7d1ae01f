import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Log } from "sarif";
import { CliIo, main } from "../../checker/cli";
import { JsonReport } from "../../checker/reports/checkReport";
import { ROOT } from "./pulumi";

/**
 * The offline checker's end-to-end runs. Each costs a program process and a policy-pack process,
 * mostly waiting on each other, so they start together with the suite and run beside the
 * in-process tests; the tests that read them await {@link checkerRuns}.
 */

export const FOREIGN = path.join(ROOT, "tests", "fixtures", "foreign-project");

export interface CheckerRun {
    readonly code: number;
    readonly out: string;
    readonly err: string;
    readonly json?: JsonReport;
    readonly sarif?: Log;
}

const readJson = (file: string) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined);

/** The checker in this process, as the npm script runs it, with its output captured. */
export async function check(dir: string, ...args: string[]): Promise<CheckerRun> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: { write: (t: string) => out.push(t) }, err: { write: (t: string) => err.push(t) } };
    const json = path.join(dir, `${args.join("-").replace(/\W+/g, "_")}.json`);
    const sarif = json.replace(/\.json$/, ".sarif");
    const code = await main([...args, "--json", json, "--sarif", sarif], io);
    return { code, out: out.join(""), err: err.join(""), json: readJson(json), sarif: readJson(sarif) };
}

export interface CheckerRuns {
    /** Where the runs wrote their reports; removed after the suite. */
    readonly dir: string;
    /** This project's dev stack. */
    readonly dev: CheckerRun;
    /** A foreign project with world-open ICMP and overlapping VPCs. */
    readonly flawed: CheckerRun;
    /** A foreign program that throws after its first registrations. */
    readonly throwing: CheckerRun;
}

let runs: Promise<CheckerRuns> | undefined;

export function checkerRuns(): Promise<CheckerRuns> {
    runs ??= (async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-"));
        const [dev, flawed, throwing] = await Promise.all([
            check(dir, "--stack", "dev", "--connectivity", "connectivity/dev.yaml"),
            check(dir, "--stack", "test", "--cwd", FOREIGN),
            check(dir, "--stack", "throws", "--cwd", FOREIGN),
        ]);
        return { dir, dev, flawed, throwing };
    })();
    return runs;
}

/** Removes the reports, once the runs (if any were started) are done. */
export async function removeCheckerRuns(): Promise<void> {
    if (!runs) return;
    const { dir } = await runs;
    fs.rmSync(dir, { recursive: true, force: true });
}
