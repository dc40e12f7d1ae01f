import { strict as assert } from "assert";
import { EXIT } from "../../checker/cli";
import { CheckerRuns, checkerRuns, ProgramRuns, programRuns } from "../helpers/checkerRuns";

/**
 * Programs written as real projects write them (tests/fixtures/programs), checked end to end:
 * each reaches a verdict, or exits 2 naming exactly what it could not do.
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

    describe("a static website written as an ES module", () => {
        it("loads as the language host loads ES modules, and registers its site", () => {
            const { website } = programs;
            assert.ifError(website.error);
            const types = website.run?.resources.map((r) => r.type);
            assert.ok(types?.includes("aws:s3/bucket:Bucket"));
            assert.ok(types?.includes("aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration"));
        });
    });

    describe("Fargate on the default VPC, its image from another stack", () => {
        it("runs the service in the default VPC's subnets, behind its default security group", () => {
            const { fargate } = programs;
            assert.ifError(fargate.error);
            const service = fargate.run?.resources.find((r) => r.type === "aws:ecs/service:Service");
            const network = service?.inputs.networkConfiguration as { subnets: string[]; securityGroups: string[] };
            assert.equal(network.subnets.length, 3);
            assert.ok(network.subnets.every((id) => /^subnet-[0-9a-f]{17}$/.test(id)));
            assert.ok(network.securityGroups.some((id) => /^sg-[0-9a-f]{17}$/.test(id)));
        });

        it("shows a resource read with .get() in the graph as an existing resource, with the id it was read by", () => {
            const logs = programs.fargate.run?.resources.find((r) => r.name === "shared-logs");
            assert.deepEqual(
                [logs?.type, logs?.id, logs?.external],
                ["aws:cloudwatch/logGroup:LogGroup", "/ecs/shared", true],
            );
        });

        it("takes the stack reference's outputs from the answers file, leaving nothing unjudged", () => {
            const { fargate } = programs;
            const task = fargate.run?.resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition");
            assert.match(String(task?.inputs.containerDefinitions), /dkr\.ecr\.eu-west-1\.amazonaws\.com\/web:1\.4\.2/);
            assert.deepEqual(fargate.run?.unchecked, []);
        });
    });
});
