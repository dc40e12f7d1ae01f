import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { LogRequest, LogSeverity } from "@pulumi/pulumi/proto/engine_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/**
 * Runs a policy pack exactly as the Pulumi CLI does — `node <run-policy-pack> <engine> .` in the
 * pack's directory — and speaks the Analyzer gRPC protocol to it. No CLI, no cloud: tests, the
 * benchmark and the offline checker all judge resources through the same path as
 * `pulumi preview --policy-pack`.
 */

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** A resource as the engine describes it to a policy pack. */
export interface AnalyzedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** Inputs for `analyze`, outputs for `analyzeStack`; {@link PULUMI_UNKNOWN} anywhere marks a computed value. */
    readonly properties: Record<string, unknown>;
    readonly parent?: string;
    readonly dependencies?: readonly string[];
    /** URNs each property was computed from, e.g. `{ iamRoleArn: [roleUrn] }`. */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    /** URN of the resource's provider. */
    readonly provider?: string;
}

export interface PolicyDiagnostic {
    readonly policyName: string;
    readonly policyPackName: string;
    readonly description: string;
    readonly message: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly urn?: string;
}

export interface PolicyInfo {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
}

export interface AnalyzerInfo {
    readonly name: string;
    readonly version?: string;
    readonly policies: PolicyInfo[];
}

/** One policy's settings, as in a `--policy-pack-config` file. */
export interface PolicySettings {
    readonly enforcementLevel?: EnforcementLevel;
    readonly properties?: Record<string, unknown>;
}

export interface EngineLog {
    readonly severity: "debug" | "info" | "warning" | "error";
    readonly message: string;
    readonly urn?: string;
}

export interface StartOptions {
    /** Set `PULUMI_NODEJS_TYPESCRIPT=true`, as the CLI does for a TypeScript pack. @default true */
    readonly typeScript?: boolean;
    /** Give up when the pack has not printed its port by then. @default 60000 */
    readonly startTimeoutMs?: number;
}

const LEVELS: Record<number, EnforcementLevel> = {
    [analyzer.EnforcementLevel.ADVISORY]: "advisory",
    [analyzer.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzer.EnforcementLevel.REMEDIATE]: "remediate",
    [analyzer.EnforcementLevel.DISABLED]: "disabled",
};
const LEVEL_CODES = Object.fromEntries(Object.entries(LEVELS).map(([code, level]) => [level, Number(code)])) as Record<
    EnforcementLevel,
    analyzer.EnforcementLevel
>;
const SEVERITIES: Record<number, EngineLog["severity"]> = {
    [LogSeverity.DEBUG]: "debug",
    [LogSeverity.INFO]: "info",
    [LogSeverity.WARNING]: "warning",
    [LogSeverity.ERROR]: "error",
};

/** Large stacks exceed gRPC's 4 MB default; the policy SDK itself accepts 400 MB. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

/**
 * Stands in for the engine's gRPC service, which run-policy-pack logs to (e.g. a policy that
 * crashed). It only records what it is told.
 */
class FakeEngine {
    readonly logs: EngineLog[] = [];
    private readonly server = new grpc.Server();

    async listen(): Promise<string> {
        this.server.addService(EngineService, {
            log: (call: grpc.ServerUnaryCall<LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) => {
                const request = call.request;
                this.logs.push({
                    severity: SEVERITIES[request.getSeverity()] ?? "info",
                    message: request.getMessage(),
                    ...(request.getUrn() ? { urn: request.getUrn() } : {}),
                });
                callback(null, new Empty());
            },
        });
        const port = await new Promise<number>((resolve, reject) =>
            this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
                error ? reject(error) : resolve(bound),
            ),
        );
        return `127.0.0.1:${port}`;
    }

    close(): void {
        this.server.forceShutdown();
    }
}

function toStruct(value: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(value as Parameters<typeof Struct.fromJavaScript>[0]);
}

function resourceOptions(parent?: string): analyzer.AnalyzerResourceOptions {
    // The SDK refuses requests without options ("a more recent version of the Pulumi CLI is required").
    const options = new analyzer.AnalyzerResourceOptions();
    if (parent) options.setParent(parent);
    return options;
}

function providerOf(urn: string): analyzer.AnalyzerProviderResource {
    // A provider URN ends in `::<type>::<name>`, e.g. `...::pulumi:providers:aws::default_7_48_0`.
    const parts = urn.split("::");
    const provider = new analyzer.AnalyzerProviderResource();
    provider.setUrn(urn);
    provider.setType(parts[parts.length - 2] ?? "");
    provider.setName(parts[parts.length - 1] ?? "");
    provider.setProperties(new Struct());
    return provider;
}

/** What `AnalyzeRequest` and `AnalyzerResource` share, and set alike. */
interface ResourceMessage {
    setUrn(value: string): unknown;
    setType(value: string): unknown;
    setName(value: string): unknown;
    setProperties(value: Struct): unknown;
    setOptions(value: analyzer.AnalyzerResourceOptions): unknown;
    setProvider(value: analyzer.AnalyzerProviderResource): unknown;
}

function withResource<M extends ResourceMessage>(message: M, resource: AnalyzedResource): M {
    message.setUrn(resource.urn);
    message.setType(resource.type);
    message.setName(resource.name);
    message.setProperties(toStruct(resource.properties));
    message.setOptions(resourceOptions(resource.parent));
    if (resource.provider) message.setProvider(providerOf(resource.provider));
    return message;
}

function analyzeRequest(resource: AnalyzedResource): analyzer.AnalyzeRequest {
    return withResource(new analyzer.AnalyzeRequest(), resource);
}

function stackResource(resource: AnalyzedResource): analyzer.AnalyzerResource {
    const message = withResource(new analyzer.AnalyzerResource(), resource);
    if (resource.parent) message.setParent(resource.parent);
    message.setDependenciesList([...(resource.dependencies ?? [])]);
    const byProperty = message.getPropertydependenciesMap();
    for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
        byProperty.set(property, new analyzer.AnalyzerPropertyDependencies().setUrnsList([...urns]));
    }
    return message;
}

function diagnosticsOf(response: analyzer.AnalyzeResponse): PolicyDiagnostic[] {
    return response.getDiagnosticsList().map((d) => ({
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        description: d.getDescription(),
        message: d.getMessage(),
        enforcementLevel: LEVELS[d.getEnforcementlevel()],
        ...(d.getUrn() ? { urn: d.getUrn() } : {}),
    }));
}

/** Resolves a unary call, or rejects with the pack's error and what it wrote to stderr. */
function unary<Req, Res>(
    call: (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
    request: Req,
    context: () => string,
): Promise<Res> {
    return new Promise((resolve, reject) =>
        call(request, (error, response) =>
            error ? reject(new Error(`${error.message}${context()}`)) : resolve(response),
        ),
    );
}

/** A running policy pack. Always `close()` it: that ends the child process. */
export class AnalyzerConnection {
    private infoCache?: AnalyzerInfo;

    /** @internal Use {@link startPolicyPack}. */
    constructor(
        private readonly client: AnalyzerClient,
        private readonly child: ChildProcess,
        private readonly engine: FakeEngine,
        private readonly stderr: string[],
        private readonly detachExitHook: () => void,
    ) {}

    /** The pack's process id, e.g. to read its CPU time. */
    get pid(): number | undefined {
        return this.child.pid;
    }

    /** What the pack logged to the engine, in order. */
    get logs(): readonly EngineLog[] {
        return this.engine.logs;
    }

    /** What the pack wrote to stderr so far. */
    get stderrText(): string {
        return this.stderr.join("");
    }

    async info(): Promise<AnalyzerInfo> {
        const response = await unary<Empty, analyzer.AnalyzerInfo>(
            this.client.getAnalyzerInfo.bind(this.client),
            new Empty(),
            this.context,
        );
        this.infoCache = {
            name: response.getName(),
            version: response.getVersion() || undefined,
            policies: response.getPoliciesList().map((p) => ({
                name: p.getName(),
                description: p.getDescription(),
                enforcementLevel: LEVELS[p.getEnforcementlevel()],
            })),
        };
        return this.infoCache;
    }

    /**
     * Replaces the pack's policy configuration, as the CLI does once per run from
     * `--policy-pack-config`. A policy given without a level keeps its default level: the wire
     * format always carries one, and the CLI fills it in the same way.
     */
    async configure(config: Record<string, PolicySettings>): Promise<void> {
        const defaults = new Map(
            (this.infoCache ?? (await this.info())).policies.map((p) => [p.name, p.enforcementLevel]),
        );
        const request = new analyzer.ConfigureAnalyzerRequest();
        for (const [policy, settings] of Object.entries(config)) {
            const level = settings.enforcementLevel ?? defaults.get(policy) ?? "advisory";
            const message = new analyzer.PolicyConfig();
            message.setEnforcementlevel(LEVEL_CODES[level]);
            message.setProperties(toStruct(settings.properties ?? {}));
            request.getPolicyconfigMap().set(policy, message);
        }
        await unary(this.client.configure.bind(this.client), request, this.context);
    }

    /** Resource policies over one resource's inputs, as during `pulumi preview`. */
    async analyze(resource: AnalyzedResource): Promise<PolicyDiagnostic[]> {
        return diagnosticsOf(
            await unary(this.client.analyze.bind(this.client), analyzeRequest(resource), this.context),
        );
    }

    /** Stack policies over every resource's outputs, as at the end of a preview or update. */
    async analyzeStack(resources: readonly AnalyzedResource[]): Promise<PolicyDiagnostic[]> {
        return diagnosticsOf(await this.analyzeStackRequest(stackRequest(resources)));
    }

    /** Sends a prepared request: the benchmark times the call without the message building. */
    async analyzeStackRequest(request: analyzer.AnalyzeStackRequest): Promise<analyzer.AnalyzeResponse> {
        return unary(this.client.analyzeStack.bind(this.client), request, this.context);
    }

    async close(): Promise<void> {
        this.client.close();
        await stopChild(this.child);
        this.engine.close();
        this.detachExitHook();
    }

    private readonly context = (): string => failureContext(this.engine, this.stderr);
}

/** What the pack said about a failure: its error logs to the engine, then its stderr. */
function failureContext(engine: FakeEngine, stderr: readonly string[]): string {
    const errors = engine.logs.filter((log) => log.severity === "error").map((log) => log.message);
    return [...errors, stderr.join("").trim()]
        .filter(Boolean)
        .map((text) => `\n${text}`)
        .join("");
}

/** An AnalyzeStack request for the resources, built once so it can be sent many times. */
export function stackRequest(resources: readonly AnalyzedResource[]): analyzer.AnalyzeStackRequest {
    return new analyzer.AnalyzeStackRequest().setResourcesList(resources.map(stackResource));
}

async function stopChild(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
    await exited;
    clearTimeout(timer);
}

/** The pack's own environment as the CLI would give it, free of the caller's ts-node settings. */
function packEnvironment(engineAddress: string, typeScript: boolean): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("TS_NODE_")) env[key] = value;
    env.PULUMI_NODEJS_ENGINE = engineAddress;
    if (typeScript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    else delete env.PULUMI_NODEJS_TYPESCRIPT;
    return env;
}

/** Resolves with the port the pack prints as its first line of stdout. */
function awaitPort(child: ChildProcess, context: () => string, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
        let stdout = "";
        const fail = (reason: string) => {
            cleanup();
            reject(new Error(`policy pack did not start: ${reason}${context()}`));
        };
        const onData = (chunk: Buffer) => {
            stdout += chunk.toString();
            const newline = stdout.indexOf("\n");
            if (newline < 0) return;
            const line = stdout.slice(0, newline).trim();
            if (!/^\d+$/.test(line))
                return fail(`expected a port on the first line of stdout, got ${JSON.stringify(line)}`);
            cleanup();
            resolve(Number(line));
        };
        const onExit = (code: number | null, signal: string | null) => fail(`it exited (${signal ?? `code ${code}`})`);
        const onError = (error: Error) => fail(error.message);
        const timer = setTimeout(() => fail(`no port within ${timeoutMs} ms`), timeoutMs);
        const cleanup = () => {
            clearTimeout(timer);
            child.stdout?.off("data", onData);
            // Keep draining: a pack that logs to stdout must never block on a full pipe.
            child.stdout?.resume();
            child.off("close", onExit);
            child.off("error", onError);
        };
        child.stdout?.on("data", onData);
        // "close", not "exit": only then has everything it wrote to stderr been read.
        child.once("close", onExit);
        child.once("error", onError);
    });
}

/** The runner the CLI would use, found from the pack's directory; else this module's own. */
function runPolicyPackFor(packDir: string): string {
    const runner = "@pulumi/pulumi/cmd/run-policy-pack";
    try {
        return require.resolve(runner, { paths: [path.resolve(packDir)] });
    } catch {
        return require.resolve(runner);
    }
}

/**
 * Starts the pack in `packDir` as `pulumi preview --policy-pack <packDir>` does, and connects to it.
 * On any failure the child process and the fake engine are ended before the promise rejects.
 */
export async function startPolicyPack(packDir: string, options: StartOptions = {}): Promise<AnalyzerConnection> {
    const engine = new FakeEngine();
    const engineAddress = await engine.listen();
    const runPolicyPack = runPolicyPackFor(packDir);
    const child = spawn(process.execPath, [runPolicyPack, engineAddress, "."], {
        cwd: packDir,
        env: packEnvironment(engineAddress, options.typeScript ?? true),
        stdio: ["ignore", "pipe", "pipe"],
    });
    // A test runner that exits without close() must not leave the pack running.
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);
    const detachExitHook = () => process.off("exit", killOnExit);
    const stderr: string[] = [];
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
    try {
        const port = await awaitPort(child, () => failureContext(engine, stderr), options.startTimeoutMs ?? 60000);
        const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
            "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
        });
        return new AnalyzerConnection(client, child, engine, stderr, detachExitHook);
    } catch (error) {
        await stopChild(child);
        engine.close();
        detachExitHook();
        throw error;
    }
}
