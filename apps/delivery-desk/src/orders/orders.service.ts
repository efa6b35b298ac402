import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { ApiError, FieldProblem } from '../common/api-error';
import { CustomerEntity } from './customer.entity';
import { OrderLineDto, UpsertOrderDto } from './order.dto';
import { OrderLineEntity } from './order-line.entity';
import { OrderEntity, ShippingPromise } from './order.entity';
import { ShipmentLineEntity } from './shipment-line.entity';
import { ShipmentEntity } from './shipment.entity';

export interface OrderAggregate {
  order: OrderEntity;
  customer: CustomerEntity;
  lines: OrderLineEntity[];
  shipments: { shipment: ShipmentEntity; lines: ShipmentLineEntity[] }[];
}

/** Checks the money adds up; a platform bug here would poison every refund later. */
export function amountProblems(dto: UpsertOrderDto): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Map<string, number>();
  let lineSum = 0;
  dto.lines.forEach((l, i) => {
    const id = l.externalId ?? l.sku;
    if (seen.has(id)) {
      problems.push({ path: `lines[${i}].${l.externalId ? 'externalId' : 'sku'}`, problem: `duplicates lines[${seen.get(id)}]; give each line a distinct externalId` });
    }
    seen.set(id, i);
    const gross = l.quantity * l.unitPriceMinor;
    if ((l.discountMinor ?? 0) > gross) problems.push({ path: `lines[${i}].discountMinor`, problem: 'is larger than quantity × unitPriceMinor' });
    lineSum += gross - (l.discountMinor ?? 0);
  });
  if (lineSum !== dto.subtotalMinor) {
    problems.push({ path: 'subtotalMinor', problem: `must equal the sum of the lines after line discounts (${lineSum})` });
  }
  const total = dto.subtotalMinor + dto.shippingMinor + dto.taxMinor - dto.discountMinor;
  if (total !== dto.totalMinor) {
    problems.push({ path: 'totalMinor', problem: `must equal subtotal + shipping + tax - discount (${total})` });
  }
  if (dto.discountMinor > dto.subtotalMinor + dto.shippingMinor + dto.taxMinor) {
    problems.push({ path: 'discountMinor', problem: 'is larger than the rest of the order' });
  }
  return problems;
}

function promiseOf(dto: UpsertOrderDto): { value: ShippingPromise; problems: FieldProblem[] } {
  const p = dto.shippingPromise;
  if (!p || p.kind === 'none') return { value: { kind: 'none' }, problems: [] };
  if (p.kind === 'ships_within') {
    return p.businessDays === undefined
      ? { value: { kind: 'none' }, problems: [{ path: 'shippingPromise.businessDays', problem: 'is required for ships_within' }] }
      : { value: { kind: 'ships_within', businessDays: p.businessDays }, problems: [] };
  }
  if (p.kind === 'ships_within_calendar_days') {
    return p.days === undefined
      ? { value: { kind: 'none' }, problems: [{ path: 'shippingPromise.days', problem: 'is required for ships_within_calendar_days' }] }
      : { value: { kind: 'ships_within_calendar_days', days: p.days }, problems: [] };
  }
  return p.date === undefined
    ? { value: { kind: 'none' }, problems: [{ path: 'shippingPromise.date', problem: 'is required for delivery_by' }] }
    : { value: { kind: 'delivery_by', date: p.date }, problems: [] };
}

const ORDER_FIELDS = [
  'customerId', 'placedAt', 'channel', 'currency', 'subtotalMinor', 'shippingMinor', 'taxMinor', 'discountMinor', 'totalMinor',
  'paymentMethodKind', 'shipToName', 'shipToStreet1', 'shipToStreet2', 'shipToCity', 'shipToState', 'shipToZip', 'shipToCountry',
  'shipToPhone', 'gift', 'giftRecipientName', 'giftRecipientEmail', 'shippingPromise', 'refundPolicyDisclosed', 'refundPolicy',
] as const;
const LINE_FIELDS = ['position', 'sku', 'name', 'category', 'quantity', 'unitPriceMinor', 'discountMinor', 'taxMinor', 'perishable', 'alcohol', 'hazmat', 'personalized', 'finalSale'] as const;

function lineValues(l: OrderLineDto, position: number) {
  return {
    position,
    sku: l.sku,
    name: l.name,
    category: l.category ?? null,
    quantity: l.quantity,
    unitPriceMinor: l.unitPriceMinor,
    discountMinor: l.discountMinor ?? 0,
    taxMinor: l.taxMinor ?? 0,
    perishable: l.perishable ?? false,
    alcohol: l.alcohol ?? false,
    hazmat: l.hazmat ?? false,
    personalized: l.personalized ?? false,
    finalSale: l.finalSale ?? false,
  };
}

const same = (a: unknown, b: unknown): boolean =>
  a instanceof Date || b instanceof Date
    ? new Date(a as Date).getTime() === new Date(b as Date).getTime()
    : JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Orders pushed by platforms. Every read and write is scoped by merchant id. */
@Injectable()
export class OrdersService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * Creates or updates the order with this external id. Replaying the same body changes nothing
   * (no version bump); two concurrent first pushes converge on one order.
   */
  async upsert(merchantId: string, dto: UpsertOrderDto): Promise<{ created: boolean; aggregate: OrderAggregate }> {
    const promise = promiseOf(dto);
    const problems = [...amountProblems(dto), ...promise.problems];
    if (problems.length) throw ApiError.unprocessable('order_inconsistent', 'The order does not add up.', problems);

    return this.ds.transaction(async (em) => {
      const customer = await this.upsertCustomer(em, merchantId, dto);
      const fields = {
        customerId: customer.id,
        placedAt: new Date(dto.placedAt),
        channel: dto.channel,
        currency: dto.currency,
        subtotalMinor: dto.subtotalMinor,
        shippingMinor: dto.shippingMinor,
        taxMinor: dto.taxMinor,
        discountMinor: dto.discountMinor,
        totalMinor: dto.totalMinor,
        paymentMethodKind: dto.paymentMethodKind,
        shipToName: dto.shipTo.name,
        shipToStreet1: dto.shipTo.street1,
        shipToStreet2: dto.shipTo.street2 ?? null,
        shipToCity: dto.shipTo.city,
        shipToState: dto.shipTo.state,
        shipToZip: dto.shipTo.zip,
        shipToCountry: dto.shipTo.country,
        shipToPhone: dto.shipTo.phone ?? null,
        gift: !!dto.gift,
        giftRecipientName: dto.gift?.recipientName ?? null,
        giftRecipientEmail: dto.gift?.recipientEmail?.toLowerCase() ?? null,
        shippingPromise: promise.value,
        refundPolicyDisclosed: dto.refundPolicyDisclosed ?? false,
        refundPolicy: dto.refundPolicy ? { ...dto.refundPolicy } : null,
      };

      let order = await em.findOne(OrderEntity, { where: { merchantId, externalId: dto.externalId }, lock: { mode: 'pessimistic_write' } });
      if (!order) {
        const inserted = await em
          .createQueryBuilder()
          .insert()
          .into(OrderEntity)
          .values({ merchantId, externalId: dto.externalId, ...fields })
          .orIgnore()
          .returning(['id', 'version', 'created_at', 'updated_at'])
          .execute();
        if (inserted.raw.length) {
          // A new order: everything to show is in hand, so nothing is read back.
          const raw = inserted.raw[0];
          const created = Object.assign(new OrderEntity(), { id: raw.id, merchantId, externalId: dto.externalId, ...fields, version: raw.version, createdAt: raw.created_at, updatedAt: raw.updated_at });
          const lines = await this.insertLines(em, created, dto.lines.map((l, i) => ({ externalId: l.externalId ?? l.sku, ...lineValues(l, i) })));
          return { created: true, aggregate: { order: created, customer, lines, shipments: [] } };
        }
        // Lost the race to a concurrent first push: continue as an update of its row.
        order = await em.findOneOrFail(OrderEntity, { where: { merchantId, externalId: dto.externalId }, lock: { mode: 'pessimistic_write' } });
      }

      const changed = ORDER_FIELDS.filter((f) => !same(order![f], fields[f]));
      const linesChanged = await this.syncLines(em, order, dto);
      if (changed.length || linesChanged) {
        Object.assign(order, fields);
        await em.save(order); // bumps version and updated_at
      }
      return { created: false, aggregate: await this.load(em, merchantId, order) };
    });
  }

  private async insertLines(em: EntityManager, order: OrderEntity, values: (ReturnType<typeof lineValues> & { externalId: string })[]): Promise<OrderLineEntity[]> {
    if (!values.length) return [];
    const lines = values.map((v) => em.create(OrderLineEntity, { merchantId: order.merchantId, orderId: order.id, ...v }));
    await em.insert(OrderLineEntity, lines);
    return lines;
  }

  private async upsertCustomer(em: EntityManager, merchantId: string, dto: UpsertOrderDto): Promise<CustomerEntity> {
    const c = dto.customer;
    // Most pushes repeat a known customer unchanged: read first, so the row is not locked for the
    // whole transaction (which would serialise every order of a returning customer).
    const known = await em.findOneBy(CustomerEntity, { merchantId, email: c.email.toLowerCase() });
    if (
      known &&
      known.name === c.name &&
      (c.phone === undefined || known.phone === c.phone) &&
      (c.preferredLanguage === undefined || known.preferredLanguage === c.preferredLanguage)
    ) {
      return known;
    }
    const rows: { id: string }[] = await em.query(
      `INSERT INTO customers (merchant_id, email, name, phone, preferred_language)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (merchant_id, email) DO UPDATE SET
         name = EXCLUDED.name,
         phone = COALESCE(EXCLUDED.phone, customers.phone),
         preferred_language = COALESCE(EXCLUDED.preferred_language, customers.preferred_language),
         updated_at = CASE WHEN (customers.name, customers.phone, customers.preferred_language)
                            IS DISTINCT FROM (EXCLUDED.name, COALESCE(EXCLUDED.phone, customers.phone), COALESCE(EXCLUDED.preferred_language, customers.preferred_language))
                      THEN now() ELSE customers.updated_at END
       RETURNING id`,
      [merchantId, c.email.toLowerCase(), c.name, c.phone ?? null, c.preferredLanguage ?? null],
    );
    return em.findOneByOrFail(CustomerEntity, { id: rows[0].id, merchantId });
  }

  /** Matches lines by external id: updates, inserts, and removes those no longer sent (unless shipped). */
  private async syncLines(em: EntityManager, order: OrderEntity, dto: UpsertOrderDto): Promise<boolean> {
    const existing = await em.find(OrderLineEntity, { where: { merchantId: order.merchantId, orderId: order.id } });
    const byExternal = new Map(existing.map((l) => [l.externalId, l]));
    let changed = false;
    const keep = new Set<string>();
    const added: (ReturnType<typeof lineValues> & { externalId: string })[] = [];
    for (const [i, l] of dto.lines.entries()) {
      const externalId = l.externalId ?? l.sku;
      keep.add(externalId);
      const values = lineValues(l, i);
      const current = byExternal.get(externalId);
      if (!current) {
        added.push({ externalId, ...values });
      } else if (LINE_FIELDS.some((f) => !same(current[f], values[f]))) {
        await em.update(OrderLineEntity, { id: current.id, merchantId: order.merchantId }, values);
        changed = true;
      }
    }
    if (added.length) {
      await this.insertLines(em, order, added);
      changed = true;
    }
    const removed = existing.filter((l) => !keep.has(l.externalId));
    if (removed.length) {
      const shipped = await em.find(ShipmentLineEntity, { where: { merchantId: order.merchantId, orderLineId: In(removed.map((l) => l.id)) } });
      if (shipped.length) {
        const ids = new Set(shipped.map((s) => s.orderLineId));
        throw ApiError.conflict(
          'line_in_shipment',
          'The update leaves out lines that are already in a shipment.',
          removed.filter((l) => ids.has(l.id)).map((l) => ({ path: 'lines', problem: `line ${l.externalId} is in a shipment and cannot be removed` })),
        );
      }
      await em.delete(OrderLineEntity, { merchantId: order.merchantId, id: In(removed.map((l) => l.id)) });
      changed = true;
    }
    // Shipped quantities must still fit the (possibly reduced) ordered quantities.
    const over: { external_id: string }[] = await em.query(
      `SELECT ol.external_id FROM order_lines ol
         JOIN shipment_lines sl ON sl.merchant_id = ol.merchant_id AND sl.order_line_id = ol.id
        WHERE ol.merchant_id = $1 AND ol.order_id = $2
        GROUP BY ol.id, ol.external_id, ol.quantity HAVING SUM(sl.quantity) > ol.quantity`,
      [order.merchantId, order.id],
    );
    if (over.length) {
      throw ApiError.conflict('quantity_below_shipped', 'The update lowers a line below what has already shipped.', over.map((o) => ({ path: 'lines', problem: `line ${o.external_id} has shipped more units` })));
    }
    return changed;
  }

  async findByExternalId(merchantId: string, externalId: string, em: EntityManager = this.ds.manager): Promise<OrderAggregate> {
    const order = await em.findOneBy(OrderEntity, { merchantId, externalId });
    if (!order) throw ApiError.notFound('Order');
    return this.load(em, merchantId, order);
  }

  async load(em: EntityManager, merchantId: string, orderOrId: string | OrderEntity): Promise<OrderAggregate> {
    const order = typeof orderOrId === 'string' ? await em.findOneByOrFail(OrderEntity, { merchantId, id: orderOrId }) : orderOrId;
    const orderId = order.id;
    // Sequential on purpose: inside a transaction these share one connection.
    const customer = await em.findOneByOrFail(CustomerEntity, { merchantId, id: order.customerId });
    const lines = await em.find(OrderLineEntity, { where: { merchantId, orderId }, order: { position: 'ASC' } });
    const shipments = await em.find(ShipmentEntity, { where: { merchantId, orderId }, order: { createdAt: 'ASC' } });
    const shipmentLines = shipments.length
      ? await em.find(ShipmentLineEntity, { where: { merchantId, shipmentId: In(shipments.map((s) => s.id)) } })
      : [];
    return {
      order,
      customer,
      lines,
      shipments: shipments.map((shipment) => ({ shipment, lines: shipmentLines.filter((l) => l.shipmentId === shipment.id) })),
    };
  }
}
