import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { parse } from "yaml";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");

/** The published pack as an organisation's `pulumi up` has it: extracted and installed. */
export interface InstalledPack {
    /** The tarball `npm pack` made of the built folder, as `pulumi policy publish` uploads it. */
    readonly tarball: string;
    /** The tarball's `package/` folder after `npm install`, where the CLI starts the pack. */
    readonly dir: string;
    /** `runtime.options.typescript` of its PulumiPolicy.yaml: whether the CLI sets PULUMI_NODEJS_TYPESCRIPT. */
    readonly typeScript: boolean;
}

async function npm(cwd: string, ...args: string[]): Promise<string> {
    const { stdout } = await run("npm", [...args, "--loglevel=error", "--no-audit", "--no-fund"], {
        cwd,
        maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
}

/**
 * Builds the pack (`npm run build:policy`'s script) into `workDir` and installs it as
 * {@link packAndInstall} does. `workDir` must lie outside the repository, so that nothing
 * resolves from the repository's node_modules.
 */
export async function installPublishedPack(workDir: string): Promise<InstalledPack> {
    const built = path.join(workDir, "built");
    await run(process.execPath, [path.join(ROOT, "scripts", "buildPolicyPack.js"), built]);
    return packAndInstall(built, workDir);
}

/**
 * Packs `folder` with `npm pack` as `pulumi policy publish` does (pulumi/pulumi
 * pkg/backend/httpstate/policypack.go, Publish), then installs it under `workDir` as the CLI
 * installs a pack enabled in a policy group (installRequiredPolicy there): the tarball's
 * `package/` folder extracted, `npm install` run in it — here with `--omit=dev` and from the local
 * npm cache where it can.
 */
export async function packAndInstall(folder: string, workDir: string): Promise<InstalledPack> {
    const packed = (await npm(folder, "pack", "--pack-destination", workDir)).trim().split("\n").pop()!;
    const tarball = path.join(workDir, packed);
    const installed = fs.mkdtempSync(path.join(workDir, "installed-"));
    await run("tar", ["-xzf", tarball, "-C", installed]);
    const dir = path.join(installed, "package");
    await npm(dir, "install", "--omit=dev", "--prefer-offline");
    const policyYaml = parse(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8"));
    // The Node language host's default is TypeScript on (pulumi-language-nodejs parseOptions).
    return { tarball, dir, typeScript: policyYaml?.runtime?.options?.typescript !== false };
}

/** The files a tarball holds, without npm's `package/` prefix. */
export async function tarballFiles(tarball: string): Promise<string[]> {
    const { stdout } = await run("tar", ["-tzf", tarball]);
    return stdout
        .split("\n")
        .filter(Boolean)
        .map((entry) => entry.replace(/^package\//, ""))
        .sort();
}
