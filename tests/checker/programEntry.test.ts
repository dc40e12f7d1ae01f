import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { programEntry } from "../../checker/program/runProgram";

// The Node language host's order when Pulumi.yaml sets no main: @pulumi/pulumi/cmd/run/run.js, `run`.
describe("a program's entry, as the Node language host finds it", () => {
    const files = ["index.ts", "main.ts", "bin/exported.js", "bin/default.js", "bin/required.js", "bin/imported.js"];
    const cases: { name: string; manifest: Record<string, unknown>; entry: string }[] = [
        {
            name: "exports as a string, before main",
            manifest: { exports: "./bin/exported.js", main: "main.ts" },
            entry: "bin/exported.js",
        },
        {
            name: 'exports["."] as a string',
            manifest: { exports: { ".": "./bin/exported.js" } },
            entry: "bin/exported.js",
        },
        {
            name: 'exports["."].default before require and import',
            manifest: {
                exports: {
                    ".": { import: "./bin/imported.js", require: "./bin/required.js", default: "./bin/default.js" },
                },
            },
            entry: "bin/default.js",
        },
        {
            name: 'exports["."].require before import',
            manifest: { exports: { ".": { import: "./bin/imported.js", require: "./bin/required.js" } } },
            entry: "bin/required.js",
        },
        {
            name: 'exports["."].import last',
            manifest: { exports: { ".": { import: "./bin/imported.js" } } },
            entry: "bin/imported.js",
        },
        { name: "main when there are no exports", manifest: { main: "main.ts" }, entry: "main.ts" },
        {
            name: "index.ts when exports names a file that does not exist",
            manifest: { exports: "./missing.js" },
            entry: "index.ts",
        },
    ];
    it("reads the nearest package.json above the project, as run.js searches up for the package root", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "program-entry-root-"));
        try {
            const project = path.join(root, "stacks", "web");
            fs.mkdirSync(project, { recursive: true });
            fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: web\nruntime: nodejs\n");
            fs.writeFileSync(path.join(project, "index.ts"), "");
            fs.writeFileSync(path.join(root, "program.ts"), "");
            fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ main: "program.ts" }));
            assert.equal(programEntry(project), path.join(root, "program.ts"));
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    for (const c of cases)
        it(c.name, () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "program-entry-"));
            try {
                fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: web\nruntime: nodejs\n");
                fs.mkdirSync(path.join(dir, "bin"));
                for (const f of files) fs.writeFileSync(path.join(dir, f), "");
                fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(c.manifest));
                assert.equal(programEntry(dir), path.join(dir, c.entry));
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
});
