import { listLoader } from "../access";
import type { ContentProgressRepository } from "./content-progress.repository";

export function createContentProgressLoaders(progress: ContentProgressRepository) {
  return {
    contentProgressByUserId: listLoader(progress.table, "user_id"),
  };
}
export type ContentProgressLoaders = ReturnType<typeof createContentProgressLoaders>;
