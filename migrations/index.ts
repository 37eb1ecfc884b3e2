import { InitialSchema1763700000000 } from './1763700000000-initial-schema';
import { ReportRollups1763760000000 } from './1763760000000-report-rollups';
import { ClickBatchFunction1763771000000 } from './1763771000000-click-batch-function';
import { ConversionFunctions1763780000000 } from './1763780000000-conversion-functions';
import { ConversionInsertLinear1763790000000 } from './1763790000000-conversion-insert-linear';
import { RollupFoldPending1764001000000 } from './1764001000000-rollup-fold-pending';
import { VisitsPartitioned1764900000000 } from './1764900000000-visits-partitioned';
import { OutboxLifecycle1796315499555 } from './1796315499555-outbox-lifecycle';
import { CampaignControls1796400000000 } from './1796400000000-campaign-controls';
import { HistoryCurrency1796500000000 } from './1796500000000-history-currency';
import { LateAttribution1796600000000 } from './1796600000000-late-attribution';
import { HistorySource1796700000000 } from './1796700000000-history-source';
import { LanderRollups1796800000000 } from './1796800000000-lander-rollups';
import { NetworkTemplate1796900000000 } from './1796900000000-network-template';
import { GeoRollups1797000000000 } from './1797000000000-geo-rollups';
import { FoldPendingJoin1797100000000 } from './1797100000000-fold-pending-join';
import { FoldPendingLeftJoin1797200000000 } from './1797200000000-fold-pending-left-join';
import { RouteRollups1797300000000 } from './1797300000000-route-rollups';
import { SlotRollups1797400000000 } from './1797400000000-slot-rollups';
import { SlotValueRollups1797500000000 } from './1797500000000-slot-value-rollups';
import { FoldInChunks1797600000000 } from './1797600000000-fold-in-chunks';
import { FoldStaged1797700000000 } from './1797700000000-fold-staged';

/** Every migration, in order. A new one is added here as well as in its own file. */
export const migrations = [
  InitialSchema1763700000000,
  ReportRollups1763760000000,
  ClickBatchFunction1763771000000,
  ConversionFunctions1763780000000,
  ConversionInsertLinear1763790000000,
  RollupFoldPending1764001000000,
  VisitsPartitioned1764900000000,
  OutboxLifecycle1796315499555,
  CampaignControls1796400000000,
  HistoryCurrency1796500000000,
  LateAttribution1796600000000,
  HistorySource1796700000000,
  LanderRollups1796800000000,
  NetworkTemplate1796900000000,
  GeoRollups1797000000000,
  FoldPendingJoin1797100000000,
  FoldPendingLeftJoin1797200000000,
  RouteRollups1797300000000,
  SlotRollups1797400000000,
  SlotValueRollups1797500000000,
  FoldInChunks1797600000000,
  FoldStaged1797700000000,
];
