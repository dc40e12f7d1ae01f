import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { importedEnvironments, loadStackConfig, passphraseOf, StackFileError } from "../../checker/program/stackConfig";

/** A throwaway project with the given Pulumi.yaml body and Pulumi.dev.yaml text. */
function project(stackFile: string, projectExtra = ""): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-config-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: web\nruntime: nodejs\n${projectExtra}`);
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), stackFile);
    return dir;
}

const NO_AWS_ENV = { PATH: process.env.PATH };

describe("the stack's config, as the CLI builds it", () => {
    const dirs: string[] = [];
    const load = (stackFile: string, env: NodeJS.ProcessEnv = NO_AWS_ENV, projectExtra = "") => {
        const dir = project(stackFile, projectExtra);
        dirs.push(dir);
        return loadStackConfig(dir, "dev", env);
    };
    after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    const malformed: { name: string; text: string; error: RegExp }[] = [
        {
            name: "does not parse",
            text: "config:\n  aws:region: [eu-west-1\n",
            error: /Pulumi\.dev\.yaml:\d+: not valid YAML/,
        },
        {
            name: "is not a mapping",
            text: "- aws:region\n- eu-west-1\n",
            error: /Pulumi\.dev\.yaml:1: expected a YAML mapping/,
        },
        {
            name: "has a config that is not a mapping",
            text: "encryptionsalt: x\nconfig:\n  - aws:region\n",
            error: /Pulumi\.dev\.yaml:3: 'config' must be a mapping/,
        },
    ];
    for (const c of malformed)
        it(`refuses a stack file that ${c.name}, naming the file and line`, async () => {
            await assert.rejects(load(c.text), (e: Error) => e instanceof StackFileError && c.error.test(e.message));
        });

    it("refuses a stack without a region, naming the key, rather than assume us-east-1", async () => {
        await assert.rejects(load("config:\n  web:size: 2\n"), /no AWS region: set aws:region/);
    });

    it("takes the region from AWS_REGION when the stack has none, as the provider does", async () => {
        assert.equal((await load("config: {}\n", { AWS_REGION: "ap-south-1" })).region, "ap-south-1");
    });

    it("keeps a secret it cannot decrypt out of the config, and lists it as not judged", async () => {
        const loaded = await load("config:\n  aws:region: eu-west-1\n  web:token:\n    secure: v1:abc:def\n");
        assert.match(loaded.unreadable["web:token"], /no encryptionsalt/);
        assert.deepEqual(
            loaded.unchecked.map((u) => [u.kind, u.subject]),
            [["secret", "web:token"]],
        );
        assert.deepEqual(loaded.secretKeys, ["web:token"]);
        assert.doesNotMatch(loaded.config["web:token"], /^\[secret\]$/);
    });

    it("refuses a secret region, which no deployment could read either", async () => {
        await assert.rejects(
            load("encryptionsalt: v1:fozI5u6B030=:v1:x:y\nconfig:\n  aws:region:\n    secure: v1:abc:def\n"),
            /aws:region is a secret/,
        );
    });

    it("lists the Pulumi ESC environments a stack imports as not available offline", async () => {
        const loaded = await load("environment:\n  - acme/aws-dev\nconfig:\n  aws:region: eu-west-1\n");
        assert.deepEqual(
            loaded.unchecked.map((u) => [u.kind, u.subject]),
            [["esc-environment", "acme/aws-dev"]],
        );
    });

    it("lists each environment a mapping-form environment imports, and its inline values, by name", async () => {
        const loaded = await load(
            "environment:\n  imports:\n    - acme/aws-dev\n    - acme/shared: { merge: false }\n  values:\n    region: eu-west-1\nconfig:\n  aws:region: eu-west-1\n",
        );
        assert.deepEqual(
            loaded.unchecked.map((u) => u.subject),
            ["acme/aws-dev", "acme/shared", "yaml (the stack's inline environment values)"],
        );
    });

    it("lists no environment for a mapping without imports or values", () => {
        assert.deepEqual(importedEnvironments({ imports: [] }), []);
    });

    it("reads PULUMI_CONFIG_PASSPHRASE_FILE as the CLI does: trimmed, relative to where the command ran", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "passphrase-"));
        dirs.push(dir);
        fs.writeFileSync(path.join(dir, "pass.txt"), "password\n\n");
        assert.equal(passphraseOf({ PULUMI_CONFIG_PASSPHRASE_FILE: "pass.txt", INIT_CWD: dir }), "password");
        assert.equal(passphraseOf({ PULUMI_CONFIG_PASSPHRASE_FILE: path.join(dir, "pass.txt") }), "password");
        assert.equal(
            passphraseOf({ PULUMI_CONFIG_PASSPHRASE: " as is ", PULUMI_CONFIG_PASSPHRASE_FILE: "x" }),
            " as is ",
        );
    });

    it("merges the project's config, the stack's values winning", async () => {
        const loaded = await load(
            "config:\n  aws:region: eu-west-1\n  web:size: 3\n",
            NO_AWS_ENV,
            "config:\n  size: 1\n  color: blue\n",
        );
        assert.deepEqual([loaded.config["web:size"], loaded.config["web:color"]], ["3", "blue"]);
    });
});
