import BetterSqlite3 from 'better-sqlite3';
import { migrate } from '../../electron/core/db/connection';
import { MIGRATIONS } from '../../electron/core/db/migrations';

/**
 * The rows of a vault written today, in a file of an older schema `version`: its tables made by
 * migrations 1 to `version`, each filled with the columns it has from the table (or view) of the
 * same name in `source`. For a migration that changes no row's meaning, these are the rows a vault
 * of that version holds; what the later migrations added is simply left out.
 */
export function intoOlderFormat(source: string, target: string, version: number): void {
  const db = new BetterSqlite3(target);
  try {
    migrate(db, MIGRATIONS.slice(0, version));
    db.pragma('foreign_keys = OFF');
    db.prepare('ATTACH ? AS source').run(source);
    const tables = db.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    db.transaction(() => {
      for (const t of tables) {
        const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(t) as string[]).map((c) => `"${c}"`).join(', ');
        // Emptied first: migration 3 wrote a meta row of its own.
        db.exec(`DELETE FROM main."${t}"; INSERT INTO main."${t}" (${columns}) SELECT ${columns} FROM source."${t}"`);
      }
    })();
    db.exec('DETACH source');
  } finally {
    db.close();
  }
}
