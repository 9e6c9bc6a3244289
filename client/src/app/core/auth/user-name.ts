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
 * What the server would refuse in a name (a user's or a contact's), checked on the trimmed
 * value the pages send: `required` when blank, `maxlength` when over MAX_NAME_LENGTH.
 */
export function nameProblem(value: unknown): 'required' | 'maxlength' | null {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '') {
    return 'required';
  }
  return nameLength(name) > MAX_NAME_LENGTH ? 'maxlength' : null;
}

/**
 * Form validator for a name field (nameProblem): Angular's `required` and `maxlength`
 * keys and shapes.
 */
export function userNameValidator(control: AbstractControl): ValidationErrors | null {
  switch (nameProblem(control.value)) {
    case 'required':
      return { required: true };
    case 'maxlength':
      return {
        maxlength: {
          requiredLength: MAX_NAME_LENGTH,
          actualLength: nameLength((control.value as string).trim()),
        },
      };
    case null:
      return null;
  }
}
