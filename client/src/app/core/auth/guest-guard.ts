import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';

import { AuthStore } from './auth-store';

/** `/login` and `/register`: a signed-in operator goes straight to the dashboard. */
export const guestGuard: CanActivateFn = async () => {
  const auth = inject(AuthStore);
  const router = inject(Router);
  await auth.whenSettled();
  return auth.isSignedIn() ? router.createUrlTree(['/dashboard']) : true;
};
