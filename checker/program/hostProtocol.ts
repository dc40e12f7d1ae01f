import type { Answers } from "./answers";
import type { GraphResource } from "./resourceGraph";
import type { Unchecked } from "../reports/unchecked";

/**
 * The messages between the checker (runProgram.ts) and the child process that runs the program
 * (programHost.ts), over Node's IPC channel.
 */

/** What the host needs to run the program; sent once, first. */
export interface HostStart {
    readonly kind: "start";
    readonly projectDir: string;
    readonly stack: string;
    readonly project: string;
    readonly entry: string;
    /** Load the entry with `import()`, as the language host does for `"type": "module"` packages. */
    readonly esModule: boolean;
    /** The merged, decrypted config, as the CLI passes it in PULUMI_CONFIG. */
    readonly config: Record<string, string>;
    readonly secretKeys: readonly string[];
    /** Secret keys whose value the checker could not decrypt: reading one fails the run, naming it. */
    readonly unreadable: Readonly<Record<string, string>>;
    readonly region: string;
    readonly answers: Answers;
}

/** Asked when the run time limit is reached. */
export interface HostStatusRequest {
    readonly kind: "status";
}

export type HostMessage =
    /** The SDK and mocks are set up; the program's entry is about to load. The time limit starts now. */
    | { readonly kind: "loading" }
    /** The program got as far as declaring a resource: its config and imports are fine. */
    | { readonly kind: "registering" }
    | { readonly kind: "graph"; readonly resources: GraphResource[]; readonly unchecked: Unchecked[] }
    | { readonly kind: "failure"; readonly message: string; readonly unchecked: Unchecked[] }
    /** What the program is still waiting for, in answer to a {@link HostStatusRequest}. */
    | { readonly kind: "status"; readonly waitingFor: string[] };
