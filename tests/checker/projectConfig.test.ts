import { strict as assert } from "assert";
import { mergeProjectConfig, StackValue } from "../../checker/program/projectConfig";

const merge = (declared: Record<string, unknown>, stack: Record<string, unknown> = {}) =>
    Object.fromEntries(
        mergeProjectConfig(
            "Pulumi.yaml",
            "web",
            "dev",
            declared,
            new Map<string, StackValue>(Object.entries(stack).map(([k, v]) => [k, { value: v, secure: false }])),
        ),
    );

// The CLI's rules: pkg/workspace/config.go (mergeConfig, validateStackConfigValue) and
// sdk/go/common/workspace/project.go (RewriteShorthandConfigValues, Project.Validate, project.json).
describe("project-level config in Pulumi.yaml, as the CLI reads it", () => {
    it("gives a project key's default and another namespace's value when the stack has none; stack values win", () => {
        const merged = merge(
            { instanceType: "t3.micro", replicas: { type: "integer", default: 2 }, "aws:region": "eu-west-1" },
            { "web:replicas": 3 },
        );
        assert.deepEqual(
            [merged["web:instanceType"].value, merged["web:replicas"].value, merged["aws:region"].value],
            ["t3.micro", 3, "eu-west-1"],
        );
    });

    const refusals: {
        name: string;
        declared: Record<string, unknown>;
        stack?: Record<string, unknown>;
        error: RegExp;
    }[] = [
        {
            name: "a misspelled attribute of a declaration",
            declared: { replicas: { type: "integer", defualt: 2 } },
            error: /config 'replicas' has unknown attribute 'defualt'/,
        },
        {
            name: "a required key the stack does not set",
            declared: { replicas: { type: "integer" } },
            error: /Stack 'dev' is missing configuration value 'replicas'/,
        },
        {
            name: "a stack value of the wrong type",
            declared: { replicas: { type: "integer" } },
            stack: { "web:replicas": "three" },
            error: /Stack 'dev' with configuration key 'replicas' must be of type 'integer'/,
        },
        {
            name: "a list item of the wrong type",
            declared: { cidrs: { type: "array", items: { type: "string" } } },
            stack: { "web:cidrs": ["10.0.0.0/16", 7] },
            error: /must be of type 'List<string>'/,
        },
        {
            name: "a secret declaration the stack sets in plain text",
            declared: { token: { type: "string", secret: true } },
            stack: { "web:token": "abc" },
            error: /configuration key 'token' must be encrypted as it's secret/,
        },
        {
            name: "a default on another namespace's key",
            declared: { "aws:region": { default: "eu-west-1" } },
            error: /Did you mean to use the 'value' attribute instead of 'default'\?/,
        },
    ];
    for (const c of refusals)
        it(`refuses ${c.name}, naming the file and key`, () => {
            assert.throws(
                () => merge(c.declared, c.stack),
                (e: Error) => e.message.startsWith("Pulumi.yaml: ") && c.error.test(e.message),
            );
        });
});
