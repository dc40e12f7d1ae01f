import { EnforcementLevel, PolicySettings } from "./analyzerClient";

/**
 * Reads a policy pack config file in the format of `pulumi preview --policy-pack-config`:
 * `{ "all": "advisory", "<policy>": "disabled" | { "enforcementLevel": "...", ...properties } }`.
 * `all` sets every policy's level (only the level); a policy's own entry wins over `all`.
 * @see https://www.pulumi.com/docs/iac/using-pulumi/crossguard/configuration/
 */

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function level(value: unknown, where: string): EnforcementLevel {
    if (LEVELS.includes(value as EnforcementLevel)) return value as EnforcementLevel;
    throw new Error(`${where}: ${JSON.stringify(value)} is not an enforcement level (one of ${LEVELS.join(", ")})`);
}

function settingsOf(value: unknown, where: string): PolicySettings {
    if (typeof value === "string") return { enforcementLevel: level(value, where) };
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new Error(`${where}: expected an enforcement level or an object, got ${JSON.stringify(value)}`);
    }
    const { enforcementLevel, ...properties } = value as Record<string, unknown>;
    return {
        enforcementLevel:
            enforcementLevel === undefined ? undefined : level(enforcementLevel, `${where}.enforcementLevel`),
        properties,
    };
}

/** The settings to `Configure` the pack with, one entry per policy the file affects. */
export function parsePolicyPackConfig(config: unknown, policyNames: readonly string[]): Record<string, PolicySettings> {
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
        throw new Error('the policy pack config must be a JSON object keyed by policy name (or "all")');
    }
    const entries = config as Record<string, unknown>;
    for (const name of Object.keys(entries)) {
        if (name !== "all" && !policyNames.includes(name)) {
            throw new Error(
                `the policy pack config names ${JSON.stringify(name)}, which the pack does not have (it has ${policyNames.join(", ")})`,
            );
        }
    }
    const all = entries.all === undefined ? undefined : settingsOf(entries.all, "all");
    const result: Record<string, PolicySettings> = {};
    for (const name of policyNames) {
        const own = entries[name] === undefined ? undefined : settingsOf(entries[name], name);
        if (!all && !own) continue;
        result[name] = {
            enforcementLevel: own?.enforcementLevel ?? all?.enforcementLevel,
            properties: own?.properties ?? {},
        };
    }
    return result;
}
