// The group-by of group_stats (examples/group_stats.cpp) in DuckDB, as a benchmark peer for
// scripts/compare-performance: for each distinct first field of a TSV file, the count, exact sum,
// minimum and maximum of the integers in its second field, keys in byte order, written as
// key<TAB>count<TAB>sum<TAB>min<TAB>max lines, the format group_stats writes.
//
// usage: node bench/peers/duckdb_group_by.mjs --threads N [--output FILE] INPUT
//
// Needs @duckdb/node-api in bench/peers/node_modules (scripts/install-deps --bench). DuckDB writes
// the result itself (COPY), so the time is DuckDB's, not that of formatting rows in JavaScript.
// Exit status 0, or 1 with DuckDB's message when the query fails (a line whose value is not a
// BIGINT, a key that is not UTF-8).

import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const usage = 'usage: node duckdb_group_by.mjs --threads N [--output FILE] INPUT';

function sqlString(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

// Fields are read as they are: no quoting or escapes (TSV has none), no sniffing, and no field is
// NULL (the null string is an LF, which no field can hold), so an empty key is a key like any other.
// sum(BIGINT) is a HUGEINT in DuckDB: exact, as group_stats' 128-bit sums. COLLATE "C" orders by
// bytes, as group_stats does.
function query(input, output) {
  const source = `read_csv(${sqlString(input)}, delim='\t', header=false, auto_detect=false,
      quote='', escape='', nullstr='\n', columns={'k': 'VARCHAR', 'v': 'BIGINT'})`;
  return `COPY (SELECT k, count(*), sum(v), min(v), max(v) FROM ${source}
                GROUP BY k ORDER BY k COLLATE "C")
          TO ${sqlString(output)} (FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '')`;
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      options: { threads: { type: 'string' }, output: { type: 'string', default: '/dev/stdout' } },
      allowPositionals: true,
    });
  } catch (error) {
    throw new Error(`${error.message}\n${usage}`);
  }
  const { values, positionals } = parsed;
  const threads = Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1 || positionals.length !== 1) {
    throw new Error(usage);
  }
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await instance.connect();
  await connection.run(query(positionals[0], values.output));
}

main().catch((error) => {
  process.stderr.write(`duckdb_group_by: ${error.message}\n`);
  process.exitCode = 1;
});
