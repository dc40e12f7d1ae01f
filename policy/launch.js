"use strict";
// The pack's entry point ("main" in package.json), in JavaScript so that it runs before any
// TypeScript is compiled.
//
// run-policy-pack registers ts-node with `typeCheck: true` (@pulumi/pulumi/cmd/run-policy-pack/run.js),
// so every `pulumi preview --policy-pack policy` would type-check the pack and all it imports
// before answering: seconds, on every preview. Type-checking is CI's job (`npm run typecheck`).
// So this switches that ts-node service off (a disabled service passes files on untouched) and
// registers the one the checker and the tests use, which only strips types (with swc where its
// binary loads), with the compiler options of the repository's tsconfig.json.
const tsNode = require("ts-node");

const typeChecking = process[tsNode.REGISTER_INSTANCE];
if (typeChecking) typeChecking.enabled(false);
require("./check/compileTypeScript.js");

require("./index.ts");
