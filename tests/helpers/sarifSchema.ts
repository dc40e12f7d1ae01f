import * as fs from "fs";
import * as path from "path";
import Ajv04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import type { Log } from "sarif";
import { ROOT } from "./pulumi";

/**
 * SARIF checked twice: against the official 2.1.0 JSON schema (tests/fixtures/sarif, draft-04,
 * formats such as `uri-reference` enforced), and against what GitHub code scanning lists as
 * required beyond the schema.
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */

const SCHEMA = path.join(ROOT, "tests", "fixtures", "sarif", "sarif-schema-2.1.0.json");

let validator: ((log: unknown) => string[]) | undefined;

/** The schema's complaints about `log`, one line each; empty when it conforms. */
export function schemaErrors(log: unknown): string[] {
    if (!validator) {
        const ajv = new Ajv04({ allErrors: true, strict: false, code: { optimize: false } });
        addFormats(ajv);
        const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, "utf8")));
        validator = (value) =>
            validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
    }
    return validator(log);
}

/** What GitHub requires that the schema leaves optional, one line per gap; empty when none. */
export function gitHubGaps(log: Log): string[] {
    const gaps: string[] = [];
    for (const [r, run] of log.runs.entries()) {
        if (!run.tool.driver.name) gaps.push(`runs[${r}].tool.driver.name`);
        if (!run.results) gaps.push(`runs[${r}].results`);
        for (const rule of run.tool.driver.rules ?? []) {
            for (const [key, value] of Object.entries({
                shortDescription: rule.shortDescription?.text,
                fullDescription: rule.fullDescription?.text,
                help: rule.help?.text,
            }))
                if (!value) gaps.push(`rule ${rule.id}: ${key}.text`);
        }
        for (const [i, result] of (run.results ?? []).entries()) {
            const where = `runs[${r}].results[${i}] (${result.ruleId})`;
            if (!result.message.text) gaps.push(`${where}: message.text`);
            if (!result.partialFingerprints?.primaryLocationLineHash)
                gaps.push(`${where}: partialFingerprints.primaryLocationLineHash`);
            const physical = result.locations?.[0]?.physicalLocation;
            if (!physical?.artifactLocation?.uri)
                gaps.push(`${where}: locations[0].physicalLocation.artifactLocation.uri`);
            const region = physical?.region;
            for (const key of ["startLine", "endLine", "startColumn", "endColumn"] as const)
                if (typeof region?.[key] !== "number") gaps.push(`${where}: region.${key}`);
        }
    }
    return gaps;
}
