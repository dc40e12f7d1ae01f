import * as path from "path";
import { fileURLToPath } from "url";
import type * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { AwsMocks } from "./awsMocks";
import { engineValue, GraphResource, providerUrn, SourcePosition, STACK_TYPE, WireSignatures } from "./resourceGraph";
import { projectName, readStackConfig } from "./stackConfig";

/**
 * The child process that runs a Pulumi program under mocks for the checker (see runProgram.ts).
 * argv: <project dir> <stack> <program entry>. It answers once over IPC, with the resource graph
 * or with the program's own error message, so that nothing the program does (throw, reject, call
 * process.exit, leave timers running) can take the checker down or garble its report.
 */

export type HostMessage =
    /** The program got as far as declaring a resource: its config and imports are fine. */
    | { readonly kind: "registering" }
    | { readonly kind: "graph"; readonly resources: GraphResource[] }
    | { readonly kind: "failure"; readonly message: string };

type Pulumi = typeof import("@pulumi/pulumi");
type Callback = (error: unknown, response?: resproto.RegisterResourceResponse) => void;
interface Monitor {
    registerResource(request: resproto.RegisterResourceRequest, callback: Callback): void;
}

const [projectDir, stack, entry] = process.argv.slice(2);

/** The project's own copy of a module: its program registers through that one, not ours. */
function requireFromProject<T>(id: string): T {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved at run time, from the project
    return require(require.resolve(id, { paths: [projectDir] })) as T;
}

let answered = false;
function answer(message: HostMessage): void {
    if (answered) return;
    answered = true;
    process.send!(message, () => process.exit(message.kind === "graph" ? 0 : 2));
}

/** The program's frames of a stack trace: its files, not the SDK's, not the checker's. */
function programFrames(stack: string | undefined): string[] {
    return (stack ?? "")
        .split("\n")
        .filter((line) => /^\s+at /.test(line) && line.includes(projectDir))
        .filter((line) => !line.includes(`${path.sep}node_modules${path.sep}`) && !line.includes(__dirname))
        .map((line) => line.trim());
}

/** The message Pulumi itself would print: RunErrors and compile errors bare, others with the program's frames. */
function describeFailure(pulumi: Pulumi | undefined, error: unknown): string {
    if (!(error instanceof Error)) return String(error);
    const bare = pulumi?.RunError.isInstance(error) || pulumi?.ResourceError.isInstance(error);
    if (bare || error.name === "TSError" || error.name === "SyntaxError") return error.message;
    return [error.message, ...programFrames(error.stack)].join("\n    ");
}

function sourceOf(request: resproto.RegisterResourceRequest): SourcePosition | undefined {
    const position = request.getSourceposition();
    if (!position?.getUri().startsWith("file:")) return undefined;
    return { file: fileURLToPath(position.getUri()), line: position.getLine(), column: position.getColumn() };
}

/**
 * Records each registration as the engine sees it. `Mocks.newResource` is never told a resource's
 * URN, parent or dependencies, so this wraps the mock monitor's `registerResource` instead.
 */
function recordRegistrations(monitor: Monitor, sigs: WireSignatures): GraphResource[] {
    const resources: GraphResource[] = [];
    const register = monitor.registerResource.bind(monitor);
    let announced = false;
    monitor.registerResource = (request, callback) => {
        if (!announced) process.send!({ kind: "registering" } satisfies HostMessage);
        announced = true;
        register(request, (error, response) => {
            if (!error && response) {
                const propertyDependencies: Record<string, string[]> = {};
                request
                    .getPropertydependenciesMap()
                    .forEach((urns, property) => (propertyDependencies[property] = urns.getUrnsList()));
                resources.push({
                    urn: response.getUrn(),
                    type: request.getType(),
                    name: request.getName(),
                    custom: request.getCustom(),
                    id: response.getId() || undefined,
                    inputs: engineValue(request.getObject()?.toJavaScript() ?? {}, sigs) as Record<string, unknown>,
                    state: engineValue(response.getObject()?.toJavaScript() ?? {}, sigs) as Record<string, unknown>,
                    parent: request.getParent() || undefined,
                    dependencies: request.getDependenciesList(),
                    propertyDependencies,
                    provider: providerUrn(request.getProvider()),
                    source: sourceOf(request),
                });
            }
            callback(error, response);
        });
    };
    return resources;
}

/** The root resource the engine adds, with every parentless resource beneath it, as in a real deployment. */
function underStack(project: string, resources: GraphResource[]): GraphResource[] {
    const urn = `urn:pulumi:${stack}::${project}::${STACK_TYPE}::${project}-${stack}`;
    const root: GraphResource = {
        urn,
        type: STACK_TYPE,
        name: `${project}-${stack}`,
        custom: false,
        inputs: {},
        state: {},
        dependencies: [],
        propertyDependencies: {},
    };
    return [root, ...resources.map((resource) => (resource.parent ? resource : { ...resource, parent: urn }))];
}

/**
 * Waits for the stack outputs, as the CLI does before it reports them: a failure in an exported
 * value fails the program. Resources among the exports are not unwrapped (they are circular).
 */
async function awaitOutputs(pulumi: Pulumi, value: unknown, depth = 0): Promise<void> {
    if (depth > 8 || value === null || typeof value !== "object" || pulumi.Resource.isInstance(value)) return;
    // `promise()` is the SDK's own accessor; unlike `apply`, it rejects when the value failed.
    if (pulumi.Output.isInstance(value))
        return void (await (value as unknown as { promise(): Promise<unknown> }).promise());
    await Promise.all(Object.values(value).map((item) => awaitOutputs(pulumi, item, depth + 1)));
}

/**
 * Waits until the program is quiet: no RPC under way, and no callback left that could register
 * more or fail. Applies run after the registration they wait for has been answered, and Node
 * reports an unhandled rejection only after the microtasks of a turn, hence the extra turn.
 */
async function settle(settings: { waitForRPCs(): Promise<void> }, resources: readonly GraphResource[]): Promise<void> {
    for (let seen = -1; seen !== resources.length;) {
        seen = resources.length;
        await settings.waitForRPCs();
        await new Promise((resolve) => setImmediate(resolve));
    }
}

async function run(): Promise<void> {
    let pulumi: Pulumi | undefined;
    const fail = (error: unknown) => answer({ kind: "failure", message: describeFailure(pulumi, error) });
    process.on("uncaughtException", fail);
    process.on("unhandledRejection", fail);
    try {
        const config = readStackConfig(projectDir, stack);
        pulumi = requireFromProject<Pulumi>("@pulumi/pulumi");
        const settings = requireFromProject<{ getMonitor(): Monitor; waitForRPCs(): Promise<void> }>(
            "@pulumi/pulumi/runtime/settings",
        );
        const sigs = requireFromProject<WireSignatures>("@pulumi/pulumi/runtime/rpc");
        const project = projectName(projectDir);
        await pulumi.runtime.setMocks(new AwsMocks({ region: config["aws:region"] }), project, stack, true);
        pulumi.runtime.setAllConfig(config);
        const resources = recordRegistrations(settings.getMonitor(), sigs);

        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the program as the CLI does
        const exported = require(entry);
        // Like the CLI: a program may export a function, sync or async, instead of values.
        await awaitOutputs(pulumi, exported instanceof Function ? await exported() : exported);
        await settle(settings, resources);
        answer({ kind: "graph", resources: underStack(project, resources) });
    } catch (error) {
        fail(error);
    }
}

void run();
