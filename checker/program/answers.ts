import * as fs from "fs";
import { parseDocument } from "yaml";
import { z } from "zod";

/**
 * The answers file (`--answers FILE`, YAML or JSON): what the offline check cannot know and the
 * user can tell it. One format:
 *
 * ```yaml
 * invokes:                          # provider functions, by token
 *   aws:ec2/getVpc:getVpc:
 *     - args: { id: vpc-0123456789abcdef0 }   # optional: matches calls whose inputs include these
 *       result: { id: vpc-0123456789abcdef0, cidrBlock: 10.20.0.0/16 }
 * stackReferences:                  # the outputs of other stacks, by stack name as the program spells it
 *   acme/network/prod:
 *     vpcId: vpc-0123456789abcdef0
 * ```
 *
 * An answer for an invoke wins over the checker's built-in mocks; calls none of them answer fail
 * the run, naming the token.
 */

const TOKEN = /^[^:]+:[^:]*:[^:]+$/;

const InvokeAnswer = z.strictObject({
    args: z.record(z.string(), z.unknown()).optional(),
    result: z.record(z.string(), z.unknown()),
});

export const AnswersSchema = z.strictObject({
    invokes: z.record(z.string(), z.array(InvokeAnswer)).default({}),
    stackReferences: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
});

export type Answers = z.infer<typeof AnswersSchema>;

export const NO_ANSWERS: Answers = { invokes: {}, stackReferences: {} };

/** Reads and validates an answers file; every problem in one message, each naming its path. */
export function readAnswers(file: string): Answers {
    const document = parseDocument(fs.readFileSync(file, "utf8"), { prettyErrors: true });
    if (document.errors.length > 0)
        throw new Error(`${file}: not valid YAML or JSON:\n${document.errors.map((e) => e.message).join("\n")}`);
    const raw = document.toJS() ?? {};
    const parsed = AnswersSchema.safeParse(raw);
    const invokes = typeof raw.invokes === "object" && raw.invokes !== null ? Object.keys(raw.invokes) : [];
    const problems = [
        ...invokes
            .filter((token) => !TOKEN.test(token))
            .map((token) => `  - invokes.${token}: an invoke token is package:module:function`),
        ...(parsed.error?.issues ?? []).map((i) => `  - ${i.path.join(".") || "(top level)"}: ${i.message}`),
    ];
    if (!parsed.success || problems.length > 0) {
        throw new Error(
            `${file} is not a valid answers file:\n${problems.join("\n")}\n` +
                "It takes `invokes: { <token>: [{ args?, result }] }` and `stackReferences: { <stack>: { <output>: value } }`.",
        );
    }
    return parsed.data!;
}

/** Whether every key of `pattern` has the same value in `value` (deeply, for objects). */
function includes(value: unknown, pattern: unknown): boolean {
    if (pattern === null || typeof pattern !== "object") return value === pattern;
    if (value === null || typeof value !== "object") return false;
    if (Array.isArray(pattern))
        return (
            Array.isArray(value) && value.length === pattern.length && pattern.every((p, i) => includes(value[i], p))
        );
    return Object.entries(pattern).every(([key, item]) => includes((value as Record<string, unknown>)[key], item));
}

/** The user's answer for an invoke, the first whose `args` the call's inputs include. */
export function answerInvoke(
    answers: Answers,
    token: string,
    inputs: Record<string, unknown>,
): Record<string, unknown> | undefined {
    return answers.invokes[token]?.find((a) => a.args === undefined || includes(inputs, a.args))?.result;
}
