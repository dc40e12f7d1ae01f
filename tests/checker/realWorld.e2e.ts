import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT } from "../../checker/cli";
import { readAnswers } from "../../checker/program/answers";
import {
    check,
    CheckerRun,
    FIXTURE_PASSPHRASE,
    outcome,
    ProgramOutcome,
    PROGRAMS,
    TRANSPILE_ONLY,
    TYPE_CHECKED,
} from "../helpers/checkerRuns";
import { AWS_TYPES } from "../../model/awsTypes";

/** Types only the foreign fixtures declare, beside the project's own table (model/awsTypes.ts). */
const FIXTURE_TYPES = {
    bucketWebsite: "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration",
    ecsService: "aws:ecs/service:Service",
    ecsTaskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
} as const;

/**
 * `npm run test:e2e`: real-world programs end to end, kept out of `npm test` for its
 * time budget (their pieces are unit-tested there: default-VPC lookups, the answers file, the Not
 * judged summary, the hostile programs' runs, the passphrase provider): an EC2 web server with
 * nested components and a passphrase secret, a static website written as an ES module, Fargate on the default VPC with a stack reference
 * and a `.get()` resource, an awsx v2 VPC under --strict, and whole checks of hostile programs.
 */

describe("npm run check on more real-world programs", () => {
    let dir: string;
    let awsxStrict: CheckerRun;
    let fargate: ProgramOutcome;
    let timer: CheckerRun;
    let interval: CheckerRun;
    let typeError: CheckerRun;
    let webServer: CheckerRun;
    let website: ProgramOutcome;

    before(async function () {
        this.timeout(120_000);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-fixtures-"));
        const fargateDir = path.join(PROGRAMS, "fargate-default-vpc");
        const hostile = path.join(PROGRAMS, "hostile");
        const withPassphrase = { ...TRANSPILE_ONLY, PULUMI_CONFIG_PASSPHRASE: FIXTURE_PASSPHRASE };
        [awsxStrict, fargate, timer, interval, typeError, webServer, website] = await Promise.all([
            check(dir, ["--stack", "dev", "--cwd", path.join(PROGRAMS, "awsx-vpc"), "--strict"]),
            outcome(fargateDir, "dev", { answers: readAnswers(path.join(fargateDir, "answers.yaml")) }),
            check(dir, ["--stack", "timer", "--cwd", hostile], TYPE_CHECKED),
            check(dir, ["--stack", "interval", "--cwd", hostile, "--timeout", "2"], TYPE_CHECKED),
            check(dir, ["--stack", "dev", "--cwd", path.join(PROGRAMS, "type-error")], {
                ...TRANSPILE_ONLY,
                PULUMI_NODEJS_TRANSPILE_ONLY: "false",
            }),
            check(dir, ["--stack", "dev", "--cwd", path.join(PROGRAMS, "ec2-webserver")], withPassphrase),
            outcome(path.join(PROGRAMS, "static-website-esm"), "dev"),
        ]);
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    describe("an EC2 web server with a classic security group, nested components and a secret admin network", () => {
        it("decrypts the secret with the passphrase, as the passphrase provider does, and refuses its world-open ICMP", () => {
            assert.equal(webServer.code, EXIT.refused, webServer.err);
            const icmp = webServer.json?.violations.filter((v) => v.policy === "no-world-open-icmp") ?? [];
            assert.equal(icmp.length, 1, webServer.out);
            assert.deepEqual(webServer.json?.unchecked, []);
        });

        it("names the nested security group with its ancestors' whole qualified types, as the engine does", () => {
            const urn = webServer.json?.violations.find((v) => v.policy === "no-world-open-icmp")?.urn;
            assert.equal(
                urn,
                "urn:pulumi:dev::ec2-webserver::acme:web:WebServer$acme:web:Firewall$aws:ec2/securityGroup:SecurityGroup::www-firewall-sg",
            );
        });
    });

    describe("a static website written as an ES module", () => {
        it("loads as the language host loads ES modules, and registers its site", () => {
            assert.ifError(website.error);
            const types = website.run?.resources.map((r) => r.type);
            assert.ok(types?.includes(AWS_TYPES.bucket));
            assert.ok(types?.includes(FIXTURE_TYPES.bucketWebsite));
        });
    });

    describe("an awsx v2 VPC, a remote component, under --strict", () => {
        it("lists the component under Not judged, and exits 2 because of it", () => {
            assert.equal(awsxStrict.code, EXIT.failed, awsxStrict.out);
            assert.match(
                awsxStrict.out,
                /^Not judged \(1\)[^\n]*\n +\? \[remote-component\] urn:pulumi:dev::awsx-vpc::awsx:ec2:Vpc::main\n +a remote component/m,
            );
            assert.match(awsxStrict.err, /--strict: 1 item not judged/);
            assert.match(awsxStrict.out, /^Not passed \(--strict\): /m);
            assert.doesNotMatch(awsxStrict.out, /^Passed/m);
        });

        it("says so in the JSON report: not passed, the error, and the component in unchecked", () => {
            const json = awsxStrict.json;
            assert.equal(json?.passed, false);
            assert.match(json?.error ?? "", /--strict/);
            assert.deepEqual(
                json?.unchecked.map((u) => [u.kind, u.subject]),
                [["remote-component", "urn:pulumi:dev::awsx-vpc::awsx:ec2:Vpc::main"]],
            );
        });

        it("says so in the SARIF log: an invocation that did not succeed, the error as its notification", () => {
            const invocation = awsxStrict.sarif?.runs[0].invocations?.[0];
            assert.equal(invocation?.executionSuccessful, false);
            const error = invocation?.toolExecutionNotifications?.[0];
            assert.equal(error?.level, "error");
            assert.match(error?.message.text ?? "", /--strict: 1 item not judged/);
        });
    });

    describe("Fargate on the default VPC, its image from another stack", () => {
        it("runs the service in the default VPC's subnets, behind its default security group", () => {
            assert.ifError(fargate.error);
            const service = fargate.run?.resources.find((r) => r.type === FIXTURE_TYPES.ecsService);
            const network = service?.inputs.networkConfiguration as { subnets: string[]; securityGroups: string[] };
            assert.equal(network.subnets.length, 3);
            assert.ok(network.subnets.every((id) => /^subnet-[0-9a-f]{17}$/.test(id)));
            assert.ok(network.securityGroups.some((id) => /^sg-[0-9a-f]{17}$/.test(id)));
        });

        it("shows a resource read with .get() in the graph as an existing resource, with the id it was read by", () => {
            const logs = fargate.run?.resources.find((r) => r.name === "shared-logs");
            assert.deepEqual([logs?.type, logs?.id, logs?.external], [AWS_TYPES.logGroup, "/ecs/shared", true]);
        });

        it("takes the stack reference's outputs from the answers file, leaving nothing unjudged", () => {
            const task = fargate.run?.resources.find((r) => r.type === FIXTURE_TYPES.ecsTaskDefinition);
            assert.match(String(task?.inputs.containerDefinitions), /dkr\.ecr\.eu-west-1\.amazonaws\.com\/web:1\.4\.2/);
            assert.deepEqual(fargate.run?.unchecked, []);
        });
    });

    describe("hostile programs, checked whole", () => {
        it("refuses the world-open security group a program declares from a timer, as a preview would", () => {
            assert.equal(timer.code, EXIT.refused, timer.err.slice(-2000));
            assert.deepEqual(
                timer.json?.violations.map((v) => [v.policy, v.urn]),
                [["no-world-open-icmp", "urn:pulumi:timer::hostile::aws:ec2/securityGroup:SecurityGroup::late"]],
            );
        });

        it("stops a program that never ends at --timeout, exits 2 and says so in the report", () => {
            assert.equal(interval.code, EXIT.failed);
            assert.match(interval.err, /run time limit of 2 s \(--timeout\)[\s\S]*Timeout/);
            assert.equal(interval.json?.passed, false);
            assert.deepEqual(
                interval.json?.unchecked.map((u) => u.kind),
                ["timeout"],
            );
        });

        it("exits 2 on a type error, with the compiler's message at file:line:column", () => {
            assert.equal(typeError.code, EXIT.failed);
            assert.match(
                typeError.err,
                /index\.ts:1:14 - error TS2322: Type 'string' is not assignable to type 'number'/,
            );
        });
    });
});
