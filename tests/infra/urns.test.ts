import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { devStackRun, registrationsOf, ROOT } from "../helpers/pulumi";
import { identityOf, parentsOf, Registration } from "../helpers/registrations";
import { parseTree, renderTree, treeDifferences } from "../helpers/resourceTree";

/**
 * The engine builds a URN from the resource's type, its logical name and its parent's type chain
 * (pkg/resource/urn.go, NewURN); a changed URN is a different resource, so `pulumi up` would delete
 * the deployed one and create another. These pins make any such change a failing test.
 */
const PINNED = path.join(ROOT, "tests", "fixtures", "infra", "devStackResources.txt");

describe("the dev stack's URNs", () => {
    let registrations: readonly Registration[];

    before(async () => {
        registrations = registrationsOf((await devStackRun()).mocks);
    });

    it("keeps the type, logical name and parent of every resource pinned in the fixture", () => {
        const actual = parentsOf(registrations);
        const differences = treeDifferences(parseTree(fs.readFileSync(PINNED, "utf8")), actual);
        assert.deepEqual(
            differences,
            [],
            `the dev stack's resources differ from ${path.relative(ROOT, PINNED)}:\n  ${differences.join("\n  ")}\n` +
                `as a tree now:\n${renderTree(actual)}`,
        );
    });

    it("registers each URN once", () => {
        const seen = registrations.map(identityOf);
        assert.deepEqual(
            seen.filter((identity, index) => seen.indexOf(identity) !== index),
            [],
        );
    });
});

describe("the URN pin's tree", () => {
    const pinned = parseTree("a A\n  b B\n    c C\nd D\n");

    it("reads indentation as parenthood", () => {
        assert.deepEqual(
            [...pinned],
            [
                ["a A", ""],
                ["b B", "a A"],
                ["c C", "b B"],
                ["d D", ""],
            ],
        );
    });

    it("names what was added, removed and moved", () => {
        const actual = new Map([
            ["a A", ""],
            ["b B", ""],
            ["c C", "b B"],
            ["e E", "a A"],
        ]);
        assert.deepEqual(treeDifferences(pinned, actual), [
            "changed parent: b B moved from a A to the stack",
            "added: e E (under a A)",
            "removed: d D (was under the stack)",
        ]);
    });

    it("renders what it reads", () => {
        assert.equal(renderTree(pinned), "a A\n  b B\n    c C\nd D\n");
    });
});
