// The url family: how SkillFlaw's SQLAlchemy layer and libpq's URI parser read the URL, in report order.
import dialect from "./dialect.js";
import optionsOverridden from "./options-overridden.js";
import passwordGuessable from "./password-guessable.js";
import passwordPresent from "./password-present.js";
import passwordUnescaped from "./password-unescaped.js";
import sqlalchemyParse from "./sqlalchemy-parse.js";

export const URL_RULES = [
  passwordUnescaped,
  sqlalchemyParse,
  dialect,
  optionsOverridden,
  passwordGuessable,
  passwordPresent,
] as const;
