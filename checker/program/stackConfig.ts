import * as fs from "fs";
import * as path from "path";
import { isMap, LineCounter, parseDocument } from "yaml";
import { passphraseDecrypter, Decrypt } from "./passphrase";
import { fullKey, mergeProjectConfig, StackValue } from "./projectConfig";
import type { Unchecked } from "../reports/unchecked";

/**
 * The config a program sees, built as the CLI builds it: `Pulumi.<stack>.yaml` merged with the
 * project's `config:` (see ./projectConfig), `secure:` values decrypted by the passphrase
 * provider when a passphrase is given (see ./passphrase), flattened into the map the CLI hands a
 * program (`pulumi.runtime.allConfig()`): `namespace:key` to text, structured values as JSON.
 */

/** A project or stack file the checker cannot use; the message names the file and line. */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** What the checker needs from a project's `Pulumi.yaml`. */
export interface ProjectFile {
    /** The file itself. */
    readonly file: string;
    readonly name: string;
    /** The program's entry, relative to the project directory, when `Pulumi.yaml` sets one. */
    readonly main?: string;
    /** `runtime.options` (`typescript`, `tsconfig`, ...), as the Node language host reads them. */
    readonly runtimeOptions: Readonly<Record<string, unknown>>;
    /** The `config:` block. */
    readonly config: Readonly<Record<string, unknown>>;
}

/** Parses a YAML file that must hold a mapping; errors name the file and line. */
function readMapping(file: string): Record<string, unknown> {
    const lines = new LineCounter();
    const document = parseDocument(fs.readFileSync(file, "utf8"), { lineCounter: lines });
    const at = (offset: number | undefined) => `${file}:${lines.linePos(offset ?? 0).line}`;
    if (document.errors.length > 0) {
        const [first] = document.errors;
        throw new StackFileError(`${at(first.pos[0])}: not valid YAML: ${first.message.split("\n")[0]}`);
    }
    if (document.contents === null) return {};
    if (!isMap(document.contents))
        throw new StackFileError(`${at(document.contents.range?.[0])}: expected a YAML mapping (key: value lines)`);
    const config = document.contents.get("config", true);
    if (config !== undefined && config !== null && !isMap(config) && (config as { value?: unknown }).value !== null)
        throw new StackFileError(
            `${at((config as { range?: number[] }).range?.[0])}: 'config' must be a mapping of keys to values`,
        );
    return (document.toJS() ?? {}) as Record<string, unknown>;
}

/** Reads `Pulumi.yaml` (or `Pulumi.yml`) in `projectDir`. */
export function readProjectFile(projectDir: string): ProjectFile {
    const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(projectDir, f)).find((f) => fs.existsSync(f));
    if (!file) throw new StackFileError(`no Pulumi.yaml in ${projectDir}`);
    const document = readMapping(file);
    if (typeof document.name !== "string") throw new StackFileError(`${file} has no project name`);
    const runtime = document.runtime as { options?: Record<string, unknown> } | undefined;
    return {
        file,
        name: document.name,
        main: typeof document.main === "string" ? document.main : undefined,
        runtimeOptions: (typeof runtime === "object" && runtime?.options) || {},
        config: (document.config as Record<string, unknown>) ?? {},
    };
}

/** The project's name, from `Pulumi.yaml` in `projectDir`. */
export function projectName(projectDir: string): string {
    return readProjectFile(projectDir).name;
}

function isSecure(value: unknown): value is { secure: string } {
    return typeof value === "object" && value !== null && "secure" in value && Object.keys(value).length === 1;
}

function hasSecure(value: unknown): boolean {
    if (isSecure(value)) return true;
    if (value === null || typeof value !== "object") return false;
    return Object.values(value).some(hasSecure);
}

/** `value` with its `secure:` parts decrypted. */
function decrypted(value: unknown, decrypt: Decrypt): unknown {
    if (isSecure(value)) return decrypt(String(value.secure));
    if (Array.isArray(value)) return value.map((v) => decrypted(v, decrypt));
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decrypted(v, decrypt)]));
}

const asText = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

export interface LoadedConfig {
    /** What the program reads, as PULUMI_CONFIG holds it. */
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
    /** Secret keys the check could not decrypt, with why: reading one fails the run. */
    readonly unreadable: Record<string, string>;
    /** The AWS region a deployment would use; empty for programs without the AWS provider. */
    readonly region: string;
    readonly unchecked: Unchecked[];
}

/**
 * The passphrase, from PULUMI_CONFIG_PASSPHRASE or the file PULUMI_CONFIG_PASSPHRASE_FILE names,
 * as the CLI reads it: the file's content with surrounding white space trimmed (`strings.TrimSpace`,
 * readPassphrase in pulumi/pulumi pkg/secrets/passphrase/manager.go), a relative path resolved
 * against the directory the command was run in (INIT_CWD under npm scripts, which change directory).
 */
export function passphraseOf(env: NodeJS.ProcessEnv): string | undefined {
    if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return env.PULUMI_CONFIG_PASSPHRASE;
    const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
    if (!file) return undefined;
    return fs.readFileSync(path.resolve(env.INIT_CWD ?? process.cwd(), file), "utf8").trim();
}

/**
 * The Pulumi ESC environments a stack file imports. The `environment:` key is either a list of
 * names or an environment definition: `imports` (each a name, or `name: {merge: ...}`) beside
 * inline `values`, which Pulumi lists as "yaml" (pulumi/pulumi sdk/go/common/workspace/project.go,
 * `Environment.Imports`).
 */
export function importedEnvironments(environment: unknown): string[] {
    const nameOf = (entry: unknown) =>
        typeof entry === "string" ? [entry] : entry && typeof entry === "object" ? Object.keys(entry) : [];
    if (environment === undefined || environment === null) return [];
    if (typeof environment === "string") return [environment];
    if (Array.isArray(environment)) return environment.flatMap(nameOf);
    if (typeof environment !== "object") return [String(environment)];
    const { imports, values } = environment as { imports?: unknown; values?: unknown };
    const names = Array.isArray(imports) ? imports.flatMap(nameOf) : [];
    const inline = values && typeof values === "object" && Object.keys(values).length > 0;
    return inline ? [...names, "yaml (the stack's inline environment values)"] : names;
}

/**
 * The stack's config as the CLI builds it. Throws {@link StackFileError} for files it cannot
 * use, a wrong passphrase, invalid project config or a missing region.
 */
export async function loadStackConfig(
    projectDir: string,
    stack: string,
    env: NodeJS.ProcessEnv = process.env,
    /** Whether the program uses the AWS provider, whose default provider cannot work without a region. */
    needsRegion = true,
): Promise<LoadedConfig> {
    const project = readProjectFile(projectDir);
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        const stacks = fs.readdirSync(projectDir).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);
        throw new StackFileError(
            `no Pulumi.${stack}.yaml in ${projectDir}; its stacks: ${stacks.join(", ") || "none"}`,
        );
    }
    const document = readMapping(file);
    const unchecked: Unchecked[] = [];
    for (const name of importedEnvironments(document.environment))
        unchecked.push({
            kind: "esc-environment",
            subject: name,
            reason: `${path.basename(file)} imports this Pulumi ESC environment; ESC is not available offline, so its config values are missing from the run`,
        });

    const raw = (document.config ?? {}) as Record<string, unknown>;
    const salt = typeof document.encryptionsalt === "string" ? document.encryptionsalt : undefined;
    const anySecret = Object.values(raw).some(hasSecure);
    const passphrase = anySecret && salt ? passphraseOf(env) : undefined;
    let decrypt: Decrypt | undefined;
    if (passphrase !== undefined && salt)
        decrypt = await passphraseDecrypter(passphrase, salt).catch((error: Error) => {
            throw new StackFileError(`${file}: cannot decrypt its secrets: ${error.message}`);
        });
    const why = !salt
        ? `${path.basename(file)} has no encryptionsalt: its secrets belong to another secrets provider (Pulumi Cloud, a KMS), not available offline`
        : "no passphrase was given: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE to the stack's passphrase";

    const values = new Map<string, StackValue>();
    const unreadable: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw)) {
        const full = fullKey(project.name, key);
        const secure = hasSecure(value);
        if (secure && !decrypt) {
            unreadable[full] = `the check cannot decrypt it: ${why}`;
            unchecked.push({ kind: "secret", subject: full, reason: `not decrypted: ${why}` });
            values.set(full, { value: undefined, secure });
        } else values.set(full, { value: decrypt ? decrypted(value, decrypt) : value, secure });
    }
    const merged = mergeProjectConfig(project.file, project.name, stack, project.config, values);

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, { value, secure }] of merged) {
        if (secure) secretKeys.push(key);
        // An undecrypted secret has a placeholder nobody can mistake; reading it fails (programHost.ts).
        config[key] = value === undefined ? "[secret: not decrypted]" : asText(value);
    }
    const regionKey = "aws:region";
    if (unreadable[regionKey])
        throw new StackFileError(`${file}: ${regionKey} is a secret and ${unreadable[regionKey]}`);
    const region = config[regionKey] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "";
    if (!region && needsRegion)
        throw new StackFileError(
            `${file}: no AWS region: set ${regionKey} (pulumi config set aws:region <region>) or AWS_REGION, as a deployment needs one`,
        );
    return { config, secretKeys, unreadable, region, unchecked };
}

/** The stack's plain config (no secrets, no project config), for tests that run a program in process. */
export function readStackConfig(projectDir: string, stack: string): Record<string, string> {
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    const project = projectName(projectDir);
    const raw = (readMapping(file).config ?? {}) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [fullKey(project, k), asText(v)]));
}
