"use strict";
// Preloaded (--require) into the process that runs the checked program and into the test runner,
// and loaded by the policy pack's launch.js: compiles TypeScript through ts-node without type
// checking, as the Pulumi CLI does with a tsconfig that sets noCheck (type-checking is
// `npm run typecheck`'s job). The transpiler is swc when its native binary loads: TypeScript's own
// costs a cold compiler start of most of a second in every process, swc's milliseconds. npm
// installs swc's binary per platform and may have none for this one; then TypeScript's, slower,
// does the same. Project and compiler options come from the TS_NODE_* variables, or from the
// tsconfig.json nearest the working directory.
function swcLoads() {
    try {
        require("@swc/core");
        return true;
    } catch {
        return false;
    }
}
require("ts-node").register({ transpileOnly: true, swc: swcLoads() });

// ts-node maps every stack trace back to TypeScript. The Pulumi SDK records a stack with every
// promise it makes, to report leaked promises at exit; mapping those is half the cost of running
// a program under mocks. They keep their raw frames; every other trace is mapped, resources'
// source positions (the checker's SARIF locations) and a failing test's trace among them.
const mapToTypeScript = Error.prepareStackTrace;
const PROMISE_TRACES = /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/;
Error.prepareStackTrace = function prepareStackTrace(error, frames) {
    const origin = frames.length > 0 ? String(frames[0].getFileName()) : "";
    if (mapToTypeScript && !PROMISE_TRACES.test(origin)) return mapToTypeScript(error, frames);
    // A frame's own toString() is costly too; file and line are enough to find a leak.
    return [
        String(error),
        ...frames.map((f) => `    at ${f.getFileName()}:${f.getLineNumber()}:${f.getColumnNumber()}`),
    ].join("\n");
};
