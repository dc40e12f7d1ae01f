import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { answerInvoke, readAnswers } from "../../checker/program/answers";
import { AwsMocks, STACK_REFERENCE_TYPE } from "../../checker/program/awsMocks";
import { AWS_INVOKES } from "../../model/awsTypes";
import { PULUMI_UNKNOWN } from "../../model/unknown";

function answersFile(text: string): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "answers-")), "answers.yaml");
    fs.writeFileSync(file, text);
    return file;
}

describe("the answers file", () => {
    it("answers an invoke whose inputs include the answer's args, first match first, over the built-in mocks", () => {
        const answers = readAnswers(
            answersFile(
                [
                    "invokes:",
                    "  aws:ec2/getVpc:getVpc:",
                    "    - args: { id: vpc-1 }",
                    "      result: { id: vpc-1, cidrBlock: 10.20.0.0/16 }",
                    "    - result: { id: vpc-any, cidrBlock: 10.99.0.0/16 }",
                ].join("\n"),
            ),
        );
        assert.equal(answerInvoke(answers, AWS_INVOKES.getVpc, { id: "vpc-1", tags: {} })?.cidrBlock, "10.20.0.0/16");
        const mocks = new AwsMocks({ region: "eu-west-1", answers });
        assert.equal(mocks.call({ token: AWS_INVOKES.getVpc, inputs: { default: true }, provider: "" }).id, "vpc-any");
    });

    it("refuses a malformed file with every problem, each at its path", () => {
        const file = answersFile("invokes:\n  getVpc:\n    - reslt: {}\nstackRefs: {}\n");
        assert.throws(
            () => readAnswers(file),
            (e: Error) =>
                /invokes\.getVpc: an invoke token is package:module:function/.test(e.message) &&
                /invokes\.getVpc\.0/.test(e.message) &&
                /stackRefs/.test(e.message),
        );
    });

    it("gives a stack reference its outputs, or leaves them unknown and says which stack had none", () => {
        const answers = readAnswers(answersFile("stackReferences:\n  acme/net/prod:\n    vpcId: vpc-9\n"));
        const mocks = new AwsMocks({ region: "eu-west-1", answers });
        const ref = (name: string) =>
            mocks.newResource({ type: STACK_REFERENCE_TYPE, name, inputs: { name }, custom: true, id: name });
        assert.deepEqual(ref("acme/net/prod").state.outputs, { vpcId: "vpc-9" });
        assert.equal(ref("acme/net/dev").state.outputs, PULUMI_UNKNOWN);
        assert.deepEqual(mocks.unansweredStackReferences, ["acme/net/dev"]);
    });
});
