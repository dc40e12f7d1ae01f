import { strict as assert } from "assert";
import { matchFields, publishedValue } from "./filterPattern";

/** The documented examples of "Filter pattern syntax", on an Apache-style space-delimited event. */
const EVENT = '127.0.0.1 - frank [10/Oct/2000:13:25:15] "GET /apache_pb.gif" 404 1534';
const EVENT_FIELDS = "127.0.0.1 - frank 10/Oct/2000:13:25:15 GET 404 1534";

describe("filter pattern model", () => {
    const cases = [
        { pattern: "[ip, user, username, timestamp, request, status_code = 404, bytes]", matches: true },
        { pattern: "[ip, user, username, timestamp, request, status_code = 4*, bytes]", matches: true },
        { pattern: "[ip, user, username, timestamp, request, status_code != 404, bytes]", matches: false },
        {
            pattern: "[ip, user, username, timestamp, request, status_code >= 400 && status_code < 500, bytes]",
            matches: true,
        },
        {
            pattern: "[ip, user, username, timestamp, request, status_code = 200 || status_code = 404, bytes]",
            matches: true,
        },
        { pattern: "[ip, user, ..., status_code = 404, bytes > 1000]", matches: true },
        { pattern: '[ip = "127.0.*", ...]', matches: true },
        { pattern: '[ip = "10.*", ...]', matches: false },
        { pattern: "[ip, user, username, timestamp, request, status_code]", matches: false },
    ];
    for (const c of cases)
        it(`${c.matches ? "matches" : "does not match"} with ${c.pattern}`, () =>
            assert.equal(matchFields(c.pattern, EVENT_FIELDS) !== undefined, c.matches));

    it("publishes a field's value or a constant, and nothing on a miss", () => {
        const pattern = "[ip, user, username, timestamp, request, status_code = 404, bytes]";
        assert.equal(publishedValue(pattern, "$bytes", EVENT_FIELDS), 1534);
        assert.equal(publishedValue(pattern, "1", EVENT_FIELDS), 1);
        assert.equal(publishedValue(pattern.replace("404", "500"), "1", EVENT_FIELDS), undefined);
    });

    it("refuses what it does not model instead of guessing", () => {
        assert.throws(() => matchFields("{ $.status = 404 }", EVENT), /not a space-delimited pattern/);
        assert.throws(() => matchFields("[a, b = x && c = 1]", EVENT), /condition on c inside the term of b/);
        assert.throws(() => matchFields("[a, b > high]", "1 2"), /compares numbers/);
    });
});
