import { strict as assert } from "assert";
import { EXIT, main, timerSeconds } from "../../checker/cli";

/** Flags refused before anything runs: cheap, no program and no pack started. */

describe("the checker's timeout flags", () => {
    const refused: { value: string; why: string }[] = [
        { value: "1e999", why: "Infinity, which setTimeout fires at once" },
        { value: "2147484", why: "more than setTimeout holds (2^31 - 1 ms)" },
        { value: "0", why: "zero" },
        { value: "-5", why: "negative" },
        { value: "soon", why: "not a number" },
        { value: "", why: "empty" },
    ];
    for (const flag of ["timeout", "analyzer-timeout"]) {
        for (const c of refused) {
            it(`refuses --${flag} ${JSON.stringify(c.value)}: ${c.why}, naming the flag`, () => {
                assert.throws(
                    () => timerSeconds(flag, c.value),
                    new RegExp(`^Error: --${flag} "${c.value}": expected`),
                );
            });
        }
        it(`takes --${flag} up to what setTimeout holds, in seconds`, () => {
            assert.equal(timerSeconds(flag, "2147483"), 2147483);
            assert.equal(timerSeconds(flag, "0.5"), 0.5);
            assert.equal(timerSeconds(flag, undefined), undefined);
        });
    }

    it("exits 2 with the message before running anything", async () => {
        const err: string[] = [];
        const io = { out: { write: () => true }, err: { write: (text: string) => err.push(text) } };
        assert.equal(await main(["--stack", "dev", "--timeout", "1e999"], io), EXIT.failed);
        assert.match(
            err.join(""),
            /^error: --timeout "1e999": expected a number of seconds above 0 and at most 2147483/,
        );
    });
});
