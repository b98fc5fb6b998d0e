/** Scoped statements refuse to run without the row predicates they declared. */
import { Role, type Viewer } from "../../src/access";
import { buildScopedStatement } from "../../src/access/statement";

const viewer = (role: Role): Viewer => ({
  organizationId: "00000000-0000-4000-8000-000000000001",
  userId: "00000000-0000-4000-8000-000000000002",
  companyId: null,
  role,
  authenticatedBy: "JWT",
  apiTokenId: null,
});

describe("buildScopedStatement", () => {
  it("numbers each predicate's parameters where the SQL uses them", () => {
    const statement = buildScopedStatement(viewer(Role.MEMBER), { s: "sessions" }, (scope, p) => `SELECT s.id FROM sessions s WHERE s.id = ${p.add("x")} AND ${scope.s}`);
    expect(statement.sql).toBe("SELECT s.id FROM sessions s WHERE s.id = $1 AND (s.organization_id = $2::uuid AND s.user_id = $3::uuid)");
    expect(statement.values).toEqual(["x", viewer(Role.MEMBER).organizationId, viewer(Role.MEMBER).userId]);
  });

  it("refuses a statement that never reads a declared alias's predicate", () => {
    expect(() => buildScopedStatement(viewer(Role.ADMIN), { s: "sessions", a: "activities" }, (scope) => `SELECT 1 FROM sessions s WHERE ${scope.s}`)).toThrow(
      /"a" \(activities\) is never used/,
    );
  });

  it("refuses a statement whose SQL drops a predicate it read", () => {
    expect(() =>
      buildScopedStatement(viewer(Role.ADMIN), { s: "sessions" }, (scope) => {
        void scope.s;
        return "DELETE FROM sessions s";
      }),
    ).toThrow(/"s" \(sessions\) is missing from its SQL/);
  });

  it("gives a role without a rule FALSE (deny by default)", () => {
    const statement = buildScopedStatement(viewer(Role.MEMBER), { t: "attachments" }, (scope) => `SELECT 1 FROM attachments t WHERE ${scope.t}`);
    expect(statement.sql).toBe("SELECT 1 FROM attachments t WHERE FALSE");
  });
});
