"use strict";
// The pack's entry point from source ("main" in package.json), in JavaScript so that it runs
// before any TypeScript is compiled. The published pack (npm run build:policy) starts from
// compiled JavaScript instead and needs none of this.
//
// run-policy-pack registers ts-node with `typeCheck: true` (@pulumi/pulumi/cmd/run-policy-pack/run.js),
// so every `pulumi preview --policy-pack policy` would type-check the pack and all it imports
// before answering: seconds, on every preview. Type-checking is CI's job (`npm run typecheck`).
// So this switches that ts-node service off (a disabled service passes files on untouched) and
// registers one that only strips types, with swc where its native binary loads.
const tsNode = require("ts-node");

const typeChecking = process[tsNode.REGISTER_INSTANCE];
if (typeChecking) typeChecking.enabled(false);
let swc = true;
try {
    require("@swc/core");
} catch {
    swc = false;
}
tsNode.register({ transpileOnly: true, swc });

require("./index.ts");
