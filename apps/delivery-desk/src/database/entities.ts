import { PlatformCommandEventEntity } from '../platform/platform-command-event.entity';
import { PlatformCommandEntity } from '../platform/platform-command.entity';
import { PlatformDeliveryEntity } from '../platform/platform-delivery.entity';
import { CompensationFlagEntity } from '../resolutions/ledger/compensation-flag.entity';
import { LedgerEntryEntity } from '../resolutions/ledger/ledger-entry.entity';
import { ResolutionSignalEntity } from '../resolutions/saga/resolution-signal.entity';
import { ResolutionStepEntity } from '../resolutions/saga/resolution-step.entity';
import { ResolutionEntity } from '../resolutions/saga/resolution.entity';
import { AgentEntity } from '../merchants/agent.entity';
import { ApiKeyEntity } from '../merchants/api-key.entity';
import { MerchantPolicyEntity } from '../merchants/merchant-policy.entity';
import { MerchantEntity } from '../merchants/merchant.entity';
import { CustomerEntity } from '../orders/customer.entity';
import { OrderLineEntity } from '../orders/order-line.entity';
import { OrderEntity } from '../orders/order.entity';
import { ShipmentLineEntity } from '../orders/shipment-line.entity';
import { ShipmentEntity } from '../orders/shipment.entity';
import { TrackingEventEntity } from '../tracking/tracking-event.entity';
import { IdempotencyKeyEntity } from '../idempotency/idempotency-key.entity';
import { CarrierAccountEntity } from '../tracking/carrier-account.entity';
import { CarrierWebhookEventEntity } from '../tracking/carrier-webhook-event.entity';
import { ShipmentSignalEntity } from '../tracking/shipment-signal.entity';
import { TicketDecisionEntity } from '../tickets/ticket-decision.entity';
import { TicketEventEntity } from '../tickets/ticket-event.entity';
import { TicketEvidenceEntity } from '../tickets/ticket-evidence.entity';
import { TicketMessageEntity } from '../tickets/ticket-message.entity';
import { TicketEntity } from '../tickets/ticket.entity';
import { TicketTimerEntity } from '../tickets/ticket-timer.entity';
import { CustomerLinkEntity } from '../self-service/customer-link.entity';
import { CardDisputeEntity } from '../resolutions/disputes/card-dispute.entity';

/** Every entity, in one list shared by the app, the migration runner and the drift check. */
export const ENTITIES = [
  MerchantEntity,
  MerchantPolicyEntity,
  ApiKeyEntity,
  AgentEntity,
  CustomerEntity,
  OrderEntity,
  OrderLineEntity,
  ShipmentEntity,
  ShipmentLineEntity,
  TrackingEventEntity,
  IdempotencyKeyEntity,
  CarrierAccountEntity,
  CarrierWebhookEventEntity,
  ShipmentSignalEntity,
  TicketEntity,
  TicketEventEntity,
  TicketMessageEntity,
  TicketDecisionEntity,
  TicketEvidenceEntity,
  TicketTimerEntity,
  // @tickets-entities
  ResolutionEntity,
  ResolutionStepEntity,
  ResolutionSignalEntity,
  LedgerEntryEntity,
  CompensationFlagEntity,
  CardDisputeEntity,
  // @resolutions-entities
  PlatformCommandEntity,
  PlatformDeliveryEntity,
  PlatformCommandEventEntity,
  // @platform-entities
  CustomerLinkEntity,
  // @self-service-entities
];
