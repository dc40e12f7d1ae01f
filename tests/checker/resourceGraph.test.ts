import { strict as assert } from "assert";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { analyzedResource, engineValue, GraphResource, providerUrn } from "../../checker/program/resourceGraph";
import { AWS_TYPES } from "../../model/awsTypes";

const { specialSigKey, specialResourceSig, specialOutputValueSig, specialSecretSig, unknownValue } = rpc;
const sigs = { specialSigKey, specialResourceSig, specialOutputValueSig, specialSecretSig, unknownValue };

describe("the resource graph the checker sends to policies", () => {
    it("gives a resource reference as the engine does: the id of a custom resource, the URN of a component", () => {
        const vpc = { [specialSigKey]: specialResourceSig, urn: "urn:pulumi:dev::p::aws:ec2/vpc:Vpc::a", id: "vpc-1" };
        const component = { [specialSigKey]: specialResourceSig, urn: "urn:pulumi:dev::p::my:Thing::b" };
        assert.deepEqual(engineValue({ vpcId: vpc, nested: [{ owner: component }] }, sigs), {
            vpcId: "vpc-1",
            nested: [{ owner: "urn:pulumi:dev::p::my:Thing::b" }],
        });
    });

    it("unwraps output values, marks unknown ones, and keeps secrets in their envelope", () => {
        const known = { [specialSigKey]: specialOutputValueSig, value: "10.0.0.0/16" };
        const unknown = { [specialSigKey]: specialOutputValueSig };
        const secretOutput = { [specialSigKey]: specialOutputValueSig, value: "s3cret", secret: true };
        const secret = { [specialSigKey]: specialSecretSig, value: "pw" };
        assert.deepEqual(engineValue({ known, unknown, secretOutput, secret }, sigs), {
            known: "10.0.0.0/16",
            unknown: unknownValue,
            secretOutput: { [specialSigKey]: specialSecretSig, value: "s3cret" },
            secret,
        });
    });

    it("reads the provider's URN out of the SDK's provider reference", () => {
        assert.equal(
            providerUrn("urn:pulumi:dev::p::pulumi:providers:aws::eu::0b5c-id"),
            "urn:pulumi:dev::p::pulumi:providers:aws::eu",
        );
        assert.equal(providerUrn(""), undefined);
    });

    it("shows Analyze the inputs and AnalyzeStack the outputs, with parent and dependencies", () => {
        const resource: GraphResource = {
            urn: "urn:pulumi:dev::p::aws:ec2/flowLog:FlowLog::f",
            type: AWS_TYPES.flowLog,
            name: "f",
            custom: true,
            inputs: { iamRoleArn: "arn:aws:iam::1:role/r" },
            state: { iamRoleArn: "arn:aws:iam::1:role/r", arn: "arn:aws:ec2:::vpc-flow-log/fl-1" },
            parent: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev",
            dependencies: ["urn:role"],
            propertyDependencies: { iamRoleArn: ["urn:role"] },
        };
        assert.deepEqual(analyzedResource(resource, "inputs").properties, resource.inputs);
        const stack = analyzedResource(resource, "state");
        assert.deepEqual(stack.properties, resource.state);
        assert.deepEqual(
            [stack.parent, stack.dependencies, stack.propertyDependencies],
            [resource.parent, ["urn:role"], { iamRoleArn: ["urn:role"] }],
        );
    });
});
