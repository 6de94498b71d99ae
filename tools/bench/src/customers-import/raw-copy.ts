import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * The floor an import is measured against: the same file COPYed as it is into a bare table (text
 * columns, no index, no constraint), seconds taken.
 */
export async function rawCopySeconds(databaseUrl: string, path: string, columns: number): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const names = Array.from({ length: columns }, (_, index) => `c${index + 1} text`);
    await client.query(`DROP TABLE IF EXISTS bench_import_raw`);
    await client.query(`CREATE TABLE bench_import_raw (${names.join(', ')})`);
    const started = performance.now();
    await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), client.query(copyFrom(`COPY bench_import_raw FROM STDIN WITH (FORMAT csv, HEADER true)`)));
    const seconds = (performance.now() - started) / 1000;
    await client.query(`DROP TABLE bench_import_raw`);
    return seconds;
  } finally {
    await client.end();
  }
}
