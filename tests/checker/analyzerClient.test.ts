import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PolicyPackFailure, startPolicyPack } from "../../checker/analyzer/analyzerClient";

/** Processes whose working directory is `dir` (Linux's /proc; none elsewhere). */
function processesIn(dir: string): string[] {
    if (!fs.existsSync("/proc")) return [];
    return fs.readdirSync("/proc").filter((pid) => {
        if (!/^\d+$/.test(pid)) return false;
        try {
            return fs.realpathSync(`/proc/${pid}/cwd`) === fs.realpathSync(dir);
        } catch {
            return false;
        }
    });
}

/** A pack folder whose entry point is `source` (JavaScript, so no compiler loads first). */
function packOf(source: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "broken-pack-"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "broken", version: "0.0.1" }));
    fs.writeFileSync(path.join(dir, "index.js"), source);
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    return dir;
}

/** How a start of a broken pack ended; each start costs a Node process, so they all run at once. */
interface Attempt {
    readonly dir: string;
    readonly error: unknown;
}

function attempt(source: string, options: Parameters<typeof startPolicyPack>[1]): Promise<Attempt> {
    const dir = packOf(source);
    return startPolicyPack(dir, options).then(
        async (pack) => (await pack.close(), { dir, error: undefined }),
        (error: unknown) => ({ dir, error }),
    );
}

// Each start costs a Node process: all three begin as mocha loads this file, beside the suite's
// other work, and each test awaits its own.
// The first never serves, so never prints a port: the worst a pack can do to its caller.
const silent = attempt("setInterval(() => {}, 1000);\n", { typeScript: false, startTimeoutMs: 300 });
const dying = attempt('console.error("broken on purpose");\nprocess.exit(3);\n', { typeScript: false });
const throwing = attempt('throw new Error("no credentials for the rules service");\n', { typeScript: false });

describe("startPolicyPack", () => {
    after(async () => {
        for (const started of [silent, dying, throwing])
            fs.rmSync((await started).dir, { recursive: true, force: true });
    });
    const failure = async (started: Promise<Attempt>) => {
        const { error } = await started;
        assert.ok(error instanceof Error, `the start failed: ${String(error)}`);
        return error;
    };

    it("gives up on a pack that never answers, and leaves no process behind", async () => {
        assert.match((await failure(silent)).message, /no port within 300 ms/);
        assert.deepEqual(processesIn((await silent).dir), []);
    });

    it("says what a pack printed when it dies before answering", async () => {
        assert.match((await failure(dying)).message, /it exited \(code 3\)[\s\S]*broken on purpose/);
        assert.deepEqual(processesIn((await dying).dir), []);
    });

    it("says in one line why a pack that throws while starting did not start", async () => {
        const error = await failure(throwing);
        assert.ok(error instanceof PolicyPackFailure);
        assert.match(
            error.message,
            /^policy pack .* did not start: it exited \(code \d+\): Error: no credentials for the rules service$/,
        );
    });
});

describe("startPolicyPack, before starting anything", () => {
    let dir: string;
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    // What the CLI checks before it starts a pack (pkg/workspace: a pack folder holds PulumiPolicy.yaml).
    const folders: { name: string; make: (dir: string) => string; error: RegExp }[] = [
        {
            name: "a folder that does not exist",
            make: (dir) => path.join(dir, "missing"),
            error: /missing: no such directory$/,
        },
        {
            name: "a file",
            make: (dir) => path.join(dir, "package.json"),
            error: /package\.json: not a directory$/,
        },
        {
            name: "a folder without PulumiPolicy.yaml",
            make: (dir) => (fs.rmSync(path.join(dir, "PulumiPolicy.yaml")), dir),
            error: /: no PulumiPolicy\.yaml, so it is not a policy pack$/,
        },
    ];
    for (const c of folders) {
        it(`refuses ${c.name} before starting anything`, async () => {
            dir = packOf("process.exit(9);\n");
            const target = c.make(dir);
            await assert.rejects(startPolicyPack(target, { typeScript: false }), (error: Error) => {
                assert.ok(error instanceof PolicyPackFailure);
                assert.match(error.message, c.error);
                return true;
            });
        });
    }
});
