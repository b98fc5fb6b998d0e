import { idLoader, listLoader, relationLoaders } from "../access";
import { notRemoved, type SessionRepository } from "./session.repository";

export function createSessionLoaders(sessions: SessionRepository) {
  return {
    sessionsById: idLoader(sessions.table),
    sessionsOfUser: relationLoaders(sessions.table, "user_id", [notRemoved]),
    sessionsOfCompany: relationLoaders(sessions.table, "company_id", [notRemoved]),
    attachmentsBySessionId: listLoader(sessions.attachments, "session_id"),
  };
}
export type SessionLoaders = ReturnType<typeof createSessionLoaders>;
