import type { Viewer } from "../access";
import type { UserLoaders } from "../users";
import type { DownloadLinks } from "./download-links";
import type { ExportService } from "./export.service";

/** What the exports feature needs from a request. */
export interface ExportsScope {
  viewer: Viewer;
  exports: ExportService;
  /** Signed download links, minted fresh on each read. */
  links: Pick<DownloadLinks, "exportFile">;
  /** exportUserData checks its subject is readable; `requestedBy` loads the requester. */
  userLoaders: Pick<UserLoaders, "usersById">;
}
