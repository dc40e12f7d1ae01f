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

describe("startPolicyPack", () => {
    let dir: string;
    /** A pack folder whose entry point is `source` (JavaScript, so no compiler loads first). */
    const packOf = (source: string) => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "broken-pack-"));
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "broken", version: "0.0.1" }));
        fs.writeFileSync(path.join(dir, "index.js"), source);
        fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
        return dir;
    };
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("gives up on a pack that never answers, and leaves no process behind", async () => {
        // Never serves, so never prints a port: the worst a pack can do to its caller.
        const pack = packOf("setInterval(() => {}, 1000);\n");
        await assert.rejects(
            startPolicyPack(pack, { typeScript: false, startTimeoutMs: 300 }),
            /no port within 300 ms/,
        );
        assert.deepEqual(processesIn(pack), []);
    });

    it("says what a pack printed when it dies before answering", async () => {
        const pack = packOf('console.error("broken on purpose");\nprocess.exit(3);\n');
        await assert.rejects(
            startPolicyPack(pack, { typeScript: false }),
            /it exited \(code 3\)[\s\S]*broken on purpose/,
        );
        assert.deepEqual(processesIn(pack), []);
    });

    it("says in one line why a pack that throws while starting did not start", async () => {
        const pack = packOf('throw new Error("no credentials for the rules service");\n');
        await assert.rejects(startPolicyPack(pack, { typeScript: false }), (error: Error) => {
            assert.ok(error instanceof PolicyPackFailure);
            assert.match(
                error.message,
                /^policy pack .* did not start: it exited \(code \d+\): Error: no credentials for the rules service$/,
            );
            return true;
        });
    });

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
            const target = c.make(packOf("process.exit(9);\n"));
            await assert.rejects(startPolicyPack(target, { typeScript: false }), (error: Error) => {
                assert.ok(error instanceof PolicyPackFailure);
                assert.match(error.message, c.error);
                return true;
            });
        });
    }
});
