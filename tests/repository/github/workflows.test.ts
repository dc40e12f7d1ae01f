import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "../../helpers/pulumi";

/** The workflows cannot rot silently: what they call must exist, and every stack must be covered. */

interface Step {
    readonly name?: string;
    readonly id?: string;
    readonly if?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, string>;
}
interface Job {
    readonly if?: string;
    readonly needs?: string | string[];
    readonly environment?: string;
    readonly outputs?: Record<string, string>;
    readonly permissions?: Record<string, string> | string;
    readonly strategy?: { readonly matrix?: Record<string, unknown> };
    readonly steps?: Step[];
}
interface Workflow {
    readonly on: unknown;
    readonly permissions?: Record<string, string> | string;
    readonly jobs: Record<string, Job>;
}

const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const workflows: Record<string, Workflow> = Object.fromEntries(
    fs
        .readdirSync(WORKFLOWS)
        .filter((file) => /\.ya?ml$/.test(file))
        .map((file) => [file, parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow]),
);
const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts ?? {});
const stacks = fs
    .readdirSync(ROOT)
    .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();

/**
 * The current major version of each action the workflows use, checked against each action's
 * release tags and its action.yml (inputs used here: checkout `persist-credentials`; setup-node
 * `node-version`, `cache`; upload-sarif `sarif_file`, `category`; configure-aws-credentials
 * `role-to-assume`, `role-session-name`, `aws-region`; pulumi/actions `command`, `stack-name`,
 * `cloud-url`, `upsert`, `policyPacks`, `comment-on-pr`, `github-token`). Update with the pins.
 */
const CURRENT_MAJOR: Readonly<Record<string, number>> = {
    "actions/checkout": 7, // v7.0.1
    "actions/setup-node": 7, // v7.0.0
    "github/codeql-action/upload-sarif": 4, // v4.36.2
    "aws-actions/configure-aws-credentials": 6, // v6.2.3
    "pulumi/actions": 7, // v7.0.0
};

const allJobs = () =>
    Object.entries(workflows).flatMap(([file, w]) =>
        Object.entries(w.jobs).map(([name, job]) => ({ file, name, job })),
    );
const steps = (job: Job) => job.steps ?? [];
const usesOf = (step: Step) => step.uses?.split("@")[0];
const stepUsing = (job: Job, action: string) => steps(job).find((step) => usesOf(step) === action);
const needsOf = (job: Job) => (job.needs === undefined ? [] : [job.needs].flat());

/** The npm scripts a shell script runs: `npm test`, `npm run [flags] NAME`; `npm ci` runs none. */
export function npmScriptsIn(shell: string): string[] {
    const found: string[] = [];
    for (const match of shell.matchAll(/\bnpm((?:[ \t]+[^\s|;&]+)+)/g)) {
        const [command, ...rest] = match[1].trim().split(/\s+/);
        if (["test", "t", "start", "stop", "restart"].includes(command)) found.push(command === "t" ? "test" : command);
        if (["run", "run-script", "rum", "urn"].includes(command)) {
            const name = rest.find((word) => !word.startsWith("-"));
            if (name) found.push(name);
        }
    }
    return found;
}

/** Runs a step's shell script with bash as the runner does, in `cwd`, with a stand-in for `npm`. */
function runStep(step: Step, cwd: string, env: Record<string, string>): { status: number | null; stderr: string } {
    const bin = path.join(cwd, ".bin");
    fs.mkdirSync(bin, { recursive: true });
    // The stand-in records its arguments, one a line, and exits 0.
    fs.writeFileSync(path.join(bin, "npm"), `#!/bin/sh\nprintf '%s\\n' "$@" > "${path.join(cwd, "npm-args")}"\n`, {
        mode: 0o755,
    });
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run ?? ""], {
        cwd,
        env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, ...env },
        encoding: "utf8",
    });
    return { status: result.status, stderr: result.stderr };
}

function tempDir(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-step-"));
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

/** The `stacks` output the setup job writes, run in a directory holding `files`. */
function stacksListedIn(files: Record<string, string>): { stacks?: string[]; status: number | null; stderr: string } {
    const listing = steps(workflows["pull-request.yml"].jobs.stacks).find((step) => step.id === "list")!;
    const dir = tempDir(files);
    try {
        const output = path.join(dir, "github-output");
        fs.writeFileSync(output, "");
        const { status, stderr } = runStep(listing, dir, { GITHUB_OUTPUT: output });
        const line = /^stacks=(.*)$/m.exec(fs.readFileSync(output, "utf8"))?.[1];
        return { stacks: line === undefined ? undefined : JSON.parse(line), status, stderr };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("the GitHub workflows", () => {
    it("exist: one for pull requests, one for deployments", () => {
        assert.deepEqual(Object.keys(workflows).sort(), ["deploy.yml", "pull-request.yml"]);
    });

    it("call only npm scripts that package.json defines", () => {
        const called = allJobs().flatMap(({ job }) => steps(job).flatMap((step) => npmScriptsIn(step.run ?? "")));
        assert.ok(called.includes("check") && called.includes("test"), `found ${called.join(", ")}`);
        for (const script of called)
            assert.ok(scripts.includes(script), `npm script "${script}" is called but not in package.json`);
    });

    it("find npm scripts as npm reads the command line", () => {
        assert.deepEqual(npmScriptsIn("npm ci && npm test\nnpm run --silent check -- --stack dev | tee x"), [
            "test",
            "check",
        ]);
    });

    describe("stacks: the matrix comes from the Pulumi.<stack>.yaml files when the workflow runs", () => {
        it("runs every per-stack job over the setup job's list, never a list written in the workflow", () => {
            const perStack = allJobs().filter(({ job }) => job.strategy?.matrix?.stack !== undefined);
            assert.deepEqual(perStack.map(({ file, name }) => `${file} ${name}`).sort(), [
                "deploy.yml deploy",
                "deploy.yml policy-check",
                "pull-request.yml policy-check",
                "pull-request.yml preview",
            ]);
            for (const { file, name, job } of perStack) {
                assert.equal(
                    job.strategy!.matrix!.stack,
                    "${{ fromJSON(needs.stacks.outputs.stacks) }}",
                    `${file} ${name}`,
                );
                assert.ok(needsOf(job).includes("stacks"), `${file} ${name} needs the stacks job`);
                assert.equal(workflows[file].jobs.stacks?.outputs?.stacks, "${{ steps.list.outputs.stacks }}", file);
            }
        });

        it("lists exactly the repository's stacks", () => {
            const files = Object.fromEntries(
                fs
                    .readdirSync(ROOT)
                    .filter((f) => /^Pulumi\..*ya?ml$/.test(f))
                    .map((f) => [f, ""]),
            );
            assert.deepEqual(stacksListedIn(files).stacks, stacks);
        });

        it("covers a new Pulumi.staging.yaml with no workflow edit", () => {
            const listed = stacksListedIn({ "Pulumi.yaml": "", "Pulumi.dev.yaml": "", "Pulumi.staging.yml": "" });
            assert.deepEqual(listed.stacks, ["dev", "staging"], listed.stderr);
        });

        it("fails, naming the file, on a stack file whose name could reach a shell", () => {
            const listed = stacksListedIn({ "Pulumi.dev.yaml": "", "Pulumi.$(id).yaml": "" });
            assert.notEqual(listed.status, 0);
            assert.equal(listed.stacks, undefined);
            assert.match(listed.stderr, /not a stack name Pulumi accepts: Pulumi\.\$\(id\)\.yaml/);
        });

        it("fails when there is no stack at all", () => {
            const listed = stacksListedIn({ "Pulumi.yaml": "" });
            assert.notEqual(listed.status, 0);
            assert.match(listed.stderr, /no Pulumi.<stack>.yaml/);
        });

        it("passes matrix values to shell scripts through the environment only", () => {
            for (const { file, name, job } of allJobs())
                for (const step of steps(job))
                    assert.doesNotMatch(
                        step.run ?? "",
                        /\$\{\{\s*matrix\./,
                        `${file} ${name}: ${step.name ?? step.run}`,
                    );
        });
    });

    describe("the offline policy check", () => {
        const prJob = workflows["pull-request.yml"].jobs["policy-check"];
        const mainJob = workflows["deploy.yml"].jobs["policy-check"];
        const checkStep = steps(prJob).find((step) => npmScriptsIn(step.run ?? "").includes("check"))!;

        it("is the same job on pull requests and on main", () => {
            assert.deepEqual(steps(mainJob), steps(prJob));
            assert.deepEqual(mainJob.permissions, prJob.permissions);
            assert.deepEqual(workflows["deploy.yml"].jobs.stacks, workflows["pull-request.yml"].jobs.stacks);
        });

        it("uploads each stack's SARIF to code scanning, one category per stack, on pull requests and pushes to main", () => {
            for (const job of [prJob, mainJob]) {
                const upload = stepUsing(job, "github/codeql-action/upload-sarif")!;
                assert.equal(upload.with?.sarif_file, "policy-${{ matrix.stack }}.sarif");
                assert.equal(upload.with?.category, "pulumi-policy/vpc-flow-monitoring/${{ matrix.stack }}/");
                assert.match(upload.if ?? "", /github\.event_name != 'pull_request' \|\|/, "uploads on pushes");
                assert.match(upload.if ?? "", /always\(\)/, "uploads when the check refused the stack");
                assert.equal((job.permissions as Record<string, string>)["security-events"], "write");
            }
            const deployOn = workflows["deploy.yml"].on as { push: { branches: string[] } };
            assert.deepEqual(deployOn.push.branches, ["main"]);
        });

        const cases = [
            { name: "passes the stack's connectivity intent when connectivity/<stack>.yaml exists", intent: true },
            { name: "runs without --connectivity when the stack has no intent file", intent: false },
        ];
        for (const c of cases) {
            it(c.name, () => {
                const dir = tempDir(c.intent ? { "connectivity/dev.yaml": "reach: []\n" } : {});
                try {
                    const summary = path.join(dir, "summary.md");
                    const { status, stderr } = runStep(checkStep, dir, { STACK: "dev", GITHUB_STEP_SUMMARY: summary });
                    assert.equal(status, 0, stderr);
                    const args = fs.readFileSync(path.join(dir, "npm-args"), "utf8").trim().split("\n");
                    const expected = [
                        ...["run", "--silent", "check", "--", "--stack", "dev"],
                        ...(c.intent ? ["--connectivity", "connectivity/dev.yaml"] : []),
                        ...["--sarif", "policy-dev.sarif", "--json", "policy-dev.json"],
                    ];
                    assert.deepEqual(args, expected);
                    assert.match(fs.readFileSync(summary, "utf8"), /### Policy check of stack `dev`/);
                } finally {
                    fs.rmSync(dir, { recursive: true, force: true });
                }
            });
        }
    });

    it("runs what .ci/run runs in the pull request's test job, in the same order", () => {
        const called = steps(workflows["pull-request.yml"].jobs.test).flatMap((step) => npmScriptsIn(step.run ?? ""));
        const ci = fs
            .readFileSync(path.join(ROOT, ".ci", "run"), "utf8")
            .split("\n")
            .flatMap((line) => npmScriptsIn(line));
        assert.ok(ci.includes("test:published-pack") && ci.includes("test:e2e"), ci.join(", "));
        assert.deepEqual(
            called.filter((script) => ci.includes(script)),
            ci,
            `pull-request test job: ${called.join(", ")}`,
        );
    });

    describe("pulumi preview and up", () => {
        const preview = workflows["pull-request.yml"].jobs.preview;
        const deploy = workflows["deploy.yml"].jobs.deploy;
        const pulumiStep = (job: Job) => stepUsing(job, "pulumi/actions")!;

        it("preview with the policy pack and comment on the pull request; deploy with pulumi up and the same pack", () => {
            const p = pulumiStep(preview).with!;
            assert.deepEqual([p.command, p.policyPacks, p["comment-on-pr"]], ["preview", "policy", true]);
            const u = pulumiStep(deploy).with!;
            assert.deepEqual([u.command, u.policyPacks], ["up", "policy"]);
            assert.deepEqual(needsOf(deploy).sort(), ["policy-check", "stacks"], "deploys after the offline check");
        });

        it("create a stack that does not exist yet (upsert), so a new stack deploys on its first push", () => {
            for (const job of [preview, deploy]) assert.equal(pulumiStep(job).with?.upsert, true);
        });

        it("pass the passphrase for self-managed backends and the token for Pulumi Cloud, from secrets", () => {
            for (const job of [preview, deploy])
                assert.deepEqual(pulumiStep(job).env, {
                    PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
                    PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
                });
        });

        it("take the AWS role from each stack's environment, read where environment variables are visible (steps)", () => {
            assert.equal(deploy.environment, "${{ matrix.stack }}");
            assert.equal(preview.environment, "${{ matrix.stack }}-preview");
            for (const job of [preview, deploy]) {
                // A job's `if` is evaluated before its environment applies: it would never see the role.
                assert.doesNotMatch(job.if ?? "", /vars\./);
                const aws = stepUsing(job, "aws-actions/configure-aws-credentials")!;
                assert.equal(aws.with?.["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}");
                for (const step of steps(job).slice(1))
                    assert.equal(step.if, "vars.AWS_ROLE_ARN != ''", step.uses ?? step.run);
                const [sayWhy] = steps(job);
                assert.equal(sayWhy.if, "vars.AWS_ROLE_ARN == ''");
                assert.match(sayWhy.run ?? "", /::notice /);
                assert.equal((job.permissions as Record<string, string>)["id-token"], "write");
            }
        });

        it("never preview pull requests from forks, and say so", () => {
            const jobs = workflows["pull-request.yml"].jobs;
            assert.match(preview.if ?? "", /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
            assert.match(jobs["preview-skipped"].if ?? "", /full_name != github\.repository/);
            assert.ok(steps(jobs["preview-skipped"]).some((step) => /::notice /.test(step.run ?? "")));
        });
    });

    it("use each action at its current major version, pinned to an exact release", () => {
        for (const { file, name, job } of allJobs()) {
            for (const step of steps(job).filter((s) => s.uses)) {
                const [action, version] = step.uses!.split("@");
                assert.ok(
                    action in CURRENT_MAJOR,
                    `${file} job ${name}: ${action} is not in CURRENT_MAJOR; check its releases and add it`,
                );
                assert.match(version, /^v\d+\.\d+\.\d+$/, `${file} job ${name}: ${step.uses}`);
                assert.equal(
                    Number(/^v(\d+)/.exec(version)![1]),
                    CURRENT_MAJOR[action],
                    `${file} job ${name}: ${step.uses}`,
                );
            }
        }
    });

    it("run Node 22 or newer, as @pulumi/pulumi's engines asks, and keep testing 20.19", () => {
        const engines = JSON.parse(
            fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"),
        ).engines?.node;
        assert.match(engines ?? "", />=\s*22/, "the floor this test holds the workflows to");
        const test = workflows["pull-request.yml"].jobs.test;
        const testNodes = (test.strategy?.matrix?.node as string[]).map(String);
        assert.ok(testNodes.includes("20.19"), "20.19 stays tested");
        for (const { file, name, job } of allJobs()) {
            const setup = stepUsing(job, "actions/setup-node");
            if (!setup) continue;
            const versions =
                setup.with?.["node-version"] === "${{ matrix.node }}"
                    ? testNodes
                    : [String(setup.with?.["node-version"])];
            for (const version of versions.filter((v) => v !== "20.19"))
                assert.ok(Number(version.split(".")[0]) >= 22, `${file} job ${name}: Node ${version}`);
        }
    });

    it("give the token read-only access by default, and named write scopes only to the jobs that need them", () => {
        for (const [file, workflow] of Object.entries(workflows)) {
            assert.deepEqual(workflow.permissions, { contents: "read" }, file);
        }
        for (const { file, name, job } of allJobs()) {
            assert.notEqual(
                typeof job.permissions,
                "string",
                `${file} job ${name} must name its scopes, not write-all`,
            );
        }
    });
});
