/**
 * Export files behind signed URLs: downloadable only once complete, refused when tampered with
 * or expired (403) or gone (404), checked against rotated keys, and swept after retention.
 */
import { newSigningKeySpec, parseSigningKeys, sign } from "../../src/shared/signing";
import { ExportByIdDocument, ExportUsersDocument, UserColumn } from "../generated/graphql";
import { download, finished } from "../support/exports";
import { useWorld } from "../support/world";

const OLD_KEY = newSigningKeySpec("old");
const NEW_KEY = newSigningKeySpec("new");
// Rotation in progress: the new key signs, the old one is still accepted. The mutation does
// not wait for its job, so the first answer shows the export before it is complete.
const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 0 }, { signingKeys: [NEW_KEY, OLD_KEY], signingKeyId: "new", exportWaitMs: 0 });

async function completedExport() {
  const client = t.world.clients.asAdmin;
  const asked = (await client.data(ExportUsersDocument, { columns: [UserColumn.USER_ID, UserColumn.EMAIL] })).exportUsers;
  return { asked, done: await finished(async () => (await client.data(ExportByIdDocument, { id: asked.id })).export!) };
}

const withParam = (url: string, name: string, value: string) => {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
};
const signedUrl = (spec: string, pathname: string, expiresAt: Date) => {
  const s = sign(parseSigningKeys(spec), "GET", pathname, expiresAt);
  return `${t.gateway.url}${pathname}?expires=${s.expires}&kid=${s.kid}&sig=${s.sig}`;
};

describe("export downloads", () => {
  it("has no URL until the job completes, then serves the whole file with its checksum", async () => {
    const { asked, done } = await completedExport();
    expect(["QUEUED", "RUNNING"]).toContain(asked.status);
    expect(asked.url).toBeNull();
    expect(done.status).toBe("COMPLETED");
    expect(new URL(done.url!).searchParams.get("kid")).toBe("new");
    expect(Date.parse(done.urlExpiresAt!) - Date.now()).toBeGreaterThan(14 * 60_000);
    const file = await download(done.url!);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(file.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="${done.fileName}"`));
    expect(file.headers.get("x-content-sha256")).toBe(done.sha256);
    expect(file.bytes.length).toBe(done.bytes);
    expect(file.records.length - 1).toBe(done.rowCount);
  });

  it("answers HEAD with the download's headers and no body, without opening the file", async () => {
    const { done } = await completedExport();
    const get = await fetch(done.url!);
    await get.arrayBuffer();
    const read = jest.spyOn(t.gateway.storage, "read");
    try {
      const head = await fetch(done.url!, { method: "HEAD" });
      expect(head.status).toBe(200);
      for (const name of ["content-type", "content-disposition", "content-length", "repr-digest", "x-content-sha256", "etag"]) {
        expect([name, head.headers.get(name)]).toEqual([name, get.headers.get(name)]);
      }
      expect(Number(head.headers.get("content-length"))).toBe(done.bytes);
      expect((await head.arrayBuffer()).byteLength).toBe(0);
      expect(read).not.toHaveBeenCalled();
      // Refusals are the GET's: a bad signature 403, a file that is not there 404.
      expect((await fetch(withParam(done.url!, "sig", "A".repeat(43)), { method: "HEAD" })).status).toBe(403);
      await t.gateway.storage.delete((await t.gateway.dataSource.query(`SELECT storage_key FROM exports WHERE id = $1`, [done.id]))[0].storage_key);
      expect((await fetch(done.url!, { method: "HEAD" })).status).toBe(404);
    } finally {
      read.mockRestore();
    }
  });

  it("accepts a URL signed with a key being rotated out, and refuses one with an unknown key", async () => {
    const { done } = await completedExport();
    const pathname = new URL(done.url!).pathname;
    expect((await fetch(signedUrl(OLD_KEY, pathname, new Date(Date.now() + 60_000)))).status).toBe(200);
    const res = await fetch(signedUrl(newSigningKeySpec("stranger"), pathname, new Date(Date.now() + 60_000)));
    expect(res.status).toBe(403);
    expect(await res.text()).toBe("Unknown signing key.");
  });

  it.each([
    ["a changed signature", (u: string) => withParam(u, "sig", "A".repeat(43)), 403, "Invalid signature."],
    ["a truncated signature", (u: string) => withParam(u, "sig", new URL(u).searchParams.get("sig")!.slice(0, 40)), 403, "Malformed signature parameters."],
    ["a later expiry", (u: string) => withParam(u, "expires", String(Number(new URL(u).searchParams.get("expires")) + 1)), 403, "Invalid signature."],
    ["another key id", (u: string) => withParam(u, "kid", "old"), 403, "Invalid signature."],
    ["another file name", (u: string) => u.replace(/\/([^/?]+)\?/, "/other.csv?"), 403, "Invalid signature."],
    ["no signature", (u: string) => u.split("?")[0], 403, "Missing signature: the URL needs expires, kid and sig."],
  ])("refuses %s with a plain reason, never the file", async (_what, tamper, status, reason) => {
    const { done } = await completedExport();
    const res = await fetch(tamper(done.url!));
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe(reason);
  });

  it("refuses an expired URL, and a validly signed URL for a file the export does not have", async () => {
    const { done } = await completedExport();
    const pathname = new URL(done.url!).pathname;
    const expired = await fetch(signedUrl(NEW_KEY, pathname, new Date(Date.now() - 1000)));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toBe("This link has expired; ask for a new one.");
    const wrongFile = await fetch(signedUrl(NEW_KEY, pathname.replace(/[^/]+$/, "other.csv"), new Date(Date.now() + 60_000)));
    expect(wrongFile.status).toBe(404);
  });

  it("expires files past their retention: the sweep deletes the file, the export turns EXPIRED, old links answer 404", async () => {
    const { done } = await completedExport();
    const [{ storage_key }] = await t.gateway.dataSource.query(`SELECT storage_key FROM exports WHERE id = $1`, [done.id]);
    expect(await t.gateway.storage.size(storage_key)).toBe(done.bytes);
    await t.gateway.dataSource.query(`UPDATE exports SET expires_at = now() - interval '1 second' WHERE id = $1`, [done.id]);
    const { expired } = await t.gateway.exportJobs.sweep();
    expect(expired).toBeGreaterThanOrEqual(1);
    expect(await t.gateway.storage.size(storage_key)).toBeNull();
    const after = (await t.world.clients.asAdmin.data(ExportByIdDocument, { id: done.id })).export!;
    expect(after).toMatchObject({ status: "EXPIRED", url: null });
    const res = await fetch(done.url!);
    expect(res.status).toBe(404);
  });
});
