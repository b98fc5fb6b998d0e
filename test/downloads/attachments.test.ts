/**
 * Attachment downloads through signed URLs: minted fresh per read, served without a bearer
 * token, and refused with a short plain reason (403) when tampered with or expired, or 404 when
 * the file is gone. Never a 500, never the file.
 */
import fs from "node:fs";
import path from "node:path";
import { insertRows } from "../../src/db/insert";
import { parseSigningKeys, sign } from "../../src/shared/signing";
import { SessionAttachmentsDocument } from "../generated/graphql";
import { useWorld, type Caller } from "../support/world";

const t = useWorld({ sessionsPerUser: 2, activitiesPerSession: 0 });
const BODY = "line 1, with a comma\nline 2 — ünïcode\n";

beforeAll(async () => {
  // The world's attachments name storage keys; give them files.
  const rows: { storage_key: string }[] = await t.gateway.dataSource.query(
    `SELECT storage_key FROM attachments WHERE organization_id = $1 AND storage_key IS NOT NULL`, [t.world.organizationId]);
  for (const { storage_key } of rows) {
    const writer = await t.gateway.storage.writer(storage_key);
    writer.stream.end(BODY);
    await writer.commit();
  }
});

async function attachmentUrl(caller: Caller, sessionId: string): Promise<string | null | undefined> {
  const data = await t.world.clients[caller].data(SessionAttachmentsDocument, { id: sessionId });
  return data.session?.attachments[0]?.downloadUrl;
}

/** A URL with one query parameter replaced. */
function withParam(url: string, name: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
}

const get = (url: string) => fetch(url);

describe("attachment downloads", () => {
  it("serves the file to anyone holding a fresh link, with its name, type and length", async () => {
    const url = (await attachmentUrl("asAdmin", t.world.sessions.developer[0]))!;
    expect(url).toMatch(new RegExp(`^${t.gateway.url}/attachments/${t.world.attachments.developer[0]}\\?expires=\\d+&kid=\\w+&sig=[\\w-]{43}$`));
    const expires = Number(new URL(url).searchParams.get("expires"));
    expect(expires * 1000 - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(expires * 1000 - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="device.log"; filename*=UTF-8''device.log`);
    expect(Number(res.headers.get("content-length"))).toBe(Buffer.byteLength(BODY));
    expect(await res.text()).toBe(BODY);
  });

  it("mints a new link on every read", async () => {
    const first = await attachmentUrl("asDeveloper", t.world.sessions.developer[0]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const second = await attachmentUrl("asDeveloper", t.world.sessions.developer[0]);
    expect(first).not.toBe(second);
    expect((await get(second!)).status).toBe(200);
  });

  it("gives links only to callers who may read the attachment", async () => {
    expect(await attachmentUrl("asMember", t.world.sessions.member[0])).toBeUndefined(); // members see no attachments
    expect(await attachmentUrl("asDeveloper", t.world.sessions.member[0])).toBeUndefined(); // not their session
    expect(await attachmentUrl("asOtherOrgAdmin", t.world.sessions.member[0])).toBeUndefined();
    const { body } = await t.world.clients.anonymous.request(SessionAttachmentsDocument, { id: t.world.sessions.member[0] });
    expect(body.errors![0].extensions!.code).toBe("UNAUTHENTICATED");
  });

  describe("refuses a link that was tampered with", () => {
    let url = "";
    beforeAll(async () => {
      url = (await attachmentUrl("asAdmin", t.world.sessions.member[0]))!;
    });
    const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    const cases: [string, () => string, string][] = [
      ["a changed signature", () => withParam(url, "sig", flip(new URL(url).searchParams.get("sig")!)), "Invalid signature."],
      ["a signature of the wrong length", () => withParam(url, "sig", new URL(url).searchParams.get("sig")!.slice(1)), "Malformed signature parameters."],
      ["a later expiry", () => withParam(url, "expires", String(Number(new URL(url).searchParams.get("expires")) + 60)), "Invalid signature."],
      ["an unknown key id", () => withParam(url, "kid", "rotated-away"), "Unknown signing key."],
      ["another attachment's path", () => url.replace(t.world.attachments.member[0], t.world.attachments.admin[0]), "Invalid signature."],
      ["no signature at all", () => url.split("?")[0], "Missing signature: the URL needs expires, kid and sig."],
      ["a repeated parameter", () => `${url}&sig=x`, "Malformed signature parameters."],
    ];
    it.each(cases)("%s → 403", async (_what, tamper, reason) => {
      const res = await get(tamper());
      expect(res.status).toBe(403);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await res.text()).toBe(reason);
    });
  });

  it("refuses an expired link with 403", async () => {
    const keys = parseSigningKeys(fs.readFileSync(path.join(t.gateway.demoTokensFile, "..", "signing-keys"), "utf8").trim());
    const pathname = `/attachments/${t.world.attachments.admin[0]}`;
    const signed = sign(keys, "GET", pathname, new Date(Date.now() - 1_000));
    const res = await get(`${t.gateway.url}${pathname}?expires=${signed.expires}&kid=${signed.kid}&sig=${signed.sig}`);
    expect(res.status).toBe(403);
    expect(await res.text()).toBe("This link has expired; ask for a new one.");
    // The same key and path with a live expiry works: only the expiry was at fault.
    const live = sign(keys, "GET", pathname, new Date(Date.now() + 60_000));
    expect((await get(`${t.gateway.url}${pathname}?expires=${live.expires}&kid=${live.kid}&sig=${live.sig}`)).status).toBe(200);
  });

  it("answers 404 once the file is gone, and null links for unavailable attachments", async () => {
    const sessionId = t.world.sessions.admin[1];
    const url = (await attachmentUrl("asAdmin", sessionId))!;
    const [{ storage_key }] = await t.gateway.dataSource.query(`SELECT storage_key FROM attachments WHERE session_id = $1`, [sessionId]);
    await t.gateway.storage.delete(storage_key);
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/^Not found/);

    const [unavailable] = await insertRows(t.gateway.dataSource.manager, "attachments", [{
      organization_id: t.world.organizationId, session_id: t.world.sessions.admin[0], user_id: t.world.users.admin.id,
      kind: "VIDEO", file_name: "recording.mp4", content_type: "video/mp4", storage_key: null,
    }]);
    const data = await t.world.clients.asAdmin.data(SessionAttachmentsDocument, { id: t.world.sessions.admin[0] });
    expect(data.session!.attachments.find((a) => a.id === unavailable)).toMatchObject({ available: false, downloadUrl: null });
  });
});
