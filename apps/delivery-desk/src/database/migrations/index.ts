import { TrackAlert1795474000000 } from './1795474000000-track-alert';
import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { Resolutions1795465641823 } from './1795465641823-resolutions';
import { JobQueueSchema1763900000001 } from './1763900000001-job-queue-schema';
import { CarrierTracking1795463209845 } from './1795463209845-carrier-tracking';
import { Tickets1795464168257 } from './1795464168257-tickets';
import { PlatformCommands1795464946168 } from './1795464946168-platform-commands';
import { TicketTimers1795465144725 } from './1795465144725-ticket-timers';
import { DeclaredLost1795472000000 } from './1795472000000-declared-lost';
import { CustomerLinks1795470000000 } from './1795470000000-customer-links';
import { ReturnShipments1795471000000 } from './1795471000000-return-shipments';
import { PickupLinks1795473500000 } from './1795473500000-pickup-links';
import { Disputes1795473000000 } from './1795473000000-disputes';

/** Migrations in the order they run. Add new ones at the end; never edit one that has shipped. */
// In timestamp order (TypeORM orders them by the timestamp in their name too); one per line.
export const MIGRATIONS = [
  InitialSchema1763900000000,
  JobQueueSchema1763900000001,
  CarrierTracking1795463209845,
  Tickets1795464168257,
  PlatformCommands1795464946168,
  TicketTimers1795465144725,
  Resolutions1795465641823,
  CustomerLinks1795470000000,
  ReturnShipments1795471000000,
  DeclaredLost1795472000000,
  Disputes1795473000000,
  PickupLinks1795473500000,
  TrackAlert1795474000000,
];
