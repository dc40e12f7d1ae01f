"use strict";
// The pack's entry point ("main" in package.json), in JavaScript so that it runs before any
// TypeScript is compiled.
//
// run-policy-pack registers ts-node with `typeCheck: true` (@pulumi/pulumi/cmd/run-policy-pack/run.js),
// so every `pulumi preview --policy-pack policy` would type-check the pack and all it imports
// before answering: seconds, on every preview. Type-checking is CI's job (`npm run typecheck`).
// So this switches that ts-node service off (a disabled service passes files on untouched) and
// registers one that only strips types, with the project's compiler options. It strips them with
// swc: TypeScript's own transpiler costs a cold compiler start of about half a second per
// process, a third of what an empty pack takes to start; swc takes milliseconds.
const path = require("path");
const tsNode = require("ts-node");

/** Whether swc's native binary loads: npm installs it per platform, and may have none for this one. */
function swcLoads() {
    try {
        require("@swc/core");
        return true;
    } catch {
        return false;
    }
}

const typeChecking = process[tsNode.REGISTER_INSTANCE];
if (typeChecking) typeChecking.enabled(false);
// Without swc, TypeScript's transpiler: a slower start, the same pack.
tsNode.register({ transpileOnly: true, swc: swcLoads(), project: path.join(__dirname, "..", "tsconfig.json") });

require("./index.ts");
