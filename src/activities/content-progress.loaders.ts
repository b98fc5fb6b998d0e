import type { ContentProgressRepository } from "./content-progress.repository";

export function createContentProgressLoaders(progress: ContentProgressRepository) {
  return {
    contentProgressByUserId: progress.table.listLoader("user_id"),
  };
}
export type ContentProgressLoaders = ReturnType<typeof createContentProgressLoaders>;
