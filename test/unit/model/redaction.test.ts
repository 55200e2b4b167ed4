// Texts from outside are scrubbed for the secrets of their own run, as whole tokens, and never inside a value the
// report shows anyway (a path, the user, the host).
import { describe, expect, it } from "vitest";
import { EXTERNAL_TEXT_FIELDS, makeRunScrubber, scrubFields } from "../../../src/model/redaction.js";

describe("makeRunScrubber", () => {
  it("masks a secret where it stands as a token, in its raw, percent-encoded and JSON-escaped spellings", () => {
    const scrub = makeRunScrubber({ secrets: ['s3cr/t"x'] });
    expect(scrub('got s3cr/t"x and s3cr%2Ft%22x and s3cr/t\\"x')).toBe("got ******** and ******** and ********");
  });

  it("leaves a secret alone inside a longer word, so vocabulary survives (password `mode`, text `sslmode`)", () => {
    const scrub = makeRunScrubber({ secrets: ["mode"] });
    expect(scrub('invalid sslmode value: "mode"')).toBe('invalid sslmode value: "********"');
  });

  it("never masks inside a shown value, and not at all when the secret is one", () => {
    const path = "/root/.postgresql/root.crt";
    const scrub = makeRunScrubber({ secrets: ["root"], shown: [path, "app"] });
    expect(scrub(`could not open ${path}: root said no`)).toBe(`could not open ${path}: ******** said no`);
    const same = makeRunScrubber({ secrets: ["app"], shown: ["app"] });
    expect(same('password authentication failed for user "app"')).toBe('password authentication failed for user "app"');
  });

  it("masks a misread piece wherever it occurs, and ignores secrets shorter than 4 characters", () => {
    const scrub = makeRunScrubber({ secrets: ["p"], tainted: ["ss@localhost"] });
    expect(scrub('could not translate host name "ss@localhost" to address: prefer')).toBe(
      'could not translate host name "********" to address: prefer',
    );
  });

  it("scrubs only the external-text fields of a value", () => {
    const scrub = makeRunScrubber({ secrets: ["hunter22"] });
    const value = {
      sslmode: "require",
      path: "/x/hunter22/k.pem",
      message: "echo hunter22",
      nested: [{ reason: "hunter22" }],
    };
    expect(scrubFields(value, EXTERNAL_TEXT_FIELDS, scrub)).toEqual({
      sslmode: "require",
      path: "/x/hunter22/k.pem",
      message: "echo ********",
      nested: [{ reason: "********" }],
    });
  });
});
