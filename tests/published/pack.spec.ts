import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { AnalyzedResource, AnalyzerConnection, startPolicyPack } from "../../checker/analyzer/analyzerClient";
import { AWS_TYPES } from "../../model/awsTypes";
import rootPackage from "../../package.json";
import rootPolicyPackage from "../../policy/package.json";
import { InstalledPack, installPublishedPack, packAndInstall, tarballFiles } from "../helpers/publishedPack";

// `npm run test:published-pack`, not part of `npm test`: the install takes tens of seconds.
const ROOT = path.resolve(__dirname, "../..");
const execFileAsync = promisify(execFile);
const urn = (type: string, name: string) => `urn:pulumi:dev::vpc-flow-monitoring::${type}::${name}`;
const resource = (type: string, name: string, properties: Record<string, unknown>): AnalyzedResource => ({
    urn: urn(type, name),
    type,
    name,
    properties,
});
const summary = (diagnostics: { enforcementLevel: string; policyName: string }[]) =>
    diagnostics.map((d) => `${d.enforcementLevel} ${d.policyName}`);

describe("the published pack, packed as `pulumi policy publish` packs it and installed in an empty folder", function () {
    this.timeout(300000);
    let work: string;
    let installed: InstalledPack;
    let pack: AnalyzerConnection;
    before(async () => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "published-pack-"));
        installed = await installPublishedPack(work);
        pack = await startPolicyPack(installed.dir, { typeScript: installed.typeScript });
    });
    after(async () => {
        await pack?.close();
        if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    it("uploads only its bundle, its source map, PulumiPolicy.yaml and package.json", async () => {
        assert.deepEqual(await tarballFiles(installed.tarball), [
            "PulumiPolicy.yaml",
            "index.js",
            "index.js.map",
            "package.json",
        ]);
    });

    it("depends on exactly @pulumi/policy and @pulumi/pulumi, at the root's exact versions, and declares itself JavaScript", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(installed.dir, "package.json"), "utf8"));
        assert.equal(manifest.main, "index.js");
        assert.deepEqual(manifest.dependencies, {
            "@pulumi/policy": rootPackage.dependencies["@pulumi/policy"],
            "@pulumi/pulumi": rootPackage.dependencies["@pulumi/pulumi"],
        });
        assert.equal(installed.typeScript, false);
    });

    it("runs on its own installed @pulumi/pulumi: run-policy-pack resolves inside its folder", () => {
        const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [installed.dir] });
        assert.ok(runner.startsWith(installed.dir + path.sep), runner);
        assert.ok(!runner.startsWith(ROOT + path.sep));
    });

    it("lists the source pack's name, version and three policies with their levels", async () => {
        const source = await startPolicyPack(path.join(ROOT, "policy"));
        try {
            const [published, expected] = [await pack.info(), await source.info()];
            assert.deepEqual(
                expected.policies.map((p) => p.name),
                ["no-overlapping-vpc-cidrs", "no-world-open-icmp", "flow-log-role-trust"],
            );
            assert.deepEqual(
                [published.name, published.version, published.policies.map((p) => [p.name, p.enforcementLevel])],
                [expected.name, expected.version, expected.policies.map((p) => [p.name, p.enforcementLevel])],
            );
        } finally {
            await source.close();
        }
    });

    it("refuses a world-open ICMP rule at mandatory level, and lets the peer VPC's rule pass", async () => {
        const rule = (cidrIpv4: string) =>
            resource(AWS_TYPES.ingressRule, "echo", {
                ipProtocol: "icmp",
                fromPort: 8,
                toPort: -1,
                cidrIpv4,
                securityGroupId: "sg-1",
            });
        const diagnostics = await pack.analyze(rule("0.0.0.0/0"));
        assert.deepEqual(summary(diagnostics), ["mandatory no-world-open-icmp"]);
        assert.match(diagnostics[0].message, /ingress rule "echo" lets ICMP in from all of IPv4/);
        assert.deepEqual(await pack.analyze(rule("10.2.0.0/16")), []);
    });

    it("starts in place in dist/policy-pack, where `pulumi policy publish` reads its name and version first", async () => {
        // policy_publish.go asks the pack for GetAnalyzerInfo in its working directory before packing it;
        // there the dependencies resolve from the repository's node_modules.
        await execFileAsync(process.execPath, [path.join(ROOT, "scripts", "buildPolicyPack.js")], { cwd: ROOT });
        const inPlace = await startPolicyPack(path.join(ROOT, "dist", "policy-pack"), { typeScript: false });
        try {
            const info = await inPlace.info();
            assert.deepEqual([info.name, info.version], ["vpc-flow-monitoring", rootPolicyPackage.version]);
        } finally {
            await inPlace.close();
        }
    });

    it("judges the stack with the bundled CIDR arithmetic: overlapping VPC blocks are refused", async () => {
        const diagnostics = await pack.analyzeStack([
            resource(AWS_TYPES.vpc, "a", { cidrBlock: "10.1.0.0/16" }),
            resource(AWS_TYPES.vpc, "b", { cidrBlock: "10.1.5.5/16" }),
        ]);
        assert.deepEqual(summary(diagnostics), ["mandatory no-overlapping-vpc-cidrs"]);
    });

    // Issue 9's defect, kept as its reproduction: policy/'s own package.json names no dependencies and
    // its policies import model/, outside the folder, so its tarball cannot start once installed.
    it("is needed: policy/ packed as it is does not start once installed", async () => {
        const source = await packAndInstall(path.join(ROOT, "policy"), work);
        await assert.rejects(
            startPolicyPack(source.dir, { typeScript: source.typeScript }),
            /policy pack .* did not start[\s\S]*Cannot find module/,
        );
    });
});
