import { Client } from "pg";

/** A plain pg client on the test database, connected before the file's tests and closed after. */
export function useDatabaseClient(): () => Client {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
  });
  return () => client;
}
