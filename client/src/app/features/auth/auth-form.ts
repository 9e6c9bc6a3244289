/**
 * Class lists shared by the login and register forms, so both look alike. Kept as
 * constants rather than @apply rules: Tailwind utilities stay visible in templates.
 */
export const FIELD_CLASS =
  'block w-full rounded-md border-0 bg-white px-3 py-2 text-gray-900 shadow-sm ring-1 ring-inset ring-gray-300 placeholder:text-gray-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600 aria-invalid:ring-red-500 sm:text-sm dark:bg-gray-900 dark:text-white dark:ring-gray-700 dark:focus:ring-indigo-400';

export const LABEL_CLASS = 'block text-sm font-medium text-gray-900 dark:text-gray-100';

export const PRIMARY_BUTTON_CLASS =
  'flex w-full justify-center rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:cursor-not-allowed disabled:opacity-70 dark:bg-indigo-500 dark:hover:bg-indigo-400';

/** Only local paths are followed after sign-in, so `returnUrl` cannot send users away. */
export function safeReturnUrl(value: string | null | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return '/dashboard';
  }
  return value;
}
