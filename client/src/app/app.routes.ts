import { Routes } from '@angular/router';

import { authGuard } from './core/auth/auth-guard';
import { guestGuard } from './core/auth/guest-guard';

export const routes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    title: 'No Lose',
    loadComponent: () => import('./features/home/home-page').then((m) => m.HomePage),
  },
  {
    path: 'login',
    title: 'Sign in · No Lose',
    canActivate: [guestGuard],
    loadComponent: () => import('./features/auth/login-page').then((m) => m.LoginPage),
  },
  {
    path: 'register',
    title: 'Create account · No Lose',
    canActivate: [guestGuard],
    loadComponent: () => import('./features/auth/register-page').then((m) => m.RegisterPage),
  },
  {
    // Invite links (POST /api/workspace/invites answers `/invite/<token>`): open to
    // everyone; the page offers sign-up, sign-in or, when signed in, accepting.
    path: 'invite/:token',
    title: 'Invitation · No Lose',
    loadComponent: () => import('./features/team/invite-page').then((m) => m.InvitePage),
  },
  {
    path: '',
    canActivate: [authGuard],
    canActivateChild: [authGuard],
    loadComponent: () => import('./core/layout/app-shell').then((m) => m.AppShell),
    children: [
      {
        path: 'dashboard',
        title: 'Dashboard · No Lose',
        loadComponent: () =>
          import('./features/dashboard/dashboard-page').then((m) => m.DashboardPage),
      },
      {
        path: 'account',
        title: 'Account · No Lose',
        loadComponent: () => import('./features/account/account-page').then((m) => m.AccountPage),
      },
      {
        path: 'team',
        title: 'Team · No Lose',
        loadComponent: () => import('./features/team/team-page').then((m) => m.TeamPage),
      },
      {
        path: 'settings/whatsapp',
        title: 'WhatsApp settings · No Lose',
        loadComponent: () =>
          import('./features/settings/whatsapp-settings-page').then((m) => m.WhatsappSettingsPage),
      },
      {
        path: 'inbox',
        loadChildren: () => import('./features/inbox/inbox.routes').then((m) => m.inboxRoutes),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
