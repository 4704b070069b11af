// A list of values bound as one parameter, for `IN`: `(SELECT value FROM
// json_each(?))`. One statement serves every length of list (no statement per
// count of placeholders) and no list is too long for SQLite's parameter limit.
import { sql, type RawBuilder } from 'kysely'

export const jsonValues = (values: readonly string[]): RawBuilder<string> =>
  sql<string>`(SELECT value FROM json_each(${JSON.stringify(values)}))`
