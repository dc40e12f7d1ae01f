"use strict";
// The type-check process of ./typeCheck.ts: argv <project dir> <entry> [tsconfig]. Checks the entry
// and what it imports with the project's compiler options (its own TypeScript when it has one),
// as ts-node would before running it; prints TypeScript's diagnostics and exits 1 when there are any.
const path = require("path");
const [projectDir, entry, tsconfig] = process.argv.slice(2);
let ts;
try {
    ts = require(require.resolve("typescript", { paths: [projectDir] }));
} catch {
    ts = require("typescript");
}
// Pulumi's defaults when the project has no tsconfig (@pulumi/pulumi/cmd/run/run.ts).
let options = {
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
};
if (tsconfig) {
    const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
    if (read.error) fail([read.error]);
    options = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(tsconfig), undefined, tsconfig).options;
}
// ts-node asks for the diagnostics of each file it compiles, never of declaration files: the same here.
const program = ts.createProgram([entry], {
    ...options,
    noEmit: true,
    incremental: false,
    composite: false,
    skipLibCheck: true,
});
const own = program.getSourceFiles().filter((f) => !f.isDeclarationFile && !f.fileName.includes("/node_modules/"));
// ts-node's default ignoreDiagnostics (6059: a file outside rootDir; 18002: `files` is empty; 18003:
// no inputs found), plus those TS_NODE_IGNORE_DIAGNOSTICS lists (ts-node dist/index.js, diagnosticFilters).
const ignored = new Set([
    6059,
    18002,
    18003,
    ...(process.env.TS_NODE_IGNORE_DIAGNOSTICS ?? "")
        .split(/ *, */g)
        .filter((v) => v !== "")
        .map(Number),
]);
fail([
    ...program.getOptionsDiagnostics(),
    ...own.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
]);

function fail(diagnostics) {
    const text = diagnostics
        .filter((d) => !ignored.has(d.code))
        .map((d) => {
            const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
            if (!d.file || d.start === undefined) return `error TS${d.code}: ${message}`;
            const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
            return `${path.relative(projectDir, d.file.fileName)}:${line + 1}:${character + 1} - error TS${d.code}: ${message}`;
        });
    if (text.length > 0) process.stdout.write(`${text.join("\n")}\n`);
    process.exit(text.length > 0 ? 1 : 0);
}
