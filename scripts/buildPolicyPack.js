"use strict";
// `npm run build:policy`: turns policy/ into dist/policy-pack/, a folder that `pulumi policy
// publish` can upload. That command starts the pack in its working directory to read its name and
// version, then uploads what `npm pack` makes of the folder (pulumi/pulumi
// pkg/backend/httpstate/policypack.go, cloudPolicyPack.Publish → sdk/nodejs/npm npmManager.Pack).
// An organisation's `pulumi up` downloads that tarball, extracts its package/ folder and runs
// `npm install` in it (installRequiredPolicy there), then starts it with the
// @pulumi/pulumi/cmd/run-policy-pack found from that folder (pulumi-language-nodejs RunPlugin).
// So the folder must hold everything of ours and name in package.json everything else.
//
// One esbuild bundle holds the pack and the model/ code it imports: model/ lives outside policy/,
// and a tarball of policy/ alone could not resolve it. @pulumi/policy and @pulumi/pulumi stay
// outside the bundle, installed beside it: run-policy-pack (of @pulumi/pulumi) connects the
// process to the engine through @pulumi/pulumi's runtime module, and @pulumi/policy serves and
// logs through that same module; a copy inside the bundle would be a second, unconnected runtime.
const fs = require("fs");
const path = require("path");
const { builtinModules } = require("module");
const esbuild = require("esbuild");

const ROOT = path.resolve(__dirname, "..");
const SOURCE = path.join(ROOT, "policy");
const DEFAULT_OUT = path.join(ROOT, "dist", "policy-pack");
const ENTRY = "index.js";

/** What the published pack installs, and why each is not in the bundle. */
const RUNTIME_DEPENDENCIES = {
    "@pulumi/policy": "imported by the pack; serves the Analyzer protocol through @pulumi/pulumi's runtime",
    "@pulumi/pulumi": "the CLI starts the pack with its cmd/run-policy-pack, resolved from the pack's folder",
};

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier) {
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const isBuiltin = (specifier) => specifier.startsWith("node:") || builtinModules.includes(packageOf(specifier));

/** The packages the bundle still requires at run time, as esbuild's metafile lists them. */
function externalImports(metafile) {
    const packages = new Set();
    for (const output of Object.values(metafile.outputs))
        for (const imported of output.imports)
            if (imported.external && !isBuiltin(imported.path)) packages.add(packageOf(imported.path));
    return [...packages].sort();
}

/** Exact versions from the root package.json, which `npm ci` and the tests use. */
function pinnedDependencies(rootPackage) {
    const dependencies = {};
    for (const name of Object.keys(RUNTIME_DEPENDENCIES)) {
        const version = rootPackage.dependencies?.[name];
        if (!/^\d+\.\d+\.\d+$/.test(version ?? ""))
            throw new Error(`root package.json must pin ${name} to an exact version, has ${JSON.stringify(version)}`);
        dependencies[name] = version;
    }
    return dependencies;
}

/** The source PulumiPolicy.yaml, saying that the pack is JavaScript: the CLI then loads no TypeScript compiler. */
function publishedPolicyYaml(source) {
    const body = source
        .split("\n")
        .filter((line) => !line.startsWith("#") && !/^runtime:/.test(line))
        .join("\n")
        .trim();
    // Without `typescript: false` the language host sets PULUMI_NODEJS_TYPESCRIPT and run-policy-pack
    // registers @pulumi/pulumi's vendored ts-node and TypeScript 3.8 before loading plain JavaScript
    // (pulumi-language-nodejs parseOptions: "typescript defaults to true").
    return [
        "# Built by `npm run build:policy` from policy/; publish with `pulumi policy publish` in this folder.",
        "runtime:",
        "    name: nodejs",
        "    options:",
        "        typescript: false",
        body,
        "",
    ].join("\n");
}

/**
 * Builds the publishable pack into `outDir` (emptied first) and returns what it wrote.
 * @param {string} [outDir] @default dist/policy-pack
 */
async function buildPolicyPack(outDir = DEFAULT_OUT) {
    const rootPackage = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    const sourcePackage = JSON.parse(fs.readFileSync(path.join(SOURCE, "package.json"), "utf8"));
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(outDir, { recursive: true });

    const result = await esbuild.build({
        entryPoints: [path.join(SOURCE, "index.ts")],
        outfile: path.join(outDir, ENTRY),
        bundle: true,
        platform: "node",
        format: "cjs",
        target: `node${rootPackage.engines.node.replace(/^>=\s*/, "").split(".")[0]}`,
        tsconfig: path.join(ROOT, "tsconfig.json"),
        external: Object.keys(RUNTIME_DEPENDENCIES).flatMap((name) => [name, `${name}/*`]),
        sourcemap: true,
        sourcesContent: false,
        metafile: true,
        logLevel: "warning",
    });
    const imported = externalImports(result.metafile);
    const unexpected = imported.filter((name) => !(name in RUNTIME_DEPENDENCIES));
    if (unexpected.length > 0) throw new Error(`the bundle requires packages it does not install: ${unexpected}`);

    const packageJson = {
        name: sourcePackage.name,
        // @pulumi/policy reports this version (PolicyPack reads ./package.json), and the service keys
        // each published version by it.
        version: sourcePackage.version,
        description: sourcePackage.description.replace(/;.*$/, ""),
        license: sourcePackage.license,
        private: true,
        main: ENTRY,
        engines: rootPackage.engines,
        dependencies: pinnedDependencies(rootPackage),
    };
    fs.writeFileSync(path.join(outDir, "package.json"), `${JSON.stringify(packageJson, null, 2)}\n`);
    const policyYaml = fs.readFileSync(path.join(SOURCE, "PulumiPolicy.yaml"), "utf8");
    fs.writeFileSync(path.join(outDir, "PulumiPolicy.yaml"), publishedPolicyYaml(policyYaml));
    return { outDir, files: fs.readdirSync(outDir).sort(), packageJson, imported };
}

module.exports = { buildPolicyPack, RUNTIME_DEPENDENCIES, DEFAULT_OUT };

if (require.main === module) {
    const outDir = process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_OUT;
    buildPolicyPack(outDir).then(
        ({ files, packageJson }) =>
            console.log(
                `Built ${path.relative(process.cwd(), outDir) || "."}: ${files.join(", ")}; dependencies ${Object.entries(
                    packageJson.dependencies,
                )
                    .map(([name, version]) => `${name}@${version}`)
                    .join(", ")}`,
            ),
        (error) => {
            console.error(`build:policy failed: ${error.message}`);
            process.exitCode = 1;
        },
    );
}
