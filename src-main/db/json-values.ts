// A list of values bound as one parameter, for `IN`: `(SELECT value FROM
// json_each(?))`. One statement serves every length of list (no statement per
// count of placeholders) and no list is too long for SQLite's parameter limit.
import { sql, type RawBuilder } from 'kysely'

export const jsonValues = <T extends string | number = string>(values: readonly T[]): RawBuilder<T> =>
  jsonTextValues<T>(JSON.stringify(values))

/** The same for a list already written as JSON text: a placeholder of a prepared query can stand for it. */
export const jsonTextValues = <T extends string | number = string>(json: string): RawBuilder<T> =>
  sql<T>`(SELECT value FROM json_each(${json}))`
