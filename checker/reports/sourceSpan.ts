import * as fs from "fs";
import type * as TypeScript from "typescript";
import { SourcePosition } from "../program/resourceGraph";

/**
 * The span of the expression that declared a resource, e.g. the whole `new aws.ec2.Vpc("net", {...})`,
 * from the position the Pulumi SDK records (where the constructor was called). Code scanning
 * wants a region with start and end; the compiler's own parser finds the end, whatever the
 * expression spans.
 */

/** 1-based lines and columns; `endColumn` is the column just past the last character, as SARIF counts. */
export interface SourceSpan {
    readonly startLine: number;
    readonly startColumn: number;
    readonly endLine: number;
    readonly endColumn: number;
}

// Loaded on first use: only SARIF needs it, and the compiler takes a while to load.
let ts: typeof TypeScript | undefined;
const parsed = new Map<string, TypeScript.SourceFile | undefined>();

function sourceFile(file: string): TypeScript.SourceFile | undefined {
    if (!parsed.has(file)) {
        let text: string | undefined;
        try {
            text = fs.readFileSync(file, "utf8");
        } catch {
            text = undefined;
        }
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, on the first SARIF written
        ts ??= require("typescript") as typeof TypeScript;
        parsed.set(
            file,
            text === undefined ? undefined : ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true),
        );
    }
    return parsed.get(file);
}

/** The line's own span, from the position to the line's end: all that is known without a parse. */
function lineSpan(position: SourcePosition, lineText?: string): SourceSpan {
    const line = Math.max(position.line, 1);
    const column = Math.max(position.column, 1);
    return {
        startLine: line,
        startColumn: column,
        endLine: line,
        endColumn: Math.max(column + 1, (lineText?.trimEnd().length ?? 0) + 1),
    };
}

/** The span of the call or `new` expression starting at `position` (1-based line and column). */
export function declarationSpan(position: SourcePosition): SourceSpan {
    const file = sourceFile(position.file);
    if (!file || !ts) return lineSpan(position);
    const lines = file.getLineStarts();
    if (position.line < 1 || position.line > lines.length) return lineSpan(position);
    const lineText = file.text.slice(lines[position.line - 1], lines[position.line] ?? file.text.length);
    const offset = lines[position.line - 1] + Math.max(position.column, 1) - 1;
    const compiler = ts;
    let found: TypeScript.Node | undefined;
    const visit = (node: TypeScript.Node): void => {
        if (node.getStart(file) > offset || node.getEnd() <= offset) return;
        const declaring = compiler.isNewExpression(node) || compiler.isCallExpression(node);
        // The outermost such expression starting there: `new X(...)` rather than a call inside it.
        if (declaring && node.getStart(file) === offset && !found) found = node;
        node.forEachChild(visit);
    };
    file.forEachChild(visit);
    if (!found) return lineSpan(position, lineText);
    const end = file.getLineAndCharacterOfPosition(found.getEnd());
    return {
        startLine: position.line,
        startColumn: Math.max(position.column, 1),
        endLine: end.line + 1,
        endColumn: end.character + 1,
    };
}
