/**
 * UPS wire shapes, as UPS documents them. Only the fields Delivery Desk reads or writes are typed;
 * everything is optional because UPS omits empty fields and sends single-element arrays as objects
 * in several APIs (its JSON is a translation of the XML schemas).
 *
 * Sources (public, read with the search tool):
 * - UPS-API/api-documentation `OAuthClientCredentials.yaml` (token), `Tracking.yaml` (Track API v1),
 *   `UPSTrackAlert.yaml` + `UPSTrackAlertEnhanced.yaml` (Track Alert subscription + webhook),
 *   `Pickup.yaml` (v2409), `AddressValidation.yaml` (XAV v2), `DeliveryIntercept.yaml` (v2),
 *   `Shipping.yaml` (ReturnService codes).
 * - karrioapi/karrio `modules/connectors/ups/` (proxy paths, recorded response fixtures).
 */

export type OneOrMany<T> = T | T[];

/** `POST /security/v1/oauth/token` success body. UPS sends numbers as strings. */
export interface UpsTokenResponse {
  token_type?: string;
  issued_at?: string;
  client_id?: string;
  access_token?: string;
  scope?: string;
  expires_in?: string | number;
  refresh_count?: string;
  status?: string;
}

/**
 * The common UPS error envelope: `{"response":{"errors":[{"code","message"}]}}`.
 * Track Alert v1 documents a bare `{"errors":[...]}` for 401/404/405, so both are read.
 */
export interface UpsErrorEnvelope {
  response?: { errors?: { code?: string; message?: string }[]; transactionId?: string; statusCode?: string };
  errors?: { code?: string; message?: string }[];
}

// ---------------------------------------------------------------- Track API (GET /api/track/v1/details/{n})

export interface UpsTrackAddress {
  addressLine1?: string;
  city?: string;
  stateProvince?: string;
  postalCode?: string;
  country?: string;
  countryCode?: string;
}

export interface UpsTrackStatus {
  /** Activity status type: D, I, M, MV, X, U (and legacy P). */
  type?: string;
  /** Two-character activity code, e.g. `FS`, `OT`, `MP`. */
  code?: string;
  description?: string;
  simplifiedTextDescription?: string;
  /** The 3-digit "status/description code" of the Track API appendix, e.g. `011` delivered. */
  statusCode?: string;
}

export interface UpsTrackActivity {
  date?: string; // YYYYMMDD, local
  time?: string; // HHMMSS, local
  gmtDate?: string;
  gmtTime?: string; // UPS's own example drops the leading zero: '74700'
  gmtOffset?: string; // '-05:00'
  location?: { address?: UpsTrackAddress; slic?: string };
  status?: UpsTrackStatus;
}

export interface UpsTrackPackage {
  trackingNumber?: string;
  activity?: OneOrMany<UpsTrackActivity>;
  currentStatus?: UpsTrackStatus;
  deliveryDate?: OneOrMany<{ type?: string; date?: string }>;
  deliveryTime?: { type?: string; startTime?: string; endTime?: string };
  deliveryInformation?: {
    location?: string;
    receivedBy?: string;
    signature?: { image?: string };
    deliveryPhoto?: { photo?: string; photoCaptureInd?: string; photoDispositionCode?: string; isNonPostalCodeCountry?: boolean };
  };
  service?: { code?: string; description?: string };
}

export interface UpsTrackResponse {
  trackResponse?: {
    shipment?: OneOrMany<{
      inquiryNumber?: string;
      package?: OneOrMany<UpsTrackPackage>;
      warnings?: { code?: string; message?: string }[];
    }>;
  };
}

// ---------------------------------------------------------------- Track Alert (webhook + subscription)

/** Body UPS POSTs to the subscriber's URL (`TrackingEventRequest`). */
export interface UpsTrackAlertEvent {
  trackingNumber?: string;
  localActivityDate?: string;
  localActivityTime?: string;
  gmtActivityDate?: string;
  gmtActivityTime?: string;
  gmtOffset?: string;
  activityLocation?: { city?: string; stateProvince?: string; postalCode?: string; country?: string };
  activityStatus?: { type?: string; code?: string; description?: string; descriptionCode?: string | number };
  scheduledDeliveryDate?: string;
  actualDeliveryDate?: string;
  actualDeliveryTime?: string;
  deliveryStartTime?: string;
  deliveryEndTime?: string;
  deliveryTimeDescription?: string;
  /** Base64 image, enhanced subscriptions only. */
  deliveryPhoto?: string;
  /** Clarified signature, enhanced subscriptions only. */
  receivedBy?: string;
  alternateTrackingNumber?: string;
}

export interface UpsTrackAlertSubscriptionRequest {
  locale: string;
  countryCode: string;
  trackingNumberList: string[];
  destination: { url: string; credentialType: string; credential: string };
}

export interface UpsTrackAlertSubscriptionResponse {
  validTrackingNumbers?: string[];
  invalidTrackingNumbers?: string[];
}

// ---------------------------------------------------------------- Pickup (v2409)

export interface UpsPickupCreationRequest {
  PickupCreationRequest: {
    Request: { SubVersion?: string; TransactionReference?: { CustomerContext?: string } };
    RatePickupIndicator: 'Y' | 'N';
    Shipper?: { Account: { AccountNumber: string; AccountCountryCode: string } };
    PickupDateInfo: { CloseTime: string; ReadyTime: string; PickupDate: string };
    PickupAddress: {
      CompanyName: string;
      ContactName: string;
      AddressLine: string[];
      City: string;
      StateProvince?: string;
      PostalCode?: string;
      CountryCode: string;
      ResidentialIndicator: 'Y' | 'N';
      Phone: { Number: string; Extension?: string };
    };
    AlternateAddressIndicator: 'Y' | 'N';
    PickupPiece: { ServiceCode: string; Quantity: string; DestinationCountryCode: string; ContainerCode: string }[];
    OverweightIndicator?: 'Y' | 'N';
    TrackingData?: { TrackingNumber: string }[];
    PaymentMethod: string;
    SpecialInstruction?: string;
    ReferenceNumber?: string;
  };
}

export interface UpsPickupCreationResponse {
  PickupCreationResponse?: {
    Response?: { ResponseStatus?: { Code?: string; Description?: string } };
    PRN?: string;
    RateStatus?: { Code?: string; Description?: string };
    RateResult?: { RateType?: string; CurrencyCode?: string; GrandTotalOfAllCharge?: string };
  };
}

export interface UpsPickupCancelResponse {
  PickupCancelResponse?: {
    Response?: { ResponseStatus?: { Code?: string; Description?: string } };
    PickupType?: string;
  };
}

// ---------------------------------------------------------------- Address Validation (XAV v2)

export interface UpsAddressKeyFormat {
  ConsigneeName?: string;
  AttentionName?: string;
  AddressLine?: OneOrMany<string>;
  Region?: string;
  PoliticalDivision2?: string;
  PoliticalDivision1?: string;
  PostcodePrimaryLow?: string;
  PostcodeExtendedLow?: string;
  Urbanization?: string;
  CountryCode?: string;
}

export interface UpsXavRequest {
  XAVRequest: { Request?: { RequestOption?: string }; MaximumCandidateListSize?: string; AddressKeyFormat: UpsAddressKeyFormat };
}

export interface UpsXavResponse {
  XAVResponse?: {
    Response?: { ResponseStatus?: { Code?: string; Description?: string } };
    ValidAddressIndicator?: string;
    AmbiguousAddressIndicator?: string;
    NoCandidatesIndicator?: string;
    AddressClassification?: { Code?: string; Description?: string };
    Candidate?: OneOrMany<{ AddressClassification?: { Code?: string; Description?: string }; AddressKeyFormat?: UpsAddressKeyFormat }>;
  };
}

// ---------------------------------------------------------------- Delivery Intercept (v2)

export interface UpsInterceptContact {
  name: string;
  telephone: string;
  phoneExt?: string;
  emailAddress?: string;
}

export interface UpsInterceptAddressInformation {
  addressLine1?: string;
  addressLine2?: string;
  city: string;
  state?: string;
  postalCode?: string;
  countryCode: string;
  fullName?: string;
  phoneNumber?: string;
}

/** Fields of `MyChoiceCommonRequest` + `MyChoiceInterceptCommonRequest` that we send. */
export interface UpsInterceptRequest {
  clientId?: string;
  transactionId: string;
  source?: string;
  loc?: string;
  clientIP: string;
  trackingNumber: string;
  requestType?: string;
  requesterContactInfo: UpsInterceptContact;
  specialInstructions?: string;
  /** Reschedule and will-call: YYYYMMDD. */
  deliveryDate?: string;
  /** Return to sender: two-letter reason code (AM, AN, AQ, AR, FA, KR, KS, KV). */
  reasonForReturn?: string;
  reasonText?: string;
  /** Redirect: `AddressBookEntry`. */
  newDeliveryAddress?: {
    addressInfo: UpsInterceptAddressInformation;
    nameOrCompanyName?: string;
    contactName?: string;
    phoneNumber?: string;
    emailAddress?: string;
  };
}

export interface UpsInterceptCharge {
  chargeCurrency?: string;
  accessorialCharge?: string;
  interceptCharge?: string;
  transportationCharge?: string;
  totalCharge?: string;
  trackingNumber?: string;
  estDeliveryDate?: string;
}

/** `MyChoiceCommonResponse` and its will-call / redirect / reschedule / return variants. */
export interface UpsInterceptResponse {
  transactionId?: string;
  statusCode?: string;
  statusMsg?: string;
  subStatusCode?: string;
  success?: boolean;
  errors?: { errorCode?: string; errorMessage?: string; errorSource?: string }[];
  chargeInfo?: OneOrMany<UpsInterceptCharge>;
  upsLocation?: {
    name?: string;
    locationId?: string;
    storeAddress?: { addressLine1?: string; addressLine2?: string; city?: string; state?: string; postalCode?: string; countryCode?: string };
  };
}

// ---------------------------------------------------------------- Shipping (return label, v2409)

export interface UpsShipAddress {
  AddressLine: string[];
  City: string;
  StateProvinceCode?: string;
  PostalCode?: string;
  CountryCode: string;
  ResidentialAddressIndicator?: string;
}

export interface UpsShipParty {
  Name: string;
  AttentionName?: string;
  ShipperNumber?: string;
  Phone?: { Number: string };
  EMailAddress?: string;
  Address: UpsShipAddress;
}

export interface UpsShipmentRequest {
  ShipmentRequest: {
    Request: { RequestOption: string; TransactionReference?: { CustomerContext?: string } };
    Shipment: {
      Description: string;
      ReturnService: { Code: string; Description?: string };
      Shipper: UpsShipParty & { ShipperNumber: string };
      ShipTo: UpsShipParty;
      ShipFrom: UpsShipParty;
      PaymentInformation: { ShipmentCharge: { Type: string; BillShipper: { AccountNumber: string } }[] };
      Service: { Code: string; Description?: string };
      Package: {
        Description: string;
        Packaging: { Code: string };
        Dimensions?: { UnitOfMeasurement: { Code: string }; Length: string; Width: string; Height: string };
        PackageWeight: { UnitOfMeasurement: { Code: string }; Weight: string };
        ReferenceNumber?: { Value: string }[];
      };
      ReferenceNumber?: { Value: string };
    };
    LabelSpecification: { LabelImageFormat: { Code: string }; HTTPUserAgent?: string };
  };
}

export interface UpsShipmentResponse {
  ShipmentResponse?: {
    Response?: { ResponseStatus?: { Code?: string; Description?: string } };
    ShipmentResults?: {
      ShipmentCharges?: { TotalCharges?: { CurrencyCode?: string; MonetaryValue?: string } };
      NegotiatedRateCharges?: { TotalCharge?: { CurrencyCode?: string; MonetaryValue?: string } };
      ShipmentIdentificationNumber?: string;
      PackageResults?: OneOrMany<{
        TrackingNumber?: string;
        ShippingLabel?: { ImageFormat?: { Code?: string }; GraphicImage?: string };
      }>;
    };
  };
}
