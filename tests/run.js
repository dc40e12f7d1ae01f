"use strict";
// `npm test`: the type-check and the mocha suite at once. Each mostly keeps one core busy, so on
// the usual two cores the whole takes about as long as the slower of them. Mocha reports as it
// goes; the type-check's verdict follows it. Fails when either fails.
const { spawn } = require("child_process");
const path = require("path");

const bin = (name) => path.join(__dirname, "..", "node_modules", ".bin", name);
const started = Date.now();

const typecheck = new Promise((resolve) => {
    const tsc = spawn(bin("tsc"), ["--noEmit", "-p", path.join(__dirname, "..")], {
        stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    tsc.stdout.on("data", (chunk) => (output += chunk));
    tsc.stderr.on("data", (chunk) => (output += chunk));
    tsc.on("close", (code) => resolve({ code, output, seconds: (Date.now() - started) / 1000 }));
});

const mocha = new Promise((resolve) => {
    spawn(bin("mocha"), process.argv.slice(2), { stdio: "inherit" }).on("close", (code) => resolve(code));
});

Promise.all([typecheck, mocha]).then(([tsc, mochaCode]) => {
    process.stdout.write(tsc.output);
    const verdict = tsc.code === 0 ? "no errors" : `errors (exit code ${tsc.code})`;
    console.log(`Type-check (tsc --noEmit): ${verdict}, in ${tsc.seconds.toFixed(1)} s`);
    console.log(`npm test: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    process.exitCode = tsc.code === 0 && mochaCode === 0 ? 0 : 1;
});
