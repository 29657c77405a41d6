import { index, pgTable, text } from "drizzle-orm/pg-core";

/**
 * Every word (full-text lexeme) that occurs in a part's search text, for correcting typos:
 * trigram similarity over these few short words is far cheaper than over every part. A
 * statement trigger on parts adds new words (migration 0009_search_triggers); words of
 * changed or deleted parts stay, and merely find nothing. GiST rather than GIN: on short
 * words the GIN scan lost to a sequential scan in the planner's eyes (40 ms at 15k words).
 */
export const searchWordsTable = pgTable(
  "search_words",
  { word: text("word").primaryKey() },
  (t) => [index("search_words_word_trgm_idx").using("gist", t.word.op("gist_trgm_ops"))],
);
