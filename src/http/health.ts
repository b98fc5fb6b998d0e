import express, { type Router } from "express";
import { systemQuery, type Database } from "../access";
import { withoutStatementTally } from "../db/statement-counter";

/** /healthz: the process answers. /readyz: the database answers within a second. */
export function healthRouter(database: Database): Router {
  const router = express.Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    try {
      await withoutStatementTally(() =>
        Promise.race([
          systemQuery(database, "health: whether the database answers", "SELECT 1"),
          new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 1000).unref()),
        ]),
      );
      res.json({ status: "ready" });
    } catch {
      res.status(503).json({ status: "unavailable", reason: "database unreachable" });
    }
  });
  return router;
}
