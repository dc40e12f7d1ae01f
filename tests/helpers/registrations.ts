/**
 * What the engine is told about each resource: its type, logical name, parent and the options the
 * mocks never see (`MockResourceArgs` carries neither the parent nor `deleteBeforeReplace`). The
 * recorder wraps the mock monitor's `registerResource`, so it reads the very `RegisterResourceRequest`
 * the SDK sends to `pulumi up`'s resource monitor (proto/resource.proto), for components too.
 */

/** One `RegisterResource` call, as the engine would receive it. */
export interface Registration {
    readonly type: string;
    readonly name: string;
    /** The URN the (mock) monitor returned for it. */
    readonly urn: string;
    /** The parent's URN; empty for a resource parented to the stack. */
    readonly parentUrn: string;
    readonly custom: boolean;
    readonly deleteBeforeReplace: boolean;
    readonly ignoreChanges: readonly string[];
    /** Alias specs (`{ name?, type?, parentUrn?, noParent? }`) or alias URNs. */
    readonly aliases: readonly Record<string, unknown>[];
}

/** The parts of `RegisterResourceRequest` (generated protobuf class) read here. */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getAliasesList(): {
        getUrn(): string;
        getSpec(): { getName(): string; getType(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
    }[];
}

type Callback = (error: unknown, response?: { getUrn(): string }) => void;

interface Monitor {
    registerResource(request: RegisterRequest, callback: Callback): unknown;
}

/** Starts recording every registration the current (mock) monitor receives, into `into`. */
export function recordRegistrations(monitor: Monitor, into: Registration[]): void {
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) =>
        register(request, (error, response) => {
            if (!error && response) into.push(registrationOf(request, response.getUrn()));
            callback(error, response);
        });
}

function registrationOf(request: RegisterRequest, urn: string): Registration {
    return {
        type: request.getType(),
        name: request.getName(),
        urn,
        parentUrn: request.getParent(),
        custom: request.getCustom(),
        deleteBeforeReplace: request.getDeletebeforereplace(),
        ignoreChanges: request.getIgnorechangesList(),
        aliases: request.getAliasesList().map((alias) => {
            const spec = alias.getSpec();
            if (!spec) return { urn: alias.getUrn() };
            return {
                name: spec.getName() || undefined,
                type: spec.getType() || undefined,
                parentUrn: spec.getParenturn() || undefined,
                noParent: spec.getNoparent() || undefined,
            };
        }),
    };
}

/** A resource's identity as its URN spells it: type and logical name. */
export function identityOf(r: Pick<Registration, "type" | "name">): string {
    return `${r.type} ${r.name}`;
}

/** Each resource's identity with its parent's identity ("" for the stack), from recorded registrations. */
export function parentsOf(registrations: readonly Registration[]): Map<string, string> {
    const byUrn = new Map(registrations.map((r) => [r.urn, r]));
    return new Map(
        registrations.map((r) => {
            const parent = r.parentUrn ? byUrn.get(r.parentUrn) : undefined;
            if (r.parentUrn && !parent) throw new Error(`${identityOf(r)}: parent ${r.parentUrn} was never registered`);
            return [identityOf(r), parent ? identityOf(parent) : ""];
        }),
    );
}
