import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/**
 * Reads `Pulumi.<stack>.yaml` into the flat map the Pulumi CLI hands a program
 * (`pulumi.runtime.allConfig()`): `namespace:key` to text, structured values as JSON.
 * Bare keys belong to the project's namespace, as the CLI reads them.
 */
export function stackConfigFromYaml(text: string, project: string): Record<string, string> {
    const document = parse(text) ?? {};
    const config = (document.config ?? {}) as Record<string, unknown>;
    const flat: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        const fullKey = key.includes(":") ? key : `${project}:${key}`;
        flat[fullKey] = typeof value === "string" ? value : isSecret(value) ? "[secret]" : JSON.stringify(value);
    }
    return flat;
}

/** A value encrypted by `pulumi config set --secret`; without the stack's key it stays opaque. */
function isSecret(value: unknown): boolean {
    return typeof value === "object" && value !== null && "secure" in value;
}

/** What the checker needs from a project's `Pulumi.yaml`. */
export interface ProjectFile {
    /** The file itself. */
    readonly file: string;
    readonly name: string;
    /** The program's entry, relative to the project directory, when `Pulumi.yaml` sets one. */
    readonly main?: string;
}

/** Reads `Pulumi.yaml` (or `Pulumi.yml`) in `projectDir`. */
export function readProjectFile(projectDir: string): ProjectFile {
    const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(projectDir, f)).find((f) => fs.existsSync(f));
    if (!file) throw new Error(`no Pulumi.yaml in ${projectDir}`);
    const document = parse(fs.readFileSync(file, "utf8")) ?? {};
    if (typeof document.name !== "string") throw new Error(`${file} has no project name`);
    return { file, name: document.name, main: typeof document.main === "string" ? document.main : undefined };
}

/** The project's name, from `Pulumi.yaml` in `projectDir`. */
export function projectName(projectDir: string): string {
    return readProjectFile(projectDir).name;
}

/** The stack's config, from `Pulumi.<stack>.yaml` beside `Pulumi.yaml`. */
export function readStackConfig(projectDir: string, stack: string): Record<string, string> {
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new Error(`no stack file ${file}`);
    return stackConfigFromYaml(fs.readFileSync(file, "utf8"), projectName(projectDir));
}
