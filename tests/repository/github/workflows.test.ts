import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "../../helpers/pulumi";

/** The workflows cannot rot silently: what they call must exist, and every stack must be covered. */

interface Step {
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, unknown>;
}
interface Job {
    readonly if?: string;
    readonly environment?: string;
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

const allJobs = () =>
    Object.entries(workflows).flatMap(([file, w]) =>
        Object.entries(w.jobs).map(([name, job]) => ({ file, name, job })),
    );
const steps = (job: Job) => job.steps ?? [];

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

    it("run every job that has a stack matrix over exactly the stacks of the Pulumi.<stack>.yaml files", () => {
        assert.ok(stacks.length > 0);
        const perStack = allJobs().filter(({ job }) => job.strategy?.matrix?.stack !== undefined);
        assert.ok(
            perStack.length >= 4,
            "the check and the preview for pull requests, the check and the update on main",
        );
        for (const { file, name, job } of perStack) {
            assert.deepEqual([...(job.strategy!.matrix!.stack as string[])].sort(), stacks, `${file} job ${name}`);
        }
    });

    it("check every stack offline on pull requests and send the SARIF to code scanning", () => {
        const job = workflows["pull-request.yml"].jobs["policy-check"];
        const check = steps(job).find((step) => npmScriptsIn(step.run ?? "").includes("check"));
        assert.match(check?.run ?? "", /--stack "\$STACK" --sarif "(policy-\$STACK\.sarif)"/);
        const upload = steps(job).find((step) => step.uses?.startsWith("github/codeql-action/upload-sarif@"));
        assert.equal(upload?.with?.sarif_file, "policy-${{ matrix.stack }}.sarif");
        assert.equal((job.permissions as Record<string, string>)["security-events"], "write");
    });

    it("preview with the policy pack and comment on the pull request only when an AWS role is configured, saying so otherwise", () => {
        const jobs = workflows["pull-request.yml"].jobs;
        const preview = steps(jobs.preview).find((step) => step.uses?.startsWith("pulumi/actions@"));
        assert.deepEqual(
            [preview?.with?.command, preview?.with?.policyPacks, preview?.with?.["comment-on-pr"]],
            ["preview", "policy", true],
        );
        assert.ok(steps(jobs.preview).some((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@")));
        assert.match(jobs.preview.if ?? "", /vars\.AWS_ROLE_ARN != ''/);
        assert.match(jobs["preview-skipped"].if ?? "", /vars\.AWS_ROLE_ARN == ''/);
        assert.ok(steps(jobs["preview-skipped"]).some((step) => /::notice /.test(step.run ?? "")));
    });

    it("deploy each stack with pulumi up and the same policy pack, behind the stack's environment, after the offline check", () => {
        const deploy = workflows["deploy.yml"].jobs.deploy;
        const up = steps(deploy).find((step) => step.uses?.startsWith("pulumi/actions@"));
        assert.deepEqual([up?.with?.command, up?.with?.policyPacks], ["up", "policy"]);
        assert.equal(deploy.environment, "${{ matrix.stack }}");
        assert.deepEqual((workflows["deploy.yml"].on as { push: { branches: string[] } }).push.branches, ["main"]);
    });

    it("pin every action to an exact version", () => {
        for (const { file, name, job } of allJobs()) {
            for (const step of steps(job).filter((s) => s.uses)) {
                assert.match(step.uses!, /@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/, `${file} job ${name}: ${step.uses}`);
            }
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
