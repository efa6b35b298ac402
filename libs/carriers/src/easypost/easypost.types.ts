/**
 * EasyPost JSON as it arrives on the wire (snake_case), limited to the fields the mapper reads.
 * Shapes follow the recorded responses in shared/easypost-cassettes; enum-like fields are typed as
 * `string` on purpose, because EasyPost adds values and the mapper must meet them at run time.
 */

export interface EpTrackingLocation {
  object?: 'TrackingLocation';
  city: string | null;
  state: string | null;
  country: string | null;
  zip: string | null;
}

export interface EpTrackingDetail {
  object?: 'TrackingDetail';
  message: string | null;
  description?: string | null;
  status: string | null;
  status_detail?: string | null;
  /** Null for EZ7000000007 ("Shipment Information Unavailable"). */
  datetime: string | null;
  source?: string | null;
  carrier_code?: string | null;
  tracking_location?: EpTrackingLocation | null;
}

export interface EpCarrierDetail {
  object?: 'CarrierDetail';
  service?: string | null;
  container_type?: string | null;
  est_delivery_date_local?: string | null;
  est_delivery_time_local?: string | null;
  origin_location?: string | null;
  destination_location?: string | null;
  guaranteed_delivery_date?: string | null;
  alternate_identifier?: string | null;
  initial_delivery_attempt?: string | null;
}

export interface EpTracker {
  id: string;
  object: 'Tracker';
  mode?: 'test' | 'production';
  tracking_code: string;
  status: string;
  status_detail?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  signed_by?: string | null;
  weight?: number | null;
  est_delivery_date?: string | null;
  shipment_id?: string | null;
  carrier?: string | null;
  tracking_details?: EpTrackingDetail[] | null;
  carrier_detail?: EpCarrierDetail | null;
  finalized?: boolean;
  is_return?: boolean;
  public_url?: string | null;
}

export interface EpEvent {
  id: string;
  object: 'Event';
  description: string;
  mode?: string;
  previous_attributes?: Record<string, unknown> | null;
  created_at: string;
  updated_at?: string;
  pending_urls?: string[];
  completed_urls?: string[];
  status?: string;
  user_id?: string;
  /** Absent on `GET /events/:id`; the full object on webhook POSTs. */
  result?: { object?: string; id?: string } & Record<string, unknown>;
}

export interface EpVerificationError {
  code?: string | null;
  field?: string | null;
  message: string;
  suggestion?: string | null;
}

export interface EpVerification {
  success: boolean;
  errors: EpVerificationError[];
  details?: Record<string, unknown> | null;
}

export interface EpAddress {
  id?: string;
  object?: 'Address';
  name?: string | null;
  company?: string | null;
  street1?: string | null;
  street2?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
  country?: string | null;
  phone?: string | null;
  email?: string | null;
  residential?: boolean | null;
  created_at?: string;
  updated_at?: string;
  mode?: string;
  verifications?: { zip4?: EpVerification; delivery?: EpVerification } | Record<string, never>;
}

/** Address as we send it (no ids, no verifications). */
export type EpAddressParams = Omit<EpAddress, 'id' | 'object' | 'verifications' | 'created_at' | 'updated_at' | 'mode'>;

export interface EpRate {
  id: string;
  object?: 'Rate';
  service: string;
  carrier: string;
  rate: string;
  currency: string;
  shipment_id?: string;
  delivery_days?: number | null;
}

export interface EpPostageLabel {
  object?: 'PostageLabel';
  id?: string;
  label_url: string | null;
  label_pdf_url?: string | null;
  label_zpl_url?: string | null;
  label_file_type?: string | null;
}

export interface EpMessage {
  carrier?: string | null;
  message?: string | null;
  type?: string | null;
}

export interface EpShipment {
  id: string;
  object: 'Shipment';
  mode?: string;
  is_return: boolean;
  status?: string;
  reference?: string | null;
  tracking_code: string | null;
  to_address?: EpAddress;
  from_address?: EpAddress;
  return_address?: EpAddress;
  buyer_address?: EpAddress;
  rates: EpRate[];
  selected_rate: EpRate | null;
  postage_label: EpPostageLabel | null;
  tracker: EpTracker | null;
  messages?: EpMessage[];
  created_at?: string;
  updated_at?: string;
}

export interface EpShipmentParams {
  to_address: EpAddressParams;
  from_address: EpAddressParams;
  parcel: { weight: number; length?: number; width?: number; height?: number };
  is_return?: boolean;
  reference?: string;
}

export interface EpPickupRate {
  id: string;
  object?: 'PickupRate';
  service: string;
  carrier: string;
  rate: string;
  currency: string;
  pickup_id?: string;
}

export interface EpPickup {
  id: string;
  object: 'Pickup';
  mode?: string;
  status: string;
  reference?: string | null;
  min_datetime: string;
  max_datetime: string;
  is_account_address?: boolean;
  instructions?: string | null;
  messages?: EpMessage[];
  confirmation: string | null;
  address?: EpAddress;
  carrier_accounts?: unknown[];
  pickup_rates: EpPickupRate[];
  created_at?: string;
  updated_at?: string;
}

export interface EpPickupParams {
  address: EpAddressParams;
  shipment: { id: string };
  min_datetime: string;
  max_datetime: string;
  instructions?: string;
  reference?: string;
  is_account_address?: boolean;
}

export interface EpClaimHistory {
  status: string;
  status_detail?: string | null;
  timestamp: string;
}

export interface EpClaim {
  id: string;
  object: 'Claim';
  mode?: string;
  type: string;
  status: string;
  status_detail?: string | null;
  status_timestamp?: string | null;
  history?: EpClaimHistory[];
  requested_amount: string | null;
  approved_amount: string | null;
  insurance_amount?: string | null;
  insurance_id?: string | null;
  shipment_id?: string | null;
  tracking_code: string;
  payment_method?: string | null;
  contact_email?: string | null;
  description?: string | null;
  attachments?: string[];
  reference?: string | null;
  created_at: string;
  updated_at?: string | null;
}

/** Claims are sent unwrapped (no `{"claim": ...}`), amounts as decimal strings of USD. */
export interface EpClaimParams {
  type: 'damage' | 'loss' | 'theft';
  tracking_code: string;
  amount: string;
  description: string;
  contact_email?: string;
  email_evidence_attachments?: string[];
  invoice_attachments?: string[];
  supporting_documentation_attachments?: string[];
}

/** `errors` items are FieldError objects or plain strings; both are recorded. */
export interface EpErrorBody {
  code: string;
  message: string;
  errors?: (EpVerificationError | { field?: string; message?: string } | string)[] | null;
}

export interface EpErrorEnvelope {
  error: EpErrorBody;
}
