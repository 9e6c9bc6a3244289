/** `GET /api/whatsapp/numbers` item: secrets arrive masked ("••••abcd") or null. */
export interface WhatsappNumber {
  readonly id: number;
  readonly phone_number_id: string;
  readonly business_account_id: string | null;
  readonly display_phone_number: string | null;
  readonly access_token: string | null;
  readonly app_secret: string | null;
  readonly verify_token: string | null;
  readonly from_environment: boolean;
  readonly created_at: string;
}

export interface NewWhatsappNumber {
  readonly phone_number_id: string;
  readonly business_account_id: string;
  readonly access_token: string;
  readonly app_secret: string;
  readonly verify_token: string;
}

export interface NumberTestResult {
  readonly ok: boolean;
  readonly display_phone_number: string | null;
  readonly verified_name: string | null;
  readonly error: string | null;
}
