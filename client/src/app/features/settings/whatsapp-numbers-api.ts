import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';

import { NewWhatsappNumber, NumberTestResult, WhatsappNumber } from './whatsapp-number.model';

/** Typed calls behind Settings → WhatsApp. */
@Injectable({ providedIn: 'root' })
export class WhatsappNumbersApi {
  private readonly http = inject(HttpClient);

  list(): Observable<WhatsappNumber[]> {
    return this.http.get<WhatsappNumber[]>('/api/whatsapp/numbers');
  }

  create(input: NewWhatsappNumber): Observable<WhatsappNumber> {
    return this.http.post<WhatsappNumber>('/api/whatsapp/numbers', input);
  }

  test(id: number): Observable<NumberTestResult> {
    return this.http.post<NumberTestResult>(`/api/whatsapp/numbers/${id}/test`, {});
  }

  remove(id: number): Observable<void> {
    return this.http.delete<void>(`/api/whatsapp/numbers/${id}`);
  }
}
