import { strict as assert } from "assert";
import { EXIT } from "../../checker/cli";
import { CheckerRuns, checkerRuns } from "../helpers/checkerRuns";

/**
 * Programs written as real projects write them (tests/fixtures/programs), checked end to end:
 * each reaches a verdict, or exits 2 naming exactly what it could not do.
 */

describe("npm run check on real-world programs", () => {
    let runs: CheckerRuns;

    before(async function () {
        this.timeout(120_000);
        runs = await checkerRuns();
    });

    describe("an EC2 web server with a classic security group, nested components and a secret admin network", () => {
        it("decrypts the secret with the passphrase, as the passphrase provider does, and refuses its world-open ICMP", () => {
            const { webServer } = runs;
            assert.equal(webServer.code, EXIT.refused, webServer.err);
            const icmp = webServer.json?.violations.filter((v) => v.policy === "no-world-open-icmp") ?? [];
            assert.equal(icmp.length, 1, webServer.out);
            assert.deepEqual(webServer.json?.unchecked, []);
        });

        it("names the nested security group with its ancestors' whole qualified types, as the engine does", () => {
            const urn = runs.webServer.json?.violations.find((v) => v.policy === "no-world-open-icmp")?.urn;
            assert.equal(
                urn,
                "urn:pulumi:dev::ec2-webserver::acme:web:WebServer$acme:web:Firewall$aws:ec2/securityGroup:SecurityGroup::www-firewall-sg",
            );
        });

        it("without a passphrase, exits 2 naming the secret the program reads and how to supply the passphrase", () => {
            const { webServerLocked: locked } = runs;
            assert.equal(locked.code, EXIT.failed, locked.out);
            assert.match(locked.err, /secret config value ec2-webserver:adminCidr/);
            assert.match(locked.err, /PULUMI_CONFIG_PASSPHRASE/);
            assert.equal(locked.json?.passed, false);
            assert.deepEqual(
                locked.json?.unchecked.map((u) => [u.kind, u.subject]),
                [["secret", "ec2-webserver:adminCidr"]],
            );
        });
    });

    describe("a static website written as an ES module", () => {
        it("loads as the language host loads ES modules, and passes", () => {
            const { website } = runs;
            assert.equal(website.code, EXIT.passed, website.err);
            assert.equal(website.json?.resourcesByType["aws:s3/bucket:Bucket"], 1);
            assert.equal(
                website.json?.resourcesByType["aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration"],
                1,
            );
        });
    });

    describe("Fargate on the default VPC, its image from another stack", () => {
        it("answers the default-VPC lookups and takes the stack reference's outputs from the answers file", () => {
            const { fargate } = runs;
            assert.equal(fargate.code, EXIT.passed, fargate.err);
            assert.equal(fargate.json?.resourcesByType["aws:ecs/service:Service"], 1);
            assert.equal(fargate.json?.resourcesByType["pulumi:pulumi:StackReference"], 1);
            assert.deepEqual(fargate.json?.unchecked, [], "every stack reference had an answer");
        });
    });

    describe("an awsx v2 VPC, a remote component, under --strict", () => {
        it("lists the component under Not judged, and exits 2 because of it", () => {
            const { awsxStrict } = runs;
            assert.equal(awsxStrict.code, EXIT.failed, awsxStrict.out);
            assert.match(
                awsxStrict.out,
                /^Not judged \(1\)[^\n]*\n +\? \[remote-component\] urn:pulumi:dev::awsx-vpc::awsx:ec2:Vpc::main\n +a remote component/m,
            );
            assert.match(awsxStrict.err, /--strict: 1 item\(s\) not judged/);
        });

        it("says so in the JSON report: not passed, the error, and the component in unchecked", () => {
            const json = runs.awsxStrict.json;
            assert.equal(json?.passed, false);
            assert.match(json?.error ?? "", /--strict/);
            assert.deepEqual(
                json?.unchecked.map((u) => [u.kind, u.subject]),
                [["remote-component", "urn:pulumi:dev::awsx-vpc::awsx:ec2:Vpc::main"]],
            );
        });
    });
});
