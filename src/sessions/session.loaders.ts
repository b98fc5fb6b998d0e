import { notRemoved, type SessionRepository } from "./session.repository";

export function createSessionLoaders(sessions: SessionRepository) {
  const byUser = sessions.table.relationLoaders("user_id", [notRemoved]);
  const byCompany = sessions.table.relationLoaders("company_id", [notRemoved]);
  return {
    sessionsById: sessions.table.idLoader(),
    sessionsOfUser: byUser,
    sessionsOfCompany: byCompany,
    attachmentsBySessionId: sessions.attachments.listLoader("session_id"),
  };
}
export type SessionLoaders = ReturnType<typeof createSessionLoaders>;
