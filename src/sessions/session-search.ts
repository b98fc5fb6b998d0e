/** What a session search can be served by: pg_trgm's indexes need a trigram in the search. */

/**
 * Whether pg_trgm can narrow a search for `text` (three letters or digits in a row): a shorter
 * word yields no trigram, and a trigram index would be read whole.
 */
export const hasTrigram = (text: string) => /[\p{L}\p{N}]{3}/u.test(text);

/**
 * How far totalCount counts a search without a trigram ("ab"). No index narrows it, so counting
 * tests the rows one by one, each with its user: up to 1,000 cost several times the page itself
 * (figures: bench/RESULTS.md, issue 16). Beyond this many, totalCount is this number and
 * totalCountIsExact is false ("100+").
 */
export const SHORT_SEARCH_COUNT_BOUND = 100;
