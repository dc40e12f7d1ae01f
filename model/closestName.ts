import { distance } from "fastest-levenshtein";

/**
 * "Did you mean …?" for every misspelt name the project reports: stack config keys, policy
 * settings, policy and instance names. One measure for all: Levenshtein distance (fastest-levenshtein)
 * ignoring case, over names cut to {@link NAME_LIMIT} characters, so a hostile 10 MB key costs no
 * more than a long name.
 */

/** Names are compared on at most this many characters. */
export const NAME_LIMIT = 64;

/** Edits (insertions, deletions, substitutions) between two names, ignoring case. */
export function nameDistance(a: string, b: string): number {
    return distance(a.slice(0, NAME_LIMIT).toLowerCase(), b.slice(0, NAME_LIMIT).toLowerCase());
}

/**
 * The known name closest to `name`, the first one on ties; `undefined` when there is none or, with
 * `within`, when even the closest needs more edits than that.
 */
export function closestName(name: string, known: readonly string[], within = Infinity): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of known) {
        const edits = nameDistance(name, candidate);
        if (edits < bestDistance) [best, bestDistance] = [candidate, edits];
    }
    return bestDistance <= within ? best : undefined;
}

/** How many edits still read as a slip of the keyboard rather than another name: 2, or a third of the name. */
export function slipAllowance(name: string): number {
    return Math.max(2, Math.floor(Math.min(name.length, NAME_LIMIT) / 3));
}
