import { addressConfirmRequest, addressCorrectedRedirected, addressHoldAtLocation, addressHoldExpiring, addressReturnToSender, addressRtsRefund, addressRtsReship } from './address.templates';
import { caseAgentReply, caseApprovalPending, caseResolved } from './case.templates';
import { dnrClaimFiledRefund, dnrClaimFiledReship, dnrFollowup, dnrReceivedAckWaitAdvice, dnrUnderReview } from './dnr.templates';
import {
  itemKeepTheItem,
  itemReceivedAck,
  itemRefundIssued,
  itemReplacementSent,
  itemReturnRequired,
  itemSplitShipmentInTransit,
} from './item.templates';
import { returnLabelReady, returnPickupBooked, returnPickupCancelled, returnPickupRescheduled, returnReceivedRefund } from './return.templates';
import type { TemplateDefinition } from './template';
import type { ParamSchema, ParamValues } from './template-param';
import { trackingDeclaredLost, trackingDeclaredLostOptions, trackingLateDelayNotice, trackingOnTime, trackingStalledTraceOpened } from './tracking.templates';

/**
 * Every message the desk sends, keyed `<playbook>.<step>`. The ids are stored on ticket
 * messages, so they are never renamed; a retired template keeps its id out of reuse.
 */
export const TEMPLATES = {
  'tracking.on_time': trackingOnTime,
  'tracking.late_delay_notice': trackingLateDelayNotice,
  'tracking.stalled_trace_opened': trackingStalledTraceOpened,
  'tracking.declared_lost': trackingDeclaredLost,
  'tracking.declared_lost_options': trackingDeclaredLostOptions,

  'dnr.received_ack_wait_advice': dnrReceivedAckWaitAdvice,
  'dnr.followup': dnrFollowup,
  'dnr.claim_filed_reship': dnrClaimFiledReship,
  'dnr.claim_filed_refund': dnrClaimFiledRefund,
  'dnr.under_review': dnrUnderReview,

  'item.received_ack': itemReceivedAck,
  'item.split_shipment_in_transit': itemSplitShipmentInTransit,
  'item.replacement_sent': itemReplacementSent,
  'item.refund_issued': itemRefundIssued,
  'item.keep_the_item': itemKeepTheItem,
  'item.return_required': itemReturnRequired,

  'address.confirm_request': addressConfirmRequest,
  'address.corrected_redirected': addressCorrectedRedirected,
  'address.hold_at_location': addressHoldAtLocation,
  'address.hold_expiring': addressHoldExpiring,
  'address.return_to_sender': addressReturnToSender,
  'address.rts_refund': addressRtsRefund,
  'address.rts_reship': addressRtsReship,

  'return.label_ready': returnLabelReady,
  'return.pickup_booked': returnPickupBooked,
  'return.pickup_rescheduled': returnPickupRescheduled,
  'return.pickup_cancelled': returnPickupCancelled,
  'return.received_refund': returnReceivedRefund,

  'case.resolved': caseResolved,
  'case.agent_reply': caseAgentReply,
  'case.approval_pending': caseApprovalPending,
} as const;

export type TemplateId = keyof typeof TEMPLATES;

/** The parameters a template takes, e.g. `TemplateParams<'dnr.followup'>`. */
export type TemplateParams<T extends TemplateId> = (typeof TEMPLATES)[T] extends TemplateDefinition<infer S extends ParamSchema>
  ? ParamValues<S>
  : never;

export const TEMPLATE_IDS = Object.keys(TEMPLATES) as TemplateId[];

export function isTemplateId(value: unknown): value is TemplateId {
  return typeof value === 'string' && Object.hasOwn(TEMPLATES, value);
}
