import { Initial1795462955442 } from "./1795462955442-Initial";
import { ActivitySessionsAndProgress1795468925670 } from "./1795468925670-ActivitySessionsAndProgress";
import { CompanyProfileIndexes1795469743313 } from "./1795469743313-CompanyProfileIndexes";
import { UsernameSearchIndex1795469900000 } from "./1795469900000-UsernameSearchIndex";
import { Exports1795470000000 } from "./1795470000000-Exports";
import { CsvNeutralizeFunction1795470100000 } from "./1795470100000-CsvNeutralizeFunction";
import { CsvNeutralizeByCodePoint1795470200000 } from "./1795470200000-CsvNeutralizeByCodePoint";
import { ScopeStatistics1795470300000 } from "./1795470300000-ScopeStatistics";
import { ExportLeases1795470400000 } from "./1795470400000-ExportLeases";
import { Webhooks1795470500000 } from "./1795470500000-Webhooks";
import { AuthCoordination1795480000000 } from "./1795480000000-AuthCoordination";
import { RunnerSearchIndexes1795491000000 } from "./1795491000000-RunnerSearchIndexes";
import { ActivityEventIds1795491100000 } from "./1795491100000-ActivityEventIds";
import { ExportIdempotencyAndBom1795491200000 } from "./1795491200000-ExportIdempotencyAndBom";
import { MaintainedCounts1795500100000 } from "./1795500100000-MaintainedCounts";
import { DeviceAndOsCounts1795500200000 } from "./1795500200000-DeviceAndOsCounts";
import { ExportQueueName1795510000000 } from "./1795510000000-ExportQueueName";

/** Every migration, oldest first. New ones come from `npm run migration:generate -- Name`. */
export const migrations = [
  Initial1795462955442,
  ActivitySessionsAndProgress1795468925670,
  CompanyProfileIndexes1795469743313,
  UsernameSearchIndex1795469900000,
  Exports1795470000000,
  CsvNeutralizeFunction1795470100000,
  CsvNeutralizeByCodePoint1795470200000,
  ScopeStatistics1795470300000,
  ExportLeases1795470400000,
  Webhooks1795470500000,
  AuthCoordination1795480000000,
  RunnerSearchIndexes1795491000000,
  ActivityEventIds1795491100000,
  ExportIdempotencyAndBom1795491200000,
  MaintainedCounts1795500100000,
  DeviceAndOsCounts1795500200000,
  ExportQueueName1795510000000,
];
