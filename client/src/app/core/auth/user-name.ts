import { AbstractControl, ValidationErrors } from '@angular/forms';

/**
 * A user's name, as the server takes it (POST /auth/register, PUT /auth/me): trimmed,
 * then 1 to 200 characters. Both the register and the account page check it here first.
 */
export const MAX_NAME_LENGTH = 200;

export const NAME_REQUIRED = 'Enter your name';
export const NAME_TOO_LONG = `Name must be at most ${MAX_NAME_LENGTH} characters`;

/**
 * Characters as the server counts them (class-validator's MaxLength): a surrogate pair
 * (e.g. an emoji) is one character, and so is a character with its variation selector.
 */
export function nameLength(name: string): number {
  const variationSelectors = name.match(/[^\uFE0F\uFE0E][\uFE0F\uFE0E]/g) ?? [];
  const surrogatePairs = name.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g) ?? [];
  return name.length - variationSelectors.length - surrogatePairs.length;
}

/**
 * Form validator for a name field, on the trimmed value the pages send: `required` when
 * blank, `maxlength` (Angular's key and shape) when longer than MAX_NAME_LENGTH.
 */
export function userNameValidator(control: AbstractControl): ValidationErrors | null {
  const value: unknown = control.value;
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '') {
    return { required: true };
  }
  const length = nameLength(name);
  return length > MAX_NAME_LENGTH
    ? { maxlength: { requiredLength: MAX_NAME_LENGTH, actualLength: length } }
    : null;
}
