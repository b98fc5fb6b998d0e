import { notRemoved, type SessionRepository } from "./session.repository";

export function createSessionLoaders(sessions: SessionRepository) {
  const byUser = sessions.table.relationLoaders("user_id", [notRemoved]);
  const byCompany = sessions.table.relationLoaders("company_id", [notRemoved]);
  return {
    sessionsById: sessions.table.idLoader(),
    sessionsByUserId: byUser.pages,
    sessionCountByUserId: byUser.counts,
    sessionsByCompanyId: byCompany.pages,
    sessionCountByCompanyId: byCompany.counts,
    attachmentsBySessionId: sessions.attachments.listLoader("session_id"),
  };
}
export type SessionLoaders = ReturnType<typeof createSessionLoaders>;
