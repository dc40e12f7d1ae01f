import { strict as assert } from "assert";
import Ajv from "ajv";
import { AnalyzerInfo, PolicyInfo } from "../../checker/analyzer/analyzerClient";
import { parsePolicyConfigFile, PolicyConfigFile, reconcilePolicyConfig } from "../../checker/analyzer/policyConfig";

/**
 * The pack's settings as the engine applies them: pulumi/pulumi pkg/resource/analyzer/config.go
 * (`parsePolicyPackConfig`, `ReconcilePolicyPackConfig`, `applyConfig`, `validatePolicyPackConfig`).
 */

const FILE = "policy-config.json";
const file = (config: unknown): PolicyConfigFile => parsePolicyConfigFile(JSON.stringify(config), FILE);

const tags: PolicyInfo = {
    name: "instance-required-tags",
    description: "Instances carry their tags.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: { requiredTags: { type: "array", items: { type: "string" }, default: ["owner"] } },
        required: [],
    },
};
const count: PolicyInfo = {
    name: "instance-max-count",
    description: "At most so many instances.",
    enforcementLevel: "advisory",
    configSchema: { properties: { maxInstances: { type: "integer", minimum: 0 } }, required: ["maxInstances"] },
};
const plain: PolicyInfo = { name: "no-world-open-icmp", description: "No ICMP.", enforcementLevel: "mandatory" };

/** A pack like awsguard configured in code with `{ all: "mandatory" }` and a setting it needs. */
const pack = (initialConfig: AnalyzerInfo["initialConfig"] = {}): AnalyzerInfo => ({
    name: "configured-in-code",
    supportsConfig: true,
    policies: [tags, count, plain],
    initialConfig: {
        "instance-max-count": { enforcementLevel: "mandatory", properties: { maxInstances: 5 } },
        ...initialConfig,
    },
});

describe("the policy pack config file, read as the engine reads it", () => {
    it("takes a level as a string, or an object of a level and properties; `environments` apart", () => {
        const parsed = parsePolicyConfigFile(
            JSON.stringify({
                "no-world-open-icmp": "advisory",
                "instance-max-count": { enforcementLevel: "disabled", maxInstances: 2 },
                "instance-required-tags": {},
                environments: ["org/policy-env"],
            }),
            FILE,
        );
        assert.deepEqual(parsed.entries, {
            "no-world-open-icmp": { enforcementLevel: "advisory" },
            "instance-max-count": { enforcementLevel: "disabled", properties: { maxInstances: 2 } },
        });
        assert.deepEqual(parsed.environments, ["org/policy-env"]);
        assert.deepEqual(parsePolicyConfigFile("  \n", FILE).entries, {}, "an empty file is no config");
    });

    const refusals: { name: string; text: string; error: RegExp }[] = [
        {
            name: "text that is not JSON",
            text: "{ all: mandatory }",
            error: /policy pack config policy-config\.json is not JSON: /,
        },
        {
            name: "a JSON array",
            text: '["advisory"]',
            error: /policy-config\.json must be a JSON object keyed by policy name/,
        },
        {
            name: "a level that does not exist",
            text: '{"no-world-open-icmp": "warn"}',
            error: /policy-config\.json: no-world-open-icmp: "warn" is not a valid enforcement level \(one of advisory, mandatory, remediate, disabled\)/,
        },
        {
            name: "a level inside an object that does not exist",
            text: '{"instance-max-count": {"enforcementLevel": 3}}',
            error: /policy-config\.json: instance-max-count: enforcementLevel 3 is not a valid enforcement level/,
        },
        {
            name: "a number for a policy",
            text: '{"all": 1}',
            error: /policy-config\.json: all: 1 is not a valid value/,
        },
    ];
    for (const c of refusals) {
        it(`refuses ${c.name}, naming the file`, () => {
            assert.throws(() => parsePolicyConfigFile(c.text, FILE), c.error);
        });
    }
});

describe("reconciling the pack's settings with the file (ReconcilePolicyPackConfig)", () => {
    const levels = (info: AnalyzerInfo, config?: PolicyConfigFile) => reconcilePolicyConfig(info, config).levels;

    const layering: {
        name: string;
        info: AnalyzerInfo;
        config?: PolicyConfigFile;
        expected: Record<string, string>;
    }[] = [
        {
            name: "the pack's own `all` raises every policy, as awsguard's { all: 'mandatory' } does",
            info: pack({ all: { enforcementLevel: "mandatory" } }),
            expected: {
                "instance-required-tags": "mandatory",
                "instance-max-count": "mandatory",
                "no-world-open-icmp": "mandatory",
            },
        },
        {
            name: "without settings in code or a file, each policy keeps its declared level",
            info: {
                ...pack(),
                initialConfig: {
                    "instance-max-count": { enforcementLevel: "advisory", properties: { maxInstances: 1 } },
                },
            },
            expected: {
                "instance-required-tags": "advisory",
                "instance-max-count": "advisory",
                "no-world-open-icmp": "mandatory",
            },
        },
        {
            name: "the file applies over the pack's settings: its `all` first, then its named entries",
            info: pack({ all: { enforcementLevel: "mandatory" } }),
            config: file({ all: "advisory", "no-world-open-icmp": "disabled" }),
            expected: {
                "instance-required-tags": "advisory",
                "instance-max-count": "advisory",
                "no-world-open-icmp": "disabled",
            },
        },
        {
            name: "a named entry of the pack's settings beats its own `all`",
            info: pack({
                all: { enforcementLevel: "mandatory" },
                "instance-required-tags": { enforcementLevel: "remediate" },
            }),
            expected: {
                "instance-required-tags": "remediate",
                "instance-max-count": "mandatory",
                "no-world-open-icmp": "mandatory",
            },
        },
    ];
    for (const c of layering) {
        it(c.name, () => assert.deepEqual(levels(c.info, c.config), c.expected));
    }

    it("fills in schema defaults, merges the file's properties over the pack's, and sends every policy", () => {
        const { config } = reconcilePolicyConfig(pack(), file({ "instance-max-count": { maxInstances: 9 } }));
        assert.deepEqual(config, {
            "instance-required-tags": { enforcementLevel: "advisory", properties: { requiredTags: ["owner"] } },
            "instance-max-count": { enforcementLevel: "mandatory", properties: { maxInstances: 9 } },
            "no-world-open-icmp": { enforcementLevel: "mandatory", properties: {} },
        });
    });

    const invalid: { name: string; info: AnalyzerInfo; config?: PolicyConfigFile; error: RegExp }[] = [
        {
            name: "a property of the wrong type",
            info: pack(),
            config: file({ "instance-max-count": { maxInstances: "five" } }),
            error: /policy-config\.json[\s\S]*instance-max-count: maxInstances \("five"\) must be integer/,
        },
        {
            name: "a missing required property",
            info: { ...pack(), initialConfig: {} },
            config: file({ all: "mandatory" }),
            error: /policy-config\.json[\s\S]*instance-max-count: maxInstances must have required property 'maxInstances'/,
        },
        {
            name: "a wrong item deep in a property",
            info: pack(),
            config: file({ "instance-required-tags": { requiredTags: ["owner", 7] } }),
            error: /instance-required-tags: requiredTags\/1 \(\["owner",7\]\) must be string/,
        },
        {
            name: "settings the pack itself gets wrong, naming the pack",
            info: {
                ...pack(),
                initialConfig: {
                    "instance-max-count": { enforcementLevel: "advisory", properties: { maxInstances: -1 } },
                },
            },
            error: /policy pack configured-in-code[\s\S]*instance-max-count: maxInstances \(-1\) must be >= 0/,
        },
        {
            name: "an unknown policy given properties but no level (the engine's Configure refuses it)",
            info: pack(),
            config: file({ "instance-tags": { requiredTags: [] } }),
            error: /instance-tags: no enforcement level, and the pack has no such policy/,
        },
        {
            name: "a file for a pack that takes no config",
            info: { ...pack(), supportsConfig: false },
            config: file({ all: "advisory" }),
            error: /policy-config\.json: policy pack configured-in-code does not support config/,
        },
    ];
    for (const c of invalid) {
        it(`refuses ${c.name}, as the engine does`, () => {
            assert.throws(() => reconcilePolicyConfig(c.info, c.config), c.error);
        });
    }

    const schemas: { name: string; property: Record<string, unknown>; value: unknown; error?: RegExp }[] = [
        {
            name: "a string not of its `format` (gojsonschema checks ipv4)",
            property: { type: "string", format: "ipv4" },
            value: "10.0.0.256",
            error: /cidrBase \("10\.0\.0\.256"\) must match format "ipv4"/,
        },
        { name: "a string of its `format`", property: { type: "string", format: "ipv4" }, value: "10.0.0.1" },
        {
            name: "a draft-04 boolean exclusiveMinimum, which gojsonschema reads (hybrid draft)",
            property: { type: "integer", minimum: 0, exclusiveMinimum: true },
            value: 0,
            error: /cidrBase \(0\) must be > 0/,
        },
        {
            name: "a value within a draft-04 exclusive bound",
            property: { type: "integer", minimum: 0, exclusiveMinimum: true },
            value: 1,
        },
        {
            name: "a draft-06 numeric exclusiveMinimum",
            property: { type: "integer", exclusiveMinimum: 0 },
            value: 0,
            error: /cidrBase \(0\) must be > 0/,
        },
        {
            name: "a schema no validator reads, as gojsonschema.Validate's error",
            property: { type: "nonsense" },
            value: "x",
            error: /with-schema: unable to validate schema: schema is invalid/,
        },
    ];
    for (const c of schemas) {
        it(`${c.error ? "refuses" : "takes"} ${c.name}`, () => {
            const info: AnalyzerInfo = {
                name: "schemas",
                supportsConfig: true,
                policies: [
                    {
                        name: "with-schema",
                        description: "Has a schema.",
                        enforcementLevel: "advisory",
                        configSchema: { properties: { cidrBase: c.property }, required: [] },
                    },
                ],
            };
            const run = () => reconcilePolicyConfig(info, file({ "with-schema": { cidrBase: c.value } }));
            if (c.error) assert.throws(run, c.error);
            else assert.doesNotThrow(run);
        });
    }

    it("ignores a format gojsonschema does not know, silently, and compiles each schema once", () => {
        const info: AnalyzerInfo = {
            name: "unknown-format",
            supportsConfig: true,
            policies: [
                {
                    name: "with-format",
                    description: "Has an unknown format.",
                    enforcementLevel: "advisory",
                    configSchema: { properties: { block: { type: "string", format: "cidr-block" } }, required: [] },
                },
            ],
        };
        const logged: unknown[] = [];
        const compile = Ajv.prototype.compile;
        let compiles = 0;
        const warn = console.warn;
        console.warn = (...args: unknown[]) => logged.push(args);
        Ajv.prototype.compile = function (this: Ajv, ...args: Parameters<Ajv["compile"]>) {
            compiles++;
            return compile.apply(this, args);
        } as Ajv["compile"];
        try {
            for (let i = 0; i < 3; i++) reconcilePolicyConfig(info, file({ "with-format": { block: "not a cidr" } }));
        } finally {
            console.warn = warn;
            Ajv.prototype.compile = compile;
        }
        assert.deepEqual(logged, []);
        assert.equal(compiles, 1);
    });

    const ignored: { name: string; config: PolicyConfigFile; warning: RegExp }[] = [
        {
            name: "an unknown property, with the closest known one",
            config: file({ "instance-required-tags": { requiredTag: ["team"] } }),
            warning:
                /policy-config\.json: instance-required-tags: unknown property requiredTag \(did you mean requiredTags\?\)/,
        },
        {
            name: "a property for a policy that takes none",
            config: file({ "no-world-open-icmp": { externalCidrs: [] } }),
            warning: /no-world-open-icmp: unknown property externalCidrs; the policy takes no properties/,
        },
        {
            name: "an unknown policy, with the closest known one",
            config: file({ "no-world-open-icm": "advisory" }),
            warning:
                /policy-config\.json: no-world-open-icm: the pack has no such policy \(did you mean no-world-open-icmp\?\); the engine ignores it/,
        },
    ];
    for (const c of ignored) {
        it(`warns of ${c.name}, and changes nothing the engine would not`, () => {
            const { warnings, levels: inForce } = reconcilePolicyConfig(pack(), c.config);
            assert.equal(warnings.length, 1);
            assert.match(warnings[0], c.warning);
            assert.deepEqual(inForce, reconcilePolicyConfig(pack()).levels);
        });
    }

    it("reads a setting given in code without a level as advisory, as the engine reads the wire format", () => {
        // makeAnalyzerInfo leaves the level unset (0, ADVISORY); convertPolicyConfig reads advisory.
        const info = pack({ all: { enforcementLevel: "mandatory" } });
        assert.equal(
            levels({
                ...info,
                initialConfig: {
                    ...info.initialConfig,
                    "instance-max-count": { enforcementLevel: "advisory", properties: { maxInstances: 1 } },
                },
            })["instance-max-count"],
            "advisory",
        );
    });
});
