/**
 * A stack's resources as an indented tree, one `<type> <logical name>` a line, each under its
 * parent: the three things the engine builds a URN from, in a form a reviewer reads at a glance.
 */

/** Identity (`<type> <name>`) to its parent's identity, "" for the stack. */
export type ParentMap = ReadonlyMap<string, string>;

/** Renders the tree, children in the order given. */
export function renderTree(parents: ParentMap): string {
    const children = new Map<string, string[]>();
    for (const [child, parent] of parents) children.set(parent, [...(children.get(parent) ?? []), child]);
    const lines: string[] = [];
    const walk = (parent: string, depth: number) => {
        for (const child of children.get(parent) ?? []) {
            lines.push(`${"  ".repeat(depth)}${child}`);
            walk(child, depth + 1);
        }
    };
    walk("", 0);
    return `${lines.join("\n")}\n`;
}

/** Reads a rendered tree back; `#` starts a comment line. */
export function parseTree(text: string): Map<string, string> {
    const parents = new Map<string, string>();
    const path: string[] = [];
    for (const line of text.split("\n")) {
        if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
        const indent = line.length - line.trimStart().length;
        if (indent % 2 !== 0 || indent / 2 > path.length) throw new Error(`bad indentation: ${JSON.stringify(line)}`);
        const depth = indent / 2;
        const identity = line.trim();
        if (parents.has(identity)) throw new Error(`listed twice: ${identity}`);
        path.length = depth;
        parents.set(identity, path[depth - 1] ?? "");
        path.push(identity);
    }
    return parents;
}

/** What differs between a pinned tree and an actual one, one line each; empty when they agree. */
export function treeDifferences(pinned: ParentMap, actual: ParentMap): string[] {
    const shown = (parent: string | undefined) => (parent ? parent : "the stack");
    const out: string[] = [];
    for (const [identity, parent] of actual) {
        if (!pinned.has(identity)) out.push(`added: ${identity} (under ${shown(parent)})`);
        else if (pinned.get(identity) !== parent)
            out.push(`changed parent: ${identity} moved from ${shown(pinned.get(identity))} to ${shown(parent)}`);
    }
    for (const [identity, parent] of pinned) {
        if (!actual.has(identity)) out.push(`removed: ${identity} (was under ${shown(parent)})`);
    }
    return out;
}
