import * as path from "path";
import { main } from "../../checker/cli";
import { programEntry, runProgram } from "../../checker/program/runProgram";
import { readProjectFile } from "../../checker/program/stackConfig";
import { typeCheck, typeCheckPlan } from "../../checker/program/typeCheck";

/**
 * `npm run bench:check`: what the dev stack's whole check costs with its type-check, against
 * (a) the type-check alone and (b) the program's run alone, measured in the same run, interleaved,
 * medians of five. The type-check runs beside the program, so the goal is at most 1.25x the slower
 * of the two. Not a test: machines differ, so it prints times and the ratio.
 */

const ROOT = path.resolve(__dirname, "../..");
const ROUNDS = 5;
const quiet = { write: () => true };
const typeChecked = { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "false" };

async function seconds(work: () => Promise<unknown>): Promise<number> {
    const started = process.hrtime.bigint();
    await work();
    return Number(process.hrtime.bigint() - started) / 1e9;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function bench(): Promise<void> {
    const plan = typeCheckPlan(ROOT, programEntry(ROOT), readProjectFile(ROOT).runtimeOptions, typeChecked);
    if (!plan) throw new Error("the dev stack would not be type-checked; nothing to compare");
    const times = { check: [] as number[], typeCheck: [] as number[], run: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
        times.check.push(
            await seconds(async () => {
                const code = await main(["--stack", "dev"], { out: quiet, err: quiet }, typeChecked);
                if (code !== 0) throw new Error(`the dev stack's check exited ${code}`);
            }),
        );
        times.typeCheck.push(
            await seconds(async () => {
                const diagnostics = await typeCheck(ROOT, plan).done;
                if (diagnostics) throw new Error(diagnostics);
            }),
        );
        times.run.push(
            await seconds(() =>
                runProgram(ROOT, "dev", { env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" } }),
            ),
        );
    }
    const [check, alone, run] = [median(times.check), median(times.typeCheck), median(times.run)];
    const slower = Math.max(alone, run);
    console.log(`dev stack, medians of ${ROUNDS} interleaved rounds:`);
    console.log(`  check with type-checking   ${check.toFixed(2)} s`);
    console.log(`  type-checking alone        ${alone.toFixed(2)} s`);
    console.log(`  program run alone          ${run.toFixed(2)} s`);
    console.log(`  check / slower of the two  ${(check / slower).toFixed(2)}x (goal: at most 1.25x)`);
}

bench().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
