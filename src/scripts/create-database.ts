// `bun run src/scripts/create-database.ts ADMIN_URL NAME [--drop]`: creates (or drops) a
// database on a PostgreSQL server; CI uses it to migrate a fresh database each run.
import postgres from "postgres";

const [adminUrl, name] = process.argv.slice(2);
if (!adminUrl || !name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: create-database.ts ADMIN_URL NAME [--drop] (NAME: a-z, 0-9, _)");
  process.exit(2);
}
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
try {
  if (process.argv.includes("--drop")) {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } else {
    await admin.unsafe(`create database "${name}"`);
    console.log(`created database ${name}`);
  }
} finally {
  await admin.end();
}
