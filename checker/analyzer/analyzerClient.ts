import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
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

/** A policy's settings schema: JSON schemas of its properties, and the ones it requires. */
export interface PolicyConfigSchema {
    readonly properties: Record<string, Record<string, unknown>>;
    readonly required: readonly string[];
}

export interface PolicyInfo {
    readonly name: string;
    readonly description: string;
    /** The level the pack declares; after {@link AnalyzerConnection.configure}, the one in force. */
    readonly enforcementLevel: EnforcementLevel;
    readonly configSchema?: PolicyConfigSchema;
}

export interface AnalyzerInfo {
    readonly name: string;
    readonly version?: string;
    readonly policies: PolicyInfo[];
    /** Whether the pack takes `Configure` (every pack of the policy SDK does). @default false */
    readonly supportsConfig?: boolean;
    /**
     * Settings the pack gives itself in code, e.g. `new PolicyPack(name, args, { all: "mandatory" })`,
     * which the engine applies before the config file's. A level the pack left out arrives as
     * advisory: the wire format has no "none", and the engine reads it so too.
     */
    readonly initialConfig?: Record<string, PolicySettings>;
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
    /** Deadline of each Analyzer call; a policy that never settles then fails the call. @default {@link DEFAULT_CALL_TIMEOUT_MS} */
    readonly callTimeoutMs?: number;
}

/** Generous: the whole dev stack takes well under a second; a pack that needs minutes is stuck. */
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;

/** The pack could not be started or used: a bad directory, a crash while starting. Fit to show as one line. */
export class PolicyPackFailure extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyPackFailure";
    }
}

/** An Analyzer call got no answer within its deadline. */
export class AnalyzerTimeout extends Error {
    constructor(message: string) {
        super(message);
        this.name = "AnalyzerTimeout";
    }
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

type UnaryCall<Req, Res> = (
    request: Req,
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    callback: (error: grpc.ServiceError | null, response: Res) => void,
) => unknown;

/**
 * Resolves a unary call, or rejects with the pack's error and what it wrote to stderr. The call
 * carries a gRPC deadline, as the engine's calls carry its context: past it, an
 * {@link AnalyzerTimeout} naming `what`.
 */
function unary<Req, Res>(
    call: UnaryCall<Req, Res>,
    request: Req,
    what: string,
    timeoutMs: number,
    context: () => string,
): Promise<Res> {
    const deadline = new Date(Date.now() + timeoutMs);
    return new Promise((resolve, reject) =>
        call(request, new grpc.Metadata(), { deadline }, (error, response) => {
            if (!error) return resolve(response);
            if (error.code === grpc.status.DEADLINE_EXCEEDED) {
                return reject(new AnalyzerTimeout(`${what} got no answer within ${timeoutMs / 1000} s${context()}`));
            }
            reject(new Error(`${what} failed: ${error.message}${context()}`));
        }),
    );
}

function policyConfigSchema(info: analyzer.PolicyInfo): PolicyConfigSchema | undefined {
    const schema = info.getConfigschema();
    if (!schema) return undefined;
    return {
        properties: (schema.getProperties()?.toJavaScript() ?? {}) as PolicyConfigSchema["properties"],
        required: schema.getRequiredList(),
    };
}

function initialConfigOf(response: analyzer.AnalyzerInfo): Record<string, PolicySettings> {
    const config: Record<string, PolicySettings> = {};
    response.getInitialconfigMap().forEach((entry, policy) => {
        config[policy] = {
            enforcementLevel: LEVELS[entry.getEnforcementlevel()],
            properties: entry.getProperties()?.toJavaScript() ?? {},
        };
    });
    return config;
}

/** A running policy pack. Always `close()` it: that ends the child process. */
export class AnalyzerConnection {
    /** @internal Use {@link startPolicyPack}. */
    constructor(
        private readonly client: AnalyzerClient,
        private readonly child: ChildProcess,
        private readonly engine: FakeEngine,
        private readonly stderr: string[],
        private readonly detachExitHook: () => void,
        /** The deadline of each call from now on, in milliseconds. */
        public callTimeoutMs: number,
    ) {}

    /** The pack's process id, for benchmarks that read its CPU time and peak memory from /proc. */
    get pid(): number | undefined {
        return this.child.pid;
    }

    async info(): Promise<AnalyzerInfo> {
        const response = await this.call(this.client.getAnalyzerInfo, new Empty(), "GetAnalyzerInfo");
        return {
            name: response.getName(),
            version: response.getVersion() || undefined,
            supportsConfig: response.getSupportsconfig(),
            policies: response.getPoliciesList().map((p) => ({
                name: p.getName(),
                description: p.getDescription(),
                enforcementLevel: LEVELS[p.getEnforcementlevel()],
                ...(p.getConfigschema() ? { configSchema: policyConfigSchema(p) } : {}),
            })),
            initialConfig: initialConfigOf(response),
        };
    }

    /**
     * Replaces the pack's policy configuration, as the engine does once per run with the config it
     * reconciled (see ./policyConfig). The wire format always carries a level: a policy given
     * without one keeps the level the pack declares for it.
     */
    async configure(config: Record<string, PolicySettings>): Promise<void> {
        const missing = Object.values(config).some((settings) => settings.enforcementLevel === undefined);
        const declared = new Map(missing ? (await this.info()).policies.map((p) => [p.name, p.enforcementLevel]) : []);
        const request = new analyzer.ConfigureAnalyzerRequest();
        for (const [policy, settings] of Object.entries(config)) {
            const message = new analyzer.PolicyConfig();
            message.setEnforcementlevel(LEVEL_CODES[settings.enforcementLevel ?? declared.get(policy) ?? "advisory"]);
            message.setProperties(toStruct(settings.properties ?? {}));
            request.getPolicyconfigMap().set(policy, message);
        }
        await this.call(this.client.configure, request, "Configure");
    }

    /** Resource policies over one resource's inputs, as during `pulumi preview`. */
    async analyze(resource: AnalyzedResource): Promise<PolicyDiagnostic[]> {
        return diagnosticsOf(
            await this.call(this.client.analyze, analyzeRequest(resource), `Analyze of ${resource.urn}`),
        );
    }

    /** Stack policies over every resource's outputs, as at the end of a preview or update. */
    async analyzeStack(resources: readonly AnalyzedResource[]): Promise<PolicyDiagnostic[]> {
        return diagnosticsOf(await this.analyzeStackRequest(stackRequest(resources)));
    }

    /** Sends a prepared request: the benchmark times the call without the message building. */
    async analyzeStackRequest(request: analyzer.AnalyzeStackRequest): Promise<analyzer.AnalyzeResponse> {
        return this.call(this.client.analyzeStack, request, "AnalyzeStack");
    }

    async close(): Promise<void> {
        this.client.close();
        await stopChild(this.child);
        this.engine.close();
        this.detachExitHook();
    }

    private call<Req, Res>(method: UnaryCall<Req, Res>, request: Req, what: string): Promise<Res> {
        return unary(method.bind(this.client), request, what, this.callTimeoutMs, this.context);
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

/**
 * What the CLI demands of a `--policy-pack` folder before it starts anything: that it exists, is a
 * directory, and holds a `PulumiPolicy.yaml` (pkg/workspace's DetectPolicyPackPathAt, read by
 * `LoadPolicyPack`).
 */
export function checkPackDirectory(packDir: string): void {
    const where = `policy pack ${packDir}`;
    if (!fs.existsSync(packDir)) throw new PolicyPackFailure(`${where}: no such directory`);
    if (!fs.statSync(packDir).isDirectory()) throw new PolicyPackFailure(`${where}: not a directory`);
    if (!fs.existsSync(path.join(packDir, "PulumiPolicy.yaml"))) {
        throw new PolicyPackFailure(`${where}: no PulumiPolicy.yaml, so it is not a policy pack`);
    }
}

/** The line of a start-up failure worth showing: the first `SomeError: ...` line, else the last line. */
function errorLine(text: string): string {
    const lines = text
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean);
    return lines.find((line) => /^[\w.]*Error\b.*:/.test(line)) ?? lines[lines.length - 1] ?? "";
}

/** Resolves with the port the pack prints as its first line of stdout. */
function awaitPort(packDir: string, child: ChildProcess, context: () => string, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
        let stdout = "";
        const fail = (reason: string) => {
            cleanup();
            const said = errorLine(context());
            reject(new PolicyPackFailure(`policy pack ${packDir} did not start: ${reason}${said ? `: ${said}` : ""}`));
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
    checkPackDirectory(packDir);
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
        const port = await awaitPort(
            packDir,
            child,
            () => failureContext(engine, stderr),
            options.startTimeoutMs ?? 60000,
        );
        const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
            "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
        });
        const timeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
        return new AnalyzerConnection(client, child, engine, stderr, detachExitHook, timeoutMs);
    } catch (error) {
        await stopChild(child);
        engine.close();
        detachExitHook();
        throw error;
    }
}
