/** The package part of every component's type token: `<package>:<module>:<Type>`. */
export const PACKAGE = "vpc-flow-monitoring";

export function typeToken(module: string, type: string): string {
    return `${PACKAGE}:${module}:${type}`;
}

/** Tags as the conventions merge them: common, then the caller's, then the resource's own `Name`. */
export function nameTags(name: string, tags: Readonly<Record<string, string>> = {}): Record<string, string> {
    return { ...tags, Name: name };
}
