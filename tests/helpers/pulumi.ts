import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AwsMockOptions, AwsMocks, RecordedResource } from "../../checker/program/awsMocks";
import { readStackConfig } from "../../checker/program/stackConfig";
import type { NetworkResource } from "../../model/reachability";
import { recordRegistrations, Registration } from "./registrations";

// Pulumi's own drain of outstanding RPCs, the one `pulumi up` awaits before exit; internal, so untyped.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { waitForRPCs, getMonitor } = require("@pulumi/pulumi/runtime/settings") as {
    waitForRPCs(): Promise<void>;
    getMonitor(): Parameters<typeof recordRegistrations>[0];
};

export const PROJECT = "vpc-flow-monitoring";
export const ROOT = path.resolve(__dirname, "../..");
const PROGRAM = path.join(ROOT, "infra", "index.ts");

/** The value inside an output, for assertions. */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

const registrations = new WeakMap<AwsMocks, Registration[]>();

/** Installs fresh recording mocks; declare resources after this, then `await settle()`. */
export async function useMocks(options: AwsMockOptions & { config?: Record<string, string> } = {}): Promise<AwsMocks> {
    const mocks = new AwsMocks({ region: options.config?.["aws:region"], ...options });
    await pulumi.runtime.setMocks(mocks, PROJECT, "test", false);
    pulumi.runtime.setAllConfig(options.config ?? {});
    const recorded: Registration[] = [];
    recordRegistrations(getMonitor(), recorded);
    registrations.set(mocks, recorded);
    return mocks;
}

/** Every registration the engine received under these mocks, components and options included. */
export function registrationsOf(mocks: AwsMocks): readonly Registration[] {
    return registrations.get(mocks) ?? [];
}

/** Waits until every registration and invoke under way has been answered. */
export async function settle(): Promise<void> {
    await waitForRPCs();
}

async function resolveDeep(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) return resolveDeep(await promiseOf(value as pulumi.Output<unknown>));
    if (Array.isArray(value)) return Promise.all(value.map(resolveDeep));
    if (value && typeof value === "object") {
        const entries = await Promise.all(
            Object.entries(value).map(async ([k, v]) => [k, await resolveDeep(v)] as const),
        );
        return Object.fromEntries(entries);
    }
    return value;
}

/** The resources a recording run of the program saw, with their resolved state, as the reachability model reads them. */
export function fromRecorded(resources: readonly RecordedResource[]): NetworkResource[] {
    return resources.map(({ type, name, id, state }) => ({ type, id, name, properties: state }));
}

export interface ProgramRun {
    readonly mocks: AwsMocks;
    readonly outputs: Record<string, any>;
    readonly resources: readonly RecordedResource[];
}

/** Loads `infra/index.ts` afresh under new mocks with the given config, as `pulumi up` would. */
async function loadProgram(
    config: Record<string, string>,
    options: AwsMockOptions,
): Promise<{ mocks: AwsMocks; load: () => any }> {
    const mocks = await useMocks({ ...options, config });
    for (const key of Object.keys(require.cache)) {
        if (key.startsWith(path.join(ROOT, "infra"))) delete require.cache[key];
    }
    // A synchronous, uncached load: the program declares its resources while it loads, as under the CLI.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { mocks, load: () => require(PROGRAM) };
}

/** Runs the program and resolves its stack outputs. */
export async function runInfraProgram(
    config: Record<string, string>,
    options: AwsMockOptions = {},
): Promise<ProgramRun> {
    const { mocks, load } = await loadProgram(config, options);
    const outputs = (await resolveDeep({ ...load() })) as Record<string, any>;
    await settle();
    return { mocks, outputs, resources: mocks.resources };
}

/** Runs a program that must fail: its error, and what it declared before failing. */
export async function runFailingProgram(
    config: Record<string, string>,
): Promise<{ error: Error; resources: readonly RecordedResource[] }> {
    const { mocks, load } = await loadProgram(config, {});
    try {
        await resolveDeep({ ...load() });
    } catch (error) {
        await settle();
        return { error: error as Error, resources: mocks.resources };
    }
    throw new Error("the program ran to completion");
}

let devRun: Promise<ProgramRun> | undefined;

/**
 * The dev stack's program run under mocks, once for every test file that only reads it: a run
 * costs about a second, and its recorded resources are plain data no test changes.
 */
export function devStackRun(): Promise<ProgramRun> {
    devRun ??= runInfraProgram(devConfig());
    return devRun;
}

/** The dev stack's config, as the CLI would pass it. */
export function devConfig(): Record<string, string> {
    return readStackConfig(ROOT, "dev");
}

/** A copy of a config with one structured key changed. */
export function withConfig(
    config: Record<string, string>,
    key: string,
    change: (value: any) => any,
): Record<string, string> {
    const fullKey = `${PROJECT}:${key}`;
    const current = config[fullKey] === undefined ? undefined : JSON.parse(config[fullKey]);
    const next = change(current);
    const copy = { ...config };
    if (next === undefined) delete copy[fullKey];
    else copy[fullKey] = JSON.stringify(next);
    return copy;
}

/** Every VPC of the `vpcs` config map with its flow logs off. */
export function withoutFlowLogs<Vpc extends object>(
    vpcs: Record<string, Vpc>,
): Record<string, Vpc & { flowLogs: false }> {
    return Object.fromEntries(Object.entries(vpcs).map(([name, vpc]) => [name, { ...vpc, flowLogs: false as const }]));
}

/** The one resource of a type (and logical name, when given); fails when there is not exactly one. */
export function only(resources: readonly RecordedResource[], type: string, name?: string): RecordedResource {
    const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    if (found.length !== 1) {
        throw new Error(
            `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
        );
    }
    return found[0];
}

/** A JSON policy input as an object (components pass JSON strings, as AWS stores them). */
export function policyOf(resource: RecordedResource, key: string): any {
    const value = resource.inputs[key];
    return typeof value === "string" ? JSON.parse(value) : value;
}
