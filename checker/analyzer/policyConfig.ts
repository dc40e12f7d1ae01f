import * as fs from "fs";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { closestName, slipAllowance } from "../../model/closestName";
import { AnalyzerConnection, AnalyzerInfo, EnforcementLevel, PolicyInfo, PolicySettings } from "./analyzerClient";

/**
 * A pack's settings as the engine applies them (pulumi/pulumi pkg/resource/analyzer/config.go,
 * `ReconcilePolicyPackConfig`, called by pkg/engine/update.go's `LoadLocalPolicyPackAnalyzers`):
 * each policy starts from its declared level and its schema's defaults; then the pack's own
 * `initialConfig` (settings given in code, reported by `GetAnalyzerInfo`) applies; then the
 * `--policy-pack-config` file; each layer's `all` sets every policy's level before its named
 * entries apply. The result is validated against each policy's config schema, and sent whole in
 * `Configure`. What the engine refuses is an error here; what it silently ignores (an unknown
 * policy or property) is a warning with the closest known name.
 * @see https://www.pulumi.com/docs/iac/using-pulumi/crossguard/configuration/
 */

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** A config file's entries: `{ "<policy>" | "all": level | { enforcementLevel?, ...properties } }`. */
export type PolicyConfigEntries = Record<string, PolicySettings>;

/** A config file the engine would not read, or settings it would not accept. */
export class PolicyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

const isLevel = (value: unknown): value is EnforcementLevel => ENFORCEMENT_LEVELS.includes(value as EnforcementLevel);

function entryOf(value: unknown, where: string): PolicySettings | undefined {
    const invalidLevel = (level: unknown, property = "") =>
        new PolicyConfigError(
            `${where}: ${property}${JSON.stringify(level)} is not a valid enforcement level (one of ${ENFORCEMENT_LEVELS.join(", ")})`,
        );
    if (typeof value === "string") {
        if (!isLevel(value)) throw invalidLevel(value);
        return { enforcementLevel: value };
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new PolicyConfigError(
            `${where}: ${JSON.stringify(value)} is not a valid value; must be a string or object`,
        );
    }
    const { enforcementLevel, ...properties } = value as Record<string, unknown>;
    if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
        throw invalidLevel(enforcementLevel, "enforcementLevel ");
    }
    // The engine drops entries that say nothing.
    if (enforcementLevel === undefined && Object.keys(properties).length === 0) return undefined;
    return {
        ...(enforcementLevel === undefined ? {} : { enforcementLevel }),
        ...(Object.keys(properties).length > 0 ? { properties } : {}),
    };
}

export interface PolicyConfigFile {
    readonly file: string;
    readonly entries: PolicyConfigEntries;
    /** Pulumi ESC environments the file imports for the pack, which the checker cannot open. */
    readonly environments: readonly string[];
}

/** Parses a config file's text as the engine's `parsePolicyPackConfig` does; errors name the file. */
export function parsePolicyConfigFile(text: string, file: string): PolicyConfigFile {
    if (text.trim() === "") return { file, entries: {}, environments: [] };
    let config: unknown;
    try {
        config = JSON.parse(text);
    } catch (error) {
        throw new PolicyConfigError(`policy pack config ${file} is not JSON: ${(error as Error).message}`);
    }
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
        throw new PolicyConfigError(`policy pack config ${file} must be a JSON object keyed by policy name (or "all")`);
    }
    const { environments = [], ...rest } = config as Record<string, unknown>;
    if (!Array.isArray(environments) || environments.some((e) => typeof e !== "string")) {
        throw new PolicyConfigError(`policy pack config ${file}: "environments" must be an array of strings`);
    }
    const entries: PolicyConfigEntries = {};
    for (const [name, value] of Object.entries(rest)) {
        const entry = entryOf(value, `policy pack config ${file}: ${name}`);
        if (entry) entries[name] = entry;
    }
    return { file, entries, environments: environments as string[] };
}

export function readPolicyConfigFile(file: string): PolicyConfigFile {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new PolicyConfigError(`policy pack config ${file} cannot be read: ${(error as Error).message}`);
    }
    return parsePolicyConfigFile(text, file);
}

type Config = Record<string, { enforcementLevel?: EnforcementLevel; properties?: Record<string, unknown> }>;

/** `createConfigWithDefaults`: each policy's declared level and its schema's `default`s. */
function defaults(policies: readonly PolicyInfo[]): Config {
    const result: Config = {};
    for (const policy of policies) {
        const withDefaults = Object.entries(policy.configSchema?.properties ?? {}).filter(([, s]) => "default" in s);
        result[policy.name] = {
            enforcementLevel: policy.enforcementLevel,
            ...(withDefaults.length > 0
                ? { properties: Object.fromEntries(withDefaults.map(([key, s]) => [key, s.default])) }
                : {}),
        };
    }
    return result;
}

/** `applyConfig`: `all` sets every level first; then each named entry (known or not) merges in. */
function apply(result: Config, layer: PolicyConfigEntries): Config {
    const next: Config = { ...result };
    const all = layer.all?.enforcementLevel;
    if (all) for (const name of Object.keys(next)) next[name] = { ...next[name], enforcementLevel: all };
    for (const [name, given] of Object.entries(layer)) {
        const before = next[name] ?? {};
        const properties =
            given.properties && Object.keys(given.properties).length > 0
                ? { ...before.properties, ...given.properties }
                : before.properties;
        next[name] = {
            enforcementLevel: given.enforcementLevel ?? before.enforcementLevel,
            ...(properties ? { properties } : {}),
        };
    }
    return next;
}

/**
 * The engine validates with gojsonschema (config.go's `validatePolicyConfig`: `gojsonschema.Validate`
 * of `convertSchema(schema)`), which reads a schema without `$schema` as its "hybrid" draft: a
 * draft-04 boolean `exclusiveMinimum`/`exclusiveMaximum` as well as a draft-06+ number. ajv reads one
 * draft per instance, so a schema with a boolean one goes to ajv-draft-04, any other to ajv's
 * draft-07. gojsonschema checks these formats (format_checkers.go, `FormatCheckers`) and ignores any
 * other; ajv-formats has all but idn-email, iri and iri-reference, which stay unchecked here.
 * @see https://github.com/xeipuuv/gojsonschema/blob/master/format_checkers.go
 */
const ENGINE_FORMATS = [
    "date",
    "time",
    "date-time",
    "hostname",
    "email",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "uri-template",
    "uuid",
    "regex",
    "json-pointer",
    "relative-json-pointer",
] as const;
// logger: false: an unknown format is ignored, as by gojsonschema, without a line on stderr.
const options = { allErrors: true, strict: false, logger: false } as const;
const draft07 = addFormats(new Ajv(options), [...ENGINE_FORMATS]);
const draft04 = addFormats(new AjvDraft04(options), [...ENGINE_FORMATS]);

/** Whether the schema says draft-04, or uses a keyword only draft-04 reads (a boolean exclusive bound). */
function isDraft04(schema: unknown): boolean {
    if (Array.isArray(schema)) return schema.some(isDraft04);
    if (typeof schema !== "object" || schema === null) return false;
    const record = schema as Record<string, unknown>;
    if (typeof record.$schema === "string" && record.$schema.includes("draft-04")) return true;
    if (typeof record.exclusiveMinimum === "boolean" || typeof record.exclusiveMaximum === "boolean") return true;
    return Object.values(record).some(isDraft04);
}

/** Each schema compiled once: a pack's schemas are checked once per config layer and per run. */
const compiled = new Map<string, ValidateFunction | Error>();
function validatorOf(schema: object): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (validate === undefined) {
        try {
            validate = (isDraft04(schema) ? draft04 : draft07).compile(schema);
        } catch (error) {
            validate = error as Error;
        }
        compiled.set(key, validate);
    }
    if (validate instanceof Error) throw validate;
    return validate;
}

/** The property an error is about: the missing one, else the first segment of its path. */
function propertyOf(error: ErrorObject): string {
    if (error.keyword === "required") return String(error.params.missingProperty);
    return decodeURIComponent(error.instancePath.split("/")[1] ?? "") || "(settings)";
}

/** `validatePolicyPackConfig`: each policy that declares a schema, against `{type: object, properties, required}`. */
function validationErrors(policy: PolicyInfo, properties: Record<string, unknown>): string[] {
    const schema = policy.configSchema;
    if (!schema) return [];
    let validate: ValidateFunction;
    try {
        validate = validatorOf({
            type: "object",
            ...(Object.keys(schema.properties).length > 0 ? { properties: schema.properties } : {}),
            ...(schema.required.length > 0 ? { required: schema.required } : {}),
        });
    } catch (error) {
        // The engine stops too: gojsonschema.Validate's error, "unable to validate schema".
        return [`${policy.name}: unable to validate schema: ${(error as Error).message}`];
    }
    if (validate(properties)) return [];
    return (validate.errors ?? []).map((error) => {
        const property = propertyOf(error);
        const value = error.keyword === "required" ? "" : ` (${JSON.stringify(properties[property])})`;
        const rest = error.instancePath.split("/").slice(2).join("/");
        return `${policy.name}: ${property}${rest ? `/${rest}` : ""}${value} ${error.message}`;
    });
}

/** The closest of `known` to `name`, as a hint, when it is close enough to be a slip. */
export function didYouMean(name: string, known: readonly string[]): string {
    const near = closestName(name, known, slipAllowance(name));
    return near ? ` (did you mean ${near}?)` : "";
}

export interface ReconciledConfig {
    /** What `Configure` gets: every policy, plus any other entry the layers named (as the engine sends them). */
    readonly config: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>;
    /** The level in force for each of the pack's policies. */
    readonly levels: Record<string, EnforcementLevel>;
    /** What the engine would silently ignore. */
    readonly warnings: readonly string[];
}

function warningsFor(info: AnalyzerInfo, entries: PolicyConfigEntries, source: string): string[] {
    const names = info.policies.map((p) => p.name);
    const warnings: string[] = [];
    for (const [name, entry] of Object.entries(entries)) {
        const policy = info.policies.find((p) => p.name === name);
        if (name === "all") continue;
        if (!policy) {
            warnings.push(
                `${source}: ${name}: the pack has no such policy${didYouMean(name, names)}; the engine ignores it`,
            );
            continue;
        }
        const known = Object.keys(policy.configSchema?.properties ?? {});
        for (const property of Object.keys(entry.properties ?? {})) {
            if (known.includes(property)) continue;
            const hint = known.length > 0 ? didYouMean(property, known) : "";
            const takes = known.length > 0 ? `takes ${known.join(", ")}` : "takes no properties";
            warnings.push(
                `${source}: ${name}: unknown property ${property}${hint}; the policy ${takes}, and the engine ignores the rest`,
            );
        }
    }
    return warnings;
}

/**
 * The configuration the engine would send the pack, or a {@link PolicyConfigError} listing what
 * it would refuse, each naming the source, the policy and the property.
 */
export function reconcilePolicyConfig(info: AnalyzerInfo, file?: PolicyConfigFile): ReconciledConfig {
    const source = file ? `policy pack config ${file.file}` : `policy pack ${info.name}`;
    if (!info.supportsConfig) {
        if (file) throw new PolicyConfigError(`${source}: policy pack ${info.name} does not support config`);
        const levels = Object.fromEntries(info.policies.map((p) => [p.name, p.enforcementLevel]));
        return { config: {}, levels, warnings: [] };
    }
    const initial = info.initialConfig ?? {};
    const merged = apply(apply(defaults(info.policies), initial), file?.entries ?? {});

    const errors: string[] = [];
    for (const policy of info.policies) errors.push(...validationErrors(policy, merged[policy.name]?.properties ?? {}));
    const config: ReconciledConfig["config"] = {};
    for (const [name, entry] of Object.entries(merged)) {
        // The engine's Configure refuses an entry without a level: an unknown policy given only properties.
        if (!entry.enforcementLevel) errors.push(`${name}: no enforcement level, and the pack has no such policy`);
        else config[name] = { enforcementLevel: entry.enforcementLevel, properties: entry.properties ?? {} };
    }
    if (errors.length > 0) {
        const origin = file ? `${source} (applied over the pack's own settings)` : source;
        throw new PolicyConfigError(
            `invalid settings in ${origin}:\n${errors
                .sort()
                .map((e) => `  ${e}`)
                .join("\n")}`,
        );
    }
    const levels = Object.fromEntries(info.policies.map((p) => [p.name, config[p.name].enforcementLevel]));
    const warnings = [...warningsFor(info, initial, `policy pack ${info.name}'s initialConfig`)];
    if (file) warnings.push(...warningsFor(info, file.entries, source));
    return { config, levels, warnings };
}

/**
 * Reconciles the pack's settings with the file's and sends them in `Configure` (always, for a
 * pack that supports config, as the engine does). Resolves with the pack's info showing the
 * levels in force, and what the engine would have ignored.
 */
export async function configurePack(
    pack: AnalyzerConnection,
    file?: PolicyConfigFile,
): Promise<{ info: AnalyzerInfo; warnings: readonly string[] }> {
    const declared = await pack.info();
    const { config, levels, warnings } = reconcilePolicyConfig(declared, file);
    if (declared.supportsConfig) await pack.configure(config);
    const info = {
        ...declared,
        policies: declared.policies.map((p) => ({ ...p, enforcementLevel: levels[p.name] })),
    };
    return { info, warnings };
}
