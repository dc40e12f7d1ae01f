import * as path from "path";
import { fileURLToPath, pathToFileURL } from "url";
import type * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { AwsMocks, MAX_UNANSWERED_INVOKES } from "./awsMocks";
import { engineUrn } from "./engineUrn";
import type { HostMessage, HostStart, HostStatusRequest } from "./hostProtocol";
import { engineValue, GraphResource, providerUrn, SourcePosition, STACK_TYPE, WireSignatures } from "./resourceGraph";
import type { Unchecked } from "../reports/unchecked";

/**
 * The child process that runs a Pulumi program under mocks for the checker (see runProgram.ts and
 * hostProtocol.ts). It runs the program as the Node language host does
 * (`@pulumi/pulumi/cmd/run/run.ts` and `index.ts`): the entry is `require`d, or `import()`ed for
 * ES-module packages; an uncaught exception or unhandled rejection fails the run; and the program
 * is done when Node's event loop drains (`beforeExit`), not when pending Pulumi calls settle, so
 * a resource declared from a timer is judged and a timer that never stops never finishes. It
 * answers once over IPC, with the resource graph or the program's own error message.
 */

type Pulumi = typeof import("@pulumi/pulumi");
type Callback<T> = (error: unknown, response?: T) => void;
interface Monitor {
    registerResource(
        request: resproto.RegisterResourceRequest,
        callback: Callback<resproto.RegisterResourceResponse>,
    ): void;
    readResource(request: resproto.ReadResourceRequest, callback: Callback<resproto.ReadResourceResponse>): void;
    newUrn(parent: string, type: string, name: string): string;
}

let start: HostStart;

/** The project's own copy of a module: its program registers through that one, not ours. */
function requireFromProject<T>(id: string): T {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved at run time, from the project
    return require(require.resolve(id, { paths: [start.projectDir] })) as T;
}

const unchecked: Unchecked[] = [];
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
        .filter((line) => /^\s+at /.test(line) && line.includes(start.projectDir))
        .filter((line) => !line.includes(`${path.sep}node_modules${path.sep}`) && !line.includes(__dirname))
        .map((line) => line.trim());
}

/** The message Pulumi itself would print: RunErrors and compile errors bare, others with the program's frames. */
function describeFailure(pulumi: Pulumi | undefined, error: unknown): string {
    if (!(error instanceof Error)) return String(error);
    const bare = pulumi?.RunError.isInstance(error) || pulumi?.ResourceError.isInstance(error);
    if (bare || error.name === "TSError" || error.name === "SyntaxError") return error.message;
    // An invoke's error reaches the program wrapped in a gRPC-style error whose message is empty.
    const message = error.message || String((error as { details?: unknown }).details ?? "") || String(error);
    return [message, ...programFrames(error.stack)].join("\n    ");
}

function sourceOf(request: {
    getSourceposition(): ReturnType<resproto.RegisterResourceRequest["getSourceposition"]>;
}): SourcePosition | undefined {
    const position = request.getSourceposition();
    if (!position?.getUri().startsWith("file:")) return undefined;
    return { file: fileURLToPath(position.getUri()), line: position.getLine(), column: position.getColumn() };
}

/**
 * Records each registration as the engine sees it. `Mocks.newResource` is never told a resource's
 * URN, parent or dependencies, so this wraps the mock monitor instead; it also forms URNs as the
 * engine does (see ./engineUrn) and records resources read with `.get()` as existing ones.
 */
function recordRegistrations(monitor: Monitor, sigs: WireSignatures): GraphResource[] {
    const resources: GraphResource[] = [];
    monitor.newUrn = (parent, type, name) => engineUrn(start.stack, start.project, parent, type, name);
    let announced = false;
    const announce = () => {
        if (!announced) process.send!({ kind: "registering" } satisfies HostMessage);
        announced = true;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
        announce();
        register(request, (error, response) => {
            if (!error && response) {
                const propertyDependencies: Record<string, string[]> = {};
                request
                    .getPropertydependenciesMap()
                    .forEach((urns, property) => (propertyDependencies[property] = urns.getUrnsList()));
                const remote = request.getRemote();
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
                    ...(remote ? { remote } : {}),
                });
                if (remote) {
                    const pkg = request.getType().split(":")[0];
                    unchecked.push({
                        kind: "remote-component",
                        subject: response.getUrn(),
                        reason:
                            `a remote component: its provider (the ${pkg} plugin) declares its children during a ` +
                            "real preview, and providers are not available offline, so none of them was judged",
                    });
                }
            }
            callback(error, response);
        });
    };
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = (request, callback) => {
        announce();
        read(request, (error, response) => {
            if (!error && response) {
                const state = engineValue(response.getProperties()?.toJavaScript() ?? {}, sigs) as Record<
                    string,
                    unknown
                >;
                resources.push({
                    urn: response.getUrn(),
                    type: request.getType(),
                    name: request.getName(),
                    custom: true,
                    id: request.getId(),
                    inputs: state,
                    state,
                    parent: request.getParent() || undefined,
                    dependencies: request.getDependenciesList(),
                    propertyDependencies: {},
                    provider: providerUrn(request.getProvider()),
                    source: sourceOf(request),
                    external: true,
                });
            }
            callback(error, response);
        });
    };
    return resources;
}

/** The root resource the engine adds, with every parentless resource beneath it, as in a real deployment. */
function underStack(resources: GraphResource[]): GraphResource[] {
    const { project, stack } = start;
    const urn = engineUrn(stack, project, "", STACK_TYPE, `${project}-${stack}`);
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

/** What the language host loads: `require` for CommonJS, `import()` for ES modules (run.ts, `dynamicImport`). */
async function loadProgram(): Promise<unknown> {
    if (!start.esModule) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the program as the CLI does
        return require(start.entry);
    }
    const exported = (await import(pathToFileURL(start.entry).href)) as Record<string, unknown>;
    // As run.ts: a default export stands for the program, and may not sit beside named ones.
    if (Object.getOwnPropertyDescriptor(exported, "default") === undefined) return exported;
    if (Object.keys(exported).length !== 1)
        throw new Error("expected entrypoint module to have either a default export or named exports but not both");
    return exported.default;
}

/** Reading a secret the checker could not decrypt fails the run, naming the key: it must not pass unread. */
function guardUnreadableSecrets(): void {
    const runtimeConfig = requireFromProject<{ getConfig(key: string): string | undefined }>(
        "@pulumi/pulumi/runtime/config",
    );
    const getConfig = runtimeConfig.getConfig;
    runtimeConfig.getConfig = (key) => {
        const reason = start.unreadable[key];
        if (reason !== undefined) throw new Error(`the program reads the secret config value ${key}, but ${reason}`);
        return getConfig(key);
    };
}

interface Debuggable {
    leakedPromises(): [Set<unknown>, string];
}

/** What is still pending: Pulumi's own account of unfinished registrations, and Node's of live handles. */
function waitingFor(debuggable: Debuggable, programSettled: boolean): string[] {
    const [leaks, message] = debuggable.leakedPromises();
    const handles = process
        .getActiveResourcesInfo()
        .filter((kind) => !["PipeWrap", "TTYWrap", "FSReqCallback"].includes(kind));
    const counts = [...new Set(handles)].map((k) => `${handles.filter((h) => h === k).length} ${k}`);
    return [
        ...(programSettled ? [] : ["the program's main module or exported function, which has not finished"]),
        ...(leaks.size > 0 ? [message] : []),
        ...(counts.length > 0 ? [`the program's live timers and handles (Node reports: ${counts.join(", ")})`] : []),
    ];
}

/** Each invoke the mocks could not answer, as not judged: the program may have caught its error. */
function uncheckedInvokes(mocks: AwsMocks | undefined): Unchecked[] {
    const invokes = mocks?.unansweredInvokes ?? [];
    const listed: Unchecked[] = invokes.map(({ token, args }) => ({
        kind: "invoke",
        subject: token,
        reason:
            `no answer offline for ${token}(${args}), so what the program built from it (or from its fallback) ` +
            "was not judged; supply it under invokes in an answers file (--answers FILE)",
    }));
    if (mocks?.unlistedInvokes)
        listed.push({
            kind: "invoke",
            subject: `${mocks.unlistedInvokes} further invokes`,
            reason: `no answer offline either; only the first ${MAX_UNANSWERED_INVOKES} unanswered invokes are listed`,
        });
    return listed;
}

async function run(): Promise<void> {
    let pulumi: Pulumi | undefined;
    let mocks: AwsMocks | undefined;
    const fail = (error: unknown) =>
        answer({
            kind: "failure",
            message: describeFailure(pulumi, error),
            unchecked: [...unchecked, ...uncheckedInvokes(mocks)],
        });
    process.on("uncaughtException", fail);
    process.on("unhandledRejection", fail);
    let programSettled = false;
    try {
        pulumi = requireFromProject<Pulumi>("@pulumi/pulumi");
        const settings = requireFromProject<{ getMonitor(): Monitor }>("@pulumi/pulumi/runtime/settings");
        const sigs = requireFromProject<WireSignatures>("@pulumi/pulumi/runtime/rpc");
        const debuggable = requireFromProject<Debuggable>("@pulumi/pulumi/runtime/debuggable");
        const awsMocks = new AwsMocks({ region: start.region || undefined, answers: start.answers });
        mocks = awsMocks;
        await pulumi.runtime.setMocks(awsMocks, start.project, start.stack, true);
        pulumi.runtime.setAllConfig(start.config, [...start.secretKeys]);
        guardUnreadableSecrets();
        const resources = recordRegistrations(settings.getMonitor(), sigs);
        status = () => waitingFor(debuggable, programSettled);
        whenEventLoopDrains(() => {
            const pending = waitingFor(debuggable, programSettled);
            if (!programSettled || pending.length > 0) {
                fail(new Error(`the program ended while still waiting for:\n${pending.join("\n")}`));
                return;
            }
            for (const name of awsMocks.unansweredStackReferences)
                unchecked.push({
                    kind: "stack-reference",
                    subject: name,
                    reason:
                        "its outputs are unknown offline, so what the program built from them was not judged; " +
                        "supply them under stackReferences in an answers file (--answers FILE)",
                });
            unchecked.push(...uncheckedInvokes(awsMocks));
            answer({ kind: "graph", resources: underStack(resources), unchecked });
        });
        process.send!({ kind: "loading" } satisfies HostMessage);
        const exported = await loadProgram();
        // Like the CLI: a program may export a function, sync or async, instead of values.
        await awaitOutputs(pulumi, exported instanceof Function ? await exported() : exported);
        programSettled = true;
    } catch (error) {
        fail(error);
    }
}

/**
 * Calls `done` once the event loop has nothing left to do, after every other `beforeExit` handler
 * (a library's may schedule more work, e.g. `@pulumi/aws`'s bucket notifications): the same
 * next-tick trick as `@pulumi/pulumi/cmd/run/index.ts`.
 */
function whenEventLoopDrains(done: () => void): void {
    let armed = false;
    process.on("beforeExit", () =>
        process.nextTick(() => {
            if (armed) return;
            armed = true;
            setImmediate(() => undefined);
            process.on("beforeExit", () => {
                if (!answered) done();
            });
        }),
    );
}

/** What the program is waiting for; before the SDK is loaded, only that. */
let status = (): string[] => ["the program's imports, still loading"];

process.on("message", (message: HostStart | HostStatusRequest) => {
    if (message.kind === "status") process.send!({ kind: "status", waitingFor: status() } satisfies HostMessage);
    else {
        start = message;
        // The IPC channel must not keep the process alive: the program's own work decides when it ends.
        process.channel?.unref();
        void run();
    }
});
