// Preloaded (--import) into the program's process for ES-module projects: ts-node's ESM hooks,
// registered with Node's module.register as the Node language host does in its "automatic ESM
// mode" (@pulumi/pulumi/cmd/run/run.ts). Options come from the TS_NODE_* variables runProgram sets.
import { register } from "node:module";

register("ts-node/esm", import.meta.url);
