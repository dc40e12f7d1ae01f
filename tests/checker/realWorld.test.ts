import { strict as assert } from "assert";
import { EXIT } from "../../checker/cli";
import { CheckerRuns, checkerRuns, ProgramRuns, programRuns } from "../helpers/checkerRuns";

/**
 * Programs written as real projects write them (tests/fixtures/programs), checked end to end:
 * each reaches a verdict, or exits 2 naming exactly what it could not do. More of them, whose
 * behaviours the unit tests also cover, run in `npm run test:fixtures` (realWorld.e2e.ts).
 */

describe("npm run check on real-world programs", () => {
    let runs: CheckerRuns;
    let programs: ProgramRuns;

    before(async function () {
        this.timeout(120_000);
        [runs, programs] = await Promise.all([checkerRuns(), programRuns()]);
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
    });

    describe("a static website written as an ES module", () => {
        it("loads as the language host loads ES modules, and registers its site", () => {
            const { website } = programs;
            assert.ifError(website.error);
            const types = website.run?.resources.map((r) => r.type);
            assert.ok(types?.includes("aws:s3/bucket:Bucket"));
            assert.ok(types?.includes("aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration"));
        });
    });
});
