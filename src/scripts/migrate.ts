// Applies drizzle/ migrations to DATABASE_URL, or to the embedded database in DATA_DIR.
import { openDatabase } from "../deps";
import { loadEnv } from "../env";

const env = loadEnv();
const database = await openDatabase(env);
await database.migrate();
await database.close();
console.log(`migrations applied (${database.kind})`);
