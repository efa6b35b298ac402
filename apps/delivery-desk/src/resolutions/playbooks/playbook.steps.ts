import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CarrierError } from '@app/carriers';
import type { LedgerEntryKind } from '../ledger/ledger-rules';
import { LedgerService } from '../ledger/ledger.service';
import { waitFor, SagaStep } from '../saga/saga-step';
import { StepRegistry } from '../saga/step-registry.service';
import { PlatformCommandsService } from '../../platform/platform-commands.service';
import type { PlatformCommandKind } from '../../platform/platform-command-state';
import { TicketEntity } from '../../tickets/ticket.entity';
import { TicketsService } from '../../tickets/tickets.service';
import { CarrierRegistry } from '../../tracking/carrier-registry.service';
import { ShipmentEntity } from '../../orders/shipment.entity';
import { physicalCarrier } from '../../tickets/facts.gatherer';
import { loadCaseContext, itemLines } from './case-context';
import { CaseMessages, customerParams } from './case-messages.service';
import type { TemplateId } from '../../notifications';

/** The wait kind platform commands settle under (see PlaybooksService's settled listener). */
export const PLATFORM_COMMAND_WAIT = 'platform-command';

export interface LedgerReserveInput {
  kind: Exclude<LedgerEntryKind, 'refund_reversal'>;
  lossKey: string;
  amountMinor: number;
}
export interface PlatformCommandInput {
  kind: PlatformCommandKind;
  reason: string;
  amountMinor?: number;
  lines?: { lineId: string; quantity: number }[];
}
export interface NotifyInput {
  templateId: TemplateId;
  params: Record<string, unknown>;
}
/** Stop a parcel; a redirect carries the corrected address (else the ticket's `correctAddress` is used). */
export interface CarrierInterceptInput {
  shipmentId: string | null;
  mode: 'return_to_sender' | 'redirect';
  address?: { street1: string; street2?: string | null; city: string; state: string; zip: string; country?: string };
}
export interface CarrierClaimInput {
  shipmentId: string;
  type: 'loss' | 'damage' | 'theft';
  amountMinor: number;
}

/**
 * The steps resolutions are made of, in the order a plan uses them: reserve the compensation in the
 * ledger (local), instruct the platform and wait for its confirmation (remote), confirm the ledger
 * entry (local), tell the customer (local: the message is stored, a job e-mails it), close the case.
 * Carrier steps (claim) are remote and idempotent by the step's key.
 */
@Injectable()
export class PlaybookSteps implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly registry: StepRegistry,
    private readonly ledger: LedgerService,
    private readonly platform: PlatformCommandsService,
    private readonly messages: CaseMessages,
    private readonly tickets: TicketsService,
    private readonly carriers: CarrierRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(
      this.ledgerReserve(),
      this.platformCommand(),
      this.ledgerConfirm(),
      this.notifyCustomer(),
      this.resolveTicket(),
      this.carrierClaim(),
      this.returnLabel(),
      this.returnPickup(),
      this.carrierHold(),
      this.carrierIntercept(),
    );
  }

  private ledgerReserve(): SagaStep<LedgerReserveInput, { entryId: string }> {
    return {
      name: 'ledger-reserve',
      mode: 'local',
      invoke: async ({ em, resolution, input }) => {
        const entry = await this.ledger.reserve(em, {
          merchantId: resolution.merchantId,
          orderId: resolution.orderId,
          resolutionId: resolution.id,
          kind: input.kind,
          lossKey: input.lossKey,
          amountMinor: input.amountMinor,
          currency: resolution.currency,
        });
        return { entryId: entry.id };
      },
      compensate: async ({ em, resolution, output }) => {
        await this.ledger.release(em, resolution.merchantId, output.entryId, 'resolution compensated');
      },
    };
  }

  private platformCommand(): SagaStep<PlatformCommandInput, { commandId: string; platformReference?: string }> {
    return {
      name: 'platform-command',
      mode: 'remote',
      invoke: async ({ resolution, input, idempotencyKey }) => {
        // Its own short transaction: a remote step runs with none open.
        const command = await this.ds.transaction((em) =>
          this.platform.issue(em, {
            merchantId: resolution.merchantId,
            orderId: resolution.orderId,
            ticketId: resolution.ticketId,
            resolutionId: resolution.id,
            kind: input.kind,
            payload: {
              reason: input.reason,
              ...(input.amountMinor !== undefined ? { amountMinor: input.amountMinor, currency: resolution.currency } : {}),
              ...(input.lines?.length ? { lines: input.lines } : {}),
            },
            idempotencyKey,
          }),
        );
        if (command.status === 'confirmed') return { commandId: command.id, platformReference: command.platformReference ?? undefined };
        return waitFor({ kind: PLATFORM_COMMAND_WAIT, ref: command.id, timeoutSeconds: 14 * 86_400 }, { commandId: command.id });
      },
    };
  }

  private ledgerConfirm(): SagaStep<{ reserveKey?: string; commandKey?: string }, { entryId: string }> {
    return {
      name: 'ledger-confirm',
      mode: 'local',
      invoke: async ({ em, resolution, input, results }) => {
        const reserved = results[input.reserveKey ?? 'ledger-reserve'] as { entryId: string };
        const command = results[input.commandKey ?? 'platform-command'] as { platformReference?: string } | undefined;
        await this.ledger.confirm(em, resolution.merchantId, reserved.entryId, { externalRef: command?.platformReference ?? null });
        return { entryId: reserved.entryId };
      },
    };
  }

  private notifyCustomer(): SagaStep<NotifyInput, { messageId: string }> {
    return {
      name: 'notify-customer',
      mode: 'local',
      invoke: async ({ em, resolution, input, results }) => {
        const ticket = await em.findOneByOrFail(TicketEntity, { merchantId: resolution.merchantId, id: resolution.ticketId! });
        const ctx = await loadCaseContext(em, ticket);
        const params = { ...customerParams(ctx), ...resolveResults(input.params, results) } as Record<string, unknown>;
        if (params.lines === 'ticket') params.lines = itemLines(ctx, undefined);
        const message = await this.messages.send(em, ctx, input.templateId, params as never);
        return { messageId: message.id };
      },
    };
  }

  private resolveTicket(): SagaStep<{ note?: string }, { status: string }> {
    return {
      name: 'resolve-ticket',
      mode: 'local',
      invoke: async ({ em, resolution, input }) => {
        const ticket = await this.tickets.lockForChange(em, resolution.merchantId, resolution.ticketId!, null);
        const resolved = await this.tickets.resolveBy(em, ticket, { kind: 'system', id: 'resolution' }, { resolutionId: resolution.id, kind: resolution.kind, note: input.note ?? null });
        return { status: resolved.status };
      },
    };
  }

  /** A prepaid return label from the customer's address back to the shop, on the parcel's carrier. */
  private returnLabel(): SagaStep<{ shipmentId: string | null }, { labelUrl: string; trackingCode: string; carrier: string; shipmentId: string }> {
    return {
      name: 'carrier-return-label',
      mode: 'remote',
      invoke: async ({ resolution, input, idempotencyKey }) => {
        const { ctx, shipment } = await this.caseWithShipment(resolution.merchantId, resolution.ticketId!, input.shipmentId);
        const adapter = await this.carriers.adapterFor(resolution.merchantId, shipment.carrier);
        if (!adapter.capabilities.returnLabel) throw new CarrierError(shipment.carrier, 'unsupported', 'This carrier issues no return labels here', false);
        const o = ctx.order;
        const label = await adapter.createReturnLabel(
          {
            from: { name: o.shipToName, street1: o.shipToStreet1, street2: o.shipToStreet2 ?? undefined, city: o.shipToCity, state: o.shipToState, zip: o.shipToZip, country: o.shipToCountry, phone: o.shipToPhone ?? undefined },
            to: ctx.merchant.shipFrom,
            parcel: { weightOz: 16 },
            originalShipmentId: shipment.trackerId,
            reference: `DD-${ctx.ticket.number}`,
          },
          { idempotencyKey },
        );
        return { labelUrl: label.labelUrl, trackingCode: label.trackingCode, carrier: label.carrier, shipmentId: label.shipmentId };
      },
    };
  }

  /** A carrier pickup of the return at the customer's address, the next business day; cancelled on compensation. */
  private returnPickup(): SagaStep<{ shipmentId: string | null; windowFrom: string }, { pickupId: string; confirmation: string; window: { start: string; end: string }; carrier: string }> {
    return {
      name: 'carrier-pickup',
      mode: 'remote',
      invoke: async ({ resolution, input, idempotencyKey, results }) => {
        const { ctx, shipment } = await this.caseWithShipment(resolution.merchantId, resolution.ticketId!, input.shipmentId);
        const adapter = await this.carriers.adapterFor(resolution.merchantId, shipment.carrier);
        if (!adapter.capabilities.pickup) throw new CarrierError(shipment.carrier, 'unsupported', 'This carrier books no pickups here', false);
        const label = results['carrier-return-label'] as { shipmentId: string; trackingCode: string } | undefined;
        const day = input.windowFrom;
        const o = ctx.order;
        const pickup = await adapter.bookPickup(
          {
            address: { name: o.shipToName, street1: o.shipToStreet1, street2: o.shipToStreet2 ?? undefined, city: o.shipToCity, state: o.shipToState, zip: o.shipToZip, country: o.shipToCountry, phone: o.shipToPhone ?? undefined },
            shipmentId: label?.shipmentId ?? null,
            trackingCodes: label ? [label.trackingCode] : [],
            windowStart: `${day}T09:00:00${offsetOf(ctx.timeZone, day)}`,
            windowEnd: `${day}T17:00:00${offsetOf(ctx.timeZone, day)}`,
            reference: `DD-${ctx.ticket.number}`,
          },
          { idempotencyKey },
        );
        return {
          pickupId: pickup.pickupId,
          confirmation: pickup.confirmation ?? pickup.pickupId,
          window: { start: pickup.windowStart, end: pickup.windowEnd },
          carrier: pickup.carrier ?? shipment.carrierName ?? shipment.carrier,
        };
      },
      compensate: async ({ resolution, input, output, idempotencyKey }) => {
        const shipment = await this.shipmentOf(resolution.merchantId, resolution.ticketId!, input.shipmentId);
        const adapter = await this.carriers.adapterFor(resolution.merchantId, shipment.carrier);
        await adapter.cancelPickup(output.pickupId, { idempotencyKey });
      },
    };
  }

  /** Hold the parcel at a carrier location for the customer to collect; a refusal fails the resolution. */
  private carrierHold(): SagaStep<{ shipmentId: string | null }, { location: string; holdUntil: string; reference: string | null; carrier: string; trackingCode: string }> {
    return {
      name: 'carrier-hold',
      mode: 'remote',
      invoke: async ({ resolution, input, idempotencyKey }) => {
        const shipment = await this.shipmentOf(resolution.merchantId, resolution.ticketId!, input.shipmentId);
        const adapter = await this.carriers.adapterFor(resolution.merchantId, shipment.carrier);
        if (!adapter.capabilities.hold) throw new CarrierError(shipment.carrier, 'unsupported', 'This carrier cannot hold parcels here', false);
        const result = await adapter.holdAtLocation({ trackingCode: shipment.trackingCode }, { idempotencyKey });
        if (result.outcome === 'refused') throw new CarrierError(shipment.carrier, 'refused', `The carrier refused the hold: ${result.reason}`, false);
        return {
          location: result.location ?? 'the carrier location',
          holdUntil: (result.holdUntil ?? new Date(Date.now() + 5 * 86_400_000).toISOString()).slice(0, 10),
          reference: result.reference ?? null,
          carrier: shipment.carrierName ?? shipment.carrier.toUpperCase(),
          trackingCode: shipment.trackingCode,
        };
      },
    };
  }

  /** Stop the parcel: back to the shop, or on to a corrected address. */
  private carrierIntercept(): SagaStep<CarrierInterceptInput, { reference: string | null; feeMinor: number | null; carrier: string; trackingCode: string; newAddress?: string }> {
    return {
      name: 'carrier-intercept',
      mode: 'remote',
      invoke: async ({ resolution, input, idempotencyKey }) => {
        const { ctx, shipment } = await this.caseWithShipment(resolution.merchantId, resolution.ticketId!, input.shipmentId);
        const adapter = await this.carriers.adapterFor(resolution.merchantId, shipment.carrier);
        if (!adapter.capabilities.intercept) throw new CarrierError(shipment.carrier, 'unsupported', 'This carrier cannot intercept parcels here', false);
        // The address planned with the resolution wins over the ticket's (which may have changed since).
        const correct = input.address ?? (ctx.ticket.details as { correctAddress?: CarrierInterceptInput['address'] }).correctAddress;
        if (input.mode === 'redirect' && !correct) throw new CarrierError(shipment.carrier, 'invalid_request', 'No corrected address on the ticket yet', false);
        const result = await adapter.intercept(
          {
            trackingCode: shipment.trackingCode,
            kind: input.mode,
            newAddress: correct ? { name: ctx.order.shipToName, street1: correct.street1, street2: correct.street2 ?? undefined, city: correct.city, state: correct.state, zip: correct.zip, country: correct.country ?? 'US' } : null,
          },
          { idempotencyKey },
        );
        if (result.outcome === 'refused') throw new CarrierError(shipment.carrier, 'refused', `The carrier refused the intercept: ${result.reason}`, false);
        return {
          reference: result.reference ?? null,
          feeMinor: result.fee?.amountMinor ?? null,
          carrier: shipment.carrierName ?? shipment.carrier.toUpperCase(),
          trackingCode: shipment.trackingCode,
          ...(input.mode === 'redirect' && correct ? { newAddress: addressText(ctx.order.shipToName, correct) } : {}),
        };
      },
    };
  }

  private async shipmentOf(merchantId: string, ticketId: string, shipmentId: string | null): Promise<ShipmentEntity> {
    const ticket = await this.ds.getRepository(TicketEntity).findOneByOrFail({ merchantId, id: ticketId });
    const id = shipmentId ?? ticket.shipmentId;
    const shipment = id
      ? await this.ds.getRepository(ShipmentEntity).findOneBy({ merchantId, id })
      : await this.ds.getRepository(ShipmentEntity).findOne({ where: { merchantId, orderId: ticket.orderId, direction: 'outbound' }, order: { createdAt: 'DESC' } });
    if (!shipment) throw new CarrierError('sandbox', 'invalid_request', 'The order has no shipment to return', false);
    return shipment;
  }

  private async caseWithShipment(merchantId: string, ticketId: string, shipmentId: string | null) {
    const shipment = await this.shipmentOf(merchantId, ticketId, shipmentId);
    const ticket = await this.ds.getRepository(TicketEntity).findOneByOrFail({ merchantId, id: ticketId });
    const ctx = await loadCaseContext(this.ds.manager, ticket);
    return { ctx, shipment };
  }

  private carrierClaim(): SagaStep<CarrierClaimInput, { claimId: string; status: string }> {
    return {
      name: 'carrier-claim',
      mode: 'remote',
      maxAttempts: 8,
      invoke: async ({ resolution, input, idempotencyKey }) => {
        const shipment = await this.ds.getRepository(ShipmentEntity).findOneByOrFail({ merchantId: resolution.merchantId, id: input.shipmentId });
        const adapter = await this.carriers.adapterFor(resolution.merchantId, shipment.carrier);
        if (!adapter.capabilities.claim) throw new CarrierError(shipment.carrier, 'unsupported', `${physicalCarrier(shipment)} claims are filed by the merchant outside Delivery Desk`, false);
        const claim = await adapter.fileClaim(
          {
            type: input.type,
            trackingCode: shipment.trackingCode,
            amount: { amountMinor: input.amountMinor, currency: resolution.currency },
            description: `Delivery Desk resolution ${resolution.id}: ${input.type}`,
          },
          { idempotencyKey },
        );
        return { claimId: claim.claimId, status: claim.status };
      },
    };
  }
}

/** An address as the customer reads it in a message, one line per address line. */
export function addressText(name: string | null, a: { street1: string; street2?: string | null; city: string; state: string; zip: string; country?: string }): string {
  return [name, a.street1, a.street2, `${a.city}, ${a.state} ${a.zip}`, a.country && a.country !== 'US' ? a.country : null].filter(Boolean).join('\n');
}

/** `"$result:<step key>.<field>"` in message params takes that field of an earlier step's output. */
export function resolveResults(params: Record<string, unknown>, results: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    const m = typeof v === 'string' ? /^\$result:([a-z0-9-]+)\.([A-Za-z0-9]+)$/.exec(v) : null;
    out[k] = m ? (results[m[1]] as Record<string, unknown> | undefined)?.[m[2]] : v;
  }
  return out;
}

/** The UTC offset of a zone on a civil date, e.g. `-08:00`. */
function offsetOf(timeZone: string, day: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date(`${day}T12:00:00Z`));
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  return m ? `${m[1]}:${m[2] ?? '00'}` : 'Z';
}
